//! `lede check`: the config validated without running, and with `--sample DIR` a real run on
//! DIR into a temporary directory whose dataset schema and reject ratio are checked. For CI.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};
use lede_pipeline::Progress;

use crate::config::{self, Overrides};
use crate::flags::CheckArgs;
use crate::status::ExitStatus;

pub(crate) fn check(args: &CheckArgs) -> anyhow::Result<ExitStatus> {
    let (options, base) = config::load(args.config.as_deref())?;
    let overrides = Overrides {
        inputs: args.sample.iter().cloned().collect(),
        writes_output: true,
        ..Overrides::default()
    };
    let config = config::resolve(options, &base, overrides)?;
    check_writable(&config.pipeline.output)?;
    let mut out = std::io::stdout().lock();
    for note in lede_pipeline::describe_inputs(&config.pipeline.inputs) {
        writeln!(out, "lede: note: {note}").context("cannot write to stdout")?;
    }
    let Some(sample) = &args.sample else {
        let files = lede_pipeline::count_inputs(&config.pipeline);
        if files == 0 {
            let warning = lede_pipeline::no_input_files(&config.pipeline.inputs);
            writeln!(std::io::stderr().lock(), "lede: warning: {warning}")
                .context("cannot write to stderr")?;
        }
        let noun = if files == 1 { "file" } else { "files" };
        writeln!(
            out,
            "lede: the configuration is valid; the inputs hold {files} {noun} to read"
        )
        .context("cannot write to stdout")?;
        return Ok(ExitStatus::Ok);
    };
    let scratch = tempfile::tempdir().context("cannot make a temporary directory")?;
    let mut settings = config.pipeline.clone();
    settings.output = scratch.path().to_owned();
    let report =
        lede_pipeline::run(&settings, &Progress::default()).context("the sample run failed")?;
    let mut problems = Vec::new();
    for (dir, expected) in lede_write::schemas() {
        for file in lede_write::part_files(&scratch.path().join(dir)) {
            let actual = lede_write::read_file_schema(&file)?;
            let diff = lede_write::schema_diff(&expected, &actual);
            if !diff.is_empty() {
                problems.push(format!(
                    "{} differs from the declared {dir} schema:\n    {}",
                    file.display(),
                    diff.join("\n    ")
                ));
                break;
            }
        }
    }
    if report.reject_ratio() > config.max_reject_ratio {
        problems.push(format!(
            "{} of {} sample inputs rejected ({:.1}%), over run.max_reject_ratio {:.1}%",
            report.rejected,
            report.discovered,
            report.reject_ratio() * 100.0,
            config.max_reject_ratio * 100.0
        ));
    }
    if !problems.is_empty() {
        bail!(
            "the sample run in {} does not pass:\n  - {}",
            sample.display(),
            problems.join("\n  - ")
        );
    }
    writeln!(
        out,
        "lede: the configuration is valid; the sample ({} inputs → {} articles, {} rejects) matches schema version {}",
        report.discovered,
        report.written,
        report.rejected,
        lede_write::SCHEMA_VERSION
    )
    .context("cannot write to stdout")?;
    Ok(ExitStatus::Ok)
}

/// The output directory exists and takes a file, or can be created.
fn check_writable(output: &Path) -> anyhow::Result<()> {
    let existing = output
        .ancestors()
        .find(|p| p.exists())
        .unwrap_or(Path::new("."));
    if !existing.is_dir() {
        bail!(
            "output {} cannot be created: {} is not a directory",
            output.display(),
            existing.display()
        );
    }
    tempfile::tempfile_in(existing).map(drop).with_context(|| {
        format!(
            "output {} is not writable (tried {})",
            output.display(),
            existing.display()
        )
    })
}
