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
    let dir = args
        .file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = args.file.file_name().context("the file has no name")?;
    let overrides = Overrides {
        inputs: vec![dir.to_owned()],
        ..Overrides::default()
    };
    let settings = config::resolve(options, &base, overrides)?.pipeline;
    let source = SourcePath::new(dir, name);
    match process_file(source.clone(), &settings, None) {
        Outcome::Article { article, .. } => {
            let mut record =
                serde_json::to_value(&article).context("cannot encode the article as JSON")?;
            // How the story was found on a whole page: the scores of the top candidates.
            if let (Some(candidates), Some(fields)) = (
                main_content_candidates(&source, &settings),
                record.as_object_mut(),
            ) {
                fields.insert(
                    "main_content_candidates".into(),
                    serde_json::to_value(candidates)?,
                );
            }
            let json = serde_json::to_string_pretty(&record)
                .context("cannot encode the article as JSON")?;
            writeln!(std::io::stdout().lock(), "{json}").context("cannot write to stdout")?;
            Ok(ExitStatus::Ok)
        }
        Outcome::Unchanged { .. } => unreachable!("without a ledger nothing is unchanged"),
        Outcome::Reject { reject, .. } => bail!(
            "{} is rejected at the {} stage: {}",
            reject.source_path,
            reject.stage.as_str(),
            reject.error
        ),
    }
}
