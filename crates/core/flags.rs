//! Command-line flags (clap derive); the doc comments are `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// lede turns archives of scraped articles (Markdown with YAML/TOML front matter, HTML, plain
/// text, any encoding) into a clean, Hive-partitioned Parquet dataset.
///
/// Exit codes: 0 success; 1 fatal error; 2 bad usage; 3 finished but rejects exceeded
/// `max_reject_ratio`; 4 another run holds the output lock; 5 stopped by a signal before
/// publishing (the previous dataset is intact).
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, long_about, max_term_width = 100)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Ingest every input into OUT/articles (Parquet), OUT/rejects and a run report in OUT/_runs.
    ///
    /// With no flags, reads ./pipeline.toml. Flags override the config file. Runs are
    /// incremental: unchanged files are skipped without being read, new files are added, a
    /// changed file's row is replaced. SIGTERM or Ctrl-C stops the run and publishes nothing.
    Run(RunArgs),
    /// Print the cleaned record of one file as JSON, warnings included.
    Inspect(InspectArgs),
    /// Print the dataset schema.
    Schema,
}

#[derive(Debug, Args)]
pub(crate) struct RunArgs {
    /// Config file [default: ./pipeline.toml, if present].
    #[arg(long, short = 'c', value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Input directory or file; repeat for several. Replaces `input.paths` of the config.
    #[arg(long, short = 'i', value_name = "DIR")]
    pub(crate) input: Vec<PathBuf>,
    /// Output directory. Replaces `output.dir` of the config.
    #[arg(long, short = 'o', value_name = "DIR")]
    pub(crate) output: Option<PathBuf>,
    /// Worker threads (0: one per core). Replaces `run.threads` of the config.
    #[arg(long, short = 'j', value_name = "N")]
    pub(crate) threads: Option<usize>,
    /// Rebuild the dataset from scratch instead of adding to it.
    #[arg(long)]
    pub(crate) full: bool,
    /// Remove the rows of inputs that no longer exist (by default they are kept).
    #[arg(long)]
    pub(crate) prune_deleted: bool,
    /// Print nothing but errors, even on a terminal.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print the summary line even when stderr is not a terminal (cron stays quiet without it).
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The article file.
    pub(crate) file: PathBuf,
    /// Config file, for the timezone and limits [default: ./pipeline.toml, if present].
    #[arg(long, short = 'c', value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_well_formed() {
        Cli::command().debug_assert();
    }
}
