//! `lede inspect FILE`: one file through parse and clean, printed as JSON.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use lede_pipeline::{Outcome, main_content_candidates, process_file};
use lede_record::SourcePath;

use crate::config::{self, Overrides};
use crate::flags::InspectArgs;
use crate::status::ExitStatus;

pub(crate) fn inspect(args: &InspectArgs) -> anyhow::Result<ExitStatus> {
    if !args.file.is_file() {
        bail!("{} is not a file", args.file.display());
    }
    let (options, base) = config::load(args.config.as_deref())?;
    // With inputs in the config, the file is read as `lede run` reads it: its source_path is
    // under the input that holds it, so the site rules and ids are the run's.
    let configured = options
        .input
        .paths
        .as_ref()
        .is_some_and(|paths| !paths.is_empty());
    let dir = args
        .file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = args.file.file_name().context("the file has no name")?;
    let overrides = Overrides {
        inputs: if configured {
            Vec::new()
        } else {
            vec![dir.to_owned()]
        },
        ..Overrides::default()
    };
    let settings = config::resolve(options, &base, overrides)?.pipeline;
    let source = match lede_pipeline::source_of(&settings.inputs, &args.file) {
        Some((source, input)) => {
            if configured {
                note(&format!(
                    "{} read as `lede run` reads it, under input {}",
                    source.relative(),
                    input.display()
                ))?;
            }
            source
        }
        None => {
            note(&format!(
                "{} is under no input of the config; read with its folder as the input",
                args.file.display()
            ))?;
            SourcePath::new(dir, name)
        }
    };
    if lede_archive::Archive::of_name(source.file_name()).is_some() {
        bail!(
            "{} is an archive of many pages: `lede run` reads its records; `lede inspect` reads one page",
            args.file.display()
        );
    }
    match process_file(source.clone(), &settings, None) {
        Outcome::Article { article, .. } => {
            let mut record =
                serde_json::to_value(&article).context("cannot encode the article as JSON")?;
            // How the story was found on a whole page: what was read, and the scores of the
            // top candidates, the one read marked.
            if let (Some(choice), Some(fields)) = (
                main_content_candidates(&source, &settings),
                record.as_object_mut(),
            ) {
                fields.insert("main_content_read".into(), choice.read.into());
                fields.insert(
                    "main_content_candidates".into(),
                    serde_json::to_value(choice.candidates)?,
                );
            }
            let json = serde_json::to_string_pretty(&record)
                .context("cannot encode the article as JSON")?;
            writeln!(std::io::stdout().lock(), "{json}").context("cannot write to stdout")?;
            Ok(ExitStatus::Ok)
        }
        Outcome::Unchanged { .. } | Outcome::ArchiveRead { .. } => {
            unreachable!("a file without a ledger is read, and is not an archive")
        }
        Outcome::Reject { reject, .. } => bail!(
            "{} is rejected at the {} stage: {}",
            reject.source_path,
            reject.stage.as_str(),
            reject.error
        ),
    }
}

/// A line on stderr, so that stdout stays the record's JSON.
fn note(line: &str) -> anyhow::Result<()> {
    writeln!(std::io::stderr().lock(), "lede: note: {line}").context("cannot write to stderr")
}
