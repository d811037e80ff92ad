//! Exit statuses, documented in README for cron.

use std::io::Write;

use crate::flags::LogFormat;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// Done; rejects, if any, are within `max_reject_ratio`.
    Ok,
    /// Done and published, but more inputs were rejected than `max_reject_ratio` allows.
    TooManyRejects,
    /// Another run holds the output's lock.
    Locked,
    /// A signal stopped the run before it published anything.
    Interrupted,
    /// Done and published, but the dataset had lost rows (a damaged part file) that could not
    /// be read again because their sources are gone.
    RowsLost,
}

/// A fatal error (bad config, missing input, unwritable output, failed write).
pub(crate) const FATAL: u8 = 1;

/// The exit codes as `lede --help` and `lede run --help` list them (for cron).
pub(crate) const EXIT_CODES: &str = "\
Exit codes:
  0  done
  1  fatal error: nothing published (bad config, missing input, unwritable output)
  2  bad usage (an unknown flag, a missing value)
  3  done and published, but more inputs rejected than run.max_reject_ratio allows
  4  another run holds the output's lock
  5  stopped by a signal before publishing: the previous dataset is intact
  6  done and published, but rows of a damaged part file could not be restored (their
     sources are gone)";

impl ExitStatus {
    /// The process exit code, as README documents it.
    pub(crate) fn code(self) -> u8 {
        match self {
            ExitStatus::Ok => 0,
            ExitStatus::TooManyRejects => 3,
            ExitStatus::Locked => 4,
            ExitStatus::Interrupted => 5,
            ExitStatus::RowsLost => 6,
        }
    }
}

/// Prints `lede: error: …` and each cause (or one JSON object with `--log-format json`), and
/// returns the fatal exit code.
pub(crate) fn report_fatal(err: &anyhow::Error, format: LogFormat) -> u8 {
    // A closed stdout (`lede schema | head`) is not an error worth a message.
    if err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    }) {
        return 0;
    }
    let mut stderr = std::io::stderr().lock();
    match format {
        LogFormat::Text => {
            let _ = writeln!(stderr, "lede: error: {err}");
            for cause in err.chain().skip(1) {
                let _ = writeln!(stderr, "  cause: {cause}");
            }
        }
        LogFormat::Json => {
            let causes: Vec<String> = err.chain().skip(1).map(ToString::to_string).collect();
            let object = serde_json::json!({"level": "error", "message": format!("lede: error: {err}"), "causes": causes});
            let _ = writeln!(stderr, "{object}");
        }
    }
    FATAL
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_lists_every_exit_code() {
        let statuses = [
            ExitStatus::Ok,
            ExitStatus::TooManyRejects,
            ExitStatus::Locked,
            ExitStatus::Interrupted,
            ExitStatus::RowsLost,
        ];
        let codes = statuses.map(ExitStatus::code);
        for code in codes.into_iter().chain([FATAL, 2]) {
            assert!(
                EXIT_CODES.contains(&format!("\n  {code}  ")),
                "{code} missing"
            );
        }
    }
}
