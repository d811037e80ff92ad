//! `lede run`: the pipeline, a progress bar on a terminal, a summary line, an exit status.

use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use lede_pipeline::{PipelineError, Progress, RunReport};

use crate::config::{self, Overrides};
use crate::flags::{LogFormat, RunArgs};
use crate::status::ExitStatus;

pub(crate) fn run(args: &RunArgs) -> anyhow::Result<ExitStatus> {
    let (options, base) = config::load(args.config.as_deref())?;
    let overrides = Overrides {
        inputs: args.input.clone(),
        output: args.output.clone(),
        threads: args.threads,
        writes_output: true,
        ..Overrides::default()
    };
    let mut config = config::resolve(options, &base, overrides)?;
    config.pipeline.full = args.full;
    config.pipeline.prune_deleted = args.prune_deleted || args.force_prune;
    if args.force_prune {
        config.pipeline.max_prune_share = None;
    }
    let messages = Messages {
        format: args.log_format,
    };
    let interactive = std::io::stderr().is_terminal() && args.log_format == LogFormat::Text;
    let progress = Progress::default();
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&progress.cancel))
            .context("cannot install a signal handler")?;
    }
    // Past a file size limit (ulimit -f) the kernel would kill lede with SIGXFSZ; handled, the
    // write fails with EFBIG instead and the run ends with a clear error, the dataset intact.
    signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        Arc::new(AtomicBool::new(false)),
    )
    .context("cannot install a signal handler")?;
    let result = std::thread::scope(|scope| {
        let bar = (interactive && !args.quiet).then(|| draw_progress(scope, &progress));
        let result = lede_pipeline::run(&config.pipeline, &progress);
        if let Some(bar) = bar {
            bar.finish_and_clear();
        }
        result
    });
    let report = match result {
        Ok(report) => report,
        Err(PipelineError::Locked { output, lock }) => {
            messages.emit(
                "error",
                &format!(
                    "lede: another run is writing to {} (lock {}); nothing done",
                    output.display(),
                    lock.display()
                ),
                None,
            );
            return Ok(ExitStatus::Locked);
        }
        Err(PipelineError::Cancelled) => {
            messages.emit("warn", "lede: stopped by a signal; nothing was published and the previous dataset is intact", None);
            return Ok(ExitStatus::Interrupted);
        }
        Err(err) => return Err(err).context("the run failed"),
    };
    if progress.cancel.load(Ordering::Relaxed) {
        messages.emit(
            "warn",
            "lede: a signal arrived while the run was committing; the commit was finished",
            Some(&report),
        );
    }
    for note in &report.input_notes {
        messages.emit("warn", &format!("lede: warning: {note}"), None);
    }
    if report.discovered == 0 {
        let message = format!(
            "lede: warning: {}; the dataset has no articles",
            lede_pipeline::no_input_files(&config.pipeline.inputs)
        );
        messages.emit("warn", &message, Some(&report));
    }
    for repair in &report.repairs {
        messages.emit("warn", &format!("lede: warning: {repair}"), None);
    }
    if report.unrestored > 0 {
        let message = format!(
            "lede: {} rows were lost with damaged part files and their sources are gone, so they could not be read again; the dataset no longer has them",
            report.unrestored
        );
        messages.emit("error", &message, Some(&report));
    }
    let too_many = report.reject_ratio() > config.max_reject_ratio;
    if too_many {
        let message = format!(
            "lede: {} of {} inputs rejected ({:.1}%), over run.max_reject_ratio {:.1}%; see {}/rejects",
            report.rejected,
            report.discovered,
            report.reject_ratio() * 100.0,
            config.max_reject_ratio * 100.0,
            report.output.display()
        );
        messages.emit("error", &message, Some(&report));
    }
    if (interactive || args.verbose) && !args.quiet {
        messages.emit("info", &summary(&report), Some(&report));
    }
    Ok(if report.unrestored > 0 {
        ExitStatus::RowsLost
    } else if too_many {
        ExitStatus::TooManyRejects
    } else {
        ExitStatus::Ok
    })
}

/// Runs shorter than this, or reading fewer inputs, get no rates: a few files, or a run spent
/// waiting on a sync, say nothing of speed.
const MIN_RATED_SECONDS: f64 = 1.0;
const MIN_RATED_INPUTS: u64 = 100;

fn summary(r: &RunReport) -> String {
    let pruned = if r.pruned > 0 {
        format!(", {} pruned", r.pruned)
    } else {
        String::new()
    };
    let rates = if r.wall_seconds >= MIN_RATED_SECONDS && r.written + r.rejected >= MIN_RATED_INPUTS
    {
        format!(
            " ({:.0} inputs/s, {:.1} MB/s, {:.0}% CPU, {:.0} MB peak)",
            r.articles_per_second,
            r.mb_per_second,
            r.cpu_percent(),
            r.peak_rss_mb
        )
    } else {
        String::new()
    };
    format!(
        "lede: {} inputs → {} articles, {} rejects, {} unchanged ({} new, {} replaced{pruned}) in {:.2}s{rates}; report {}/_runs/{}.json",
        r.discovered,
        r.written,
        r.rejected,
        r.skipped,
        r.added,
        r.replaced,
        r.wall_seconds,
        r.output.display(),
        r.run_id
    )
}

/// lede's own messages on stderr, as text lines or JSON objects (`--log-format`).
struct Messages {
    format: LogFormat,
}

impl Messages {
    fn emit(&self, level: &str, message: &str, report: Option<&RunReport>) {
        let line = match self.format {
            LogFormat::Text => message.to_owned(),
            LogFormat::Json => {
                let mut object = serde_json::json!({"level": level, "message": message});
                if let Some(report) = report {
                    object["report"] =
                        serde_json::to_value(report).expect("a run report serializes");
                }
                object.to_string()
            }
        };
        let _ = writeln!(std::io::stderr().lock(), "{line}");
    }
}

/// A bar redrawn from the pipeline's counters until the run ends.
fn draw_progress<'scope>(
    scope: &'scope std::thread::Scope<'scope, '_>,
    progress: &'scope Progress,
) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{spinner} {elapsed_precise} [{wide_bar}] {pos}/{len} files ({per_sec}, eta {eta}) {msg}")
            .expect("the progress template is valid")
            .progress_chars("=> "),
    );
    let handle = bar.clone();
    scope.spawn(move || {
        while !handle.is_finished() {
            let discovered = progress.discovered.load(Ordering::Relaxed);
            handle.set_length(discovered);
            handle.set_position(progress.done());
            let rejected = progress.rejected.load(Ordering::Relaxed);
            handle.set_message(if rejected > 0 {
                format!("{rejected} rejected")
            } else {
                String::new()
            });
            std::thread::sleep(Duration::from_millis(100));
        }
    });
    bar
}
