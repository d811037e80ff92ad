//! Command-line flags (clap derive); the doc comments are `--help`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::status::EXIT_CODES;

/// lede turns archives of scraped articles (Markdown with YAML/TOML front matter, HTML, plain
/// text, any encoding) into a clean, Hive-partitioned Parquet dataset.
#[derive(Debug, Parser)]
#[command(name = "lede", version, about, long_about, max_term_width = 100)]
#[command(after_help = EXIT_CODES)]
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
    #[command(after_help = EXIT_CODES)]
    Run(RunArgs),
    /// Print the cleaned record of one file as JSON, warnings included.
    ///
    /// For a whole web page the record also says what was read (`main_content_read`: an element,
    /// or the whole page when no subtree stood out) and lists `main_content_candidates`: the
    /// subtree chosen as the story (`chosen`) and the next best, with their scores, text length
    /// and link density.
    Inspect(InspectArgs),
    /// Print the dataset schema.
    Schema(SchemaArgs),
    /// A data-quality report over a written dataset: articles per site, author, language and
    /// month, NULL rates, duplicates, warnings, rejects, the largest and smallest texts.
    Stats(StatsArgs),
    /// Validate the config without running; with --sample, also run on sample data and check
    /// the dataset's schema and reject ratio (for CI).
    Check(CheckArgs),
    /// Print a shell completion script: `lede completions bash > ~/.local/share/bash-completion/completions/lede`.
    Completions(CompletionsArgs),
    /// Print the manual page (roff): `lede man > ~/.local/share/man/man1/lede.1`; `lede man run`
    /// for a subcommand's page.
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub(crate) shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub(crate) struct ManArgs {
    /// A subcommand, for its own page (`lede-run.1`).
    #[arg(value_name = "SUBCOMMAND")]
    pub(crate) subcommand: Option<String>,
}

#[derive(Debug, Args)]
pub(crate) struct StatsArgs {
    /// The dataset directory (`output.dir` of the run).
    #[arg(value_name = "OUT_DIR")]
    pub(crate) dataset: PathBuf,
    /// Print the report as JSON instead of text.
    #[arg(long)]
    pub(crate) json: bool,
    /// Write the report as a self-contained HTML page with charts to FILE (and print only
    /// where it went; with --json, the JSON too).
    #[arg(long, value_name = "FILE")]
    pub(crate) html: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub(crate) struct SchemaArgs {
    /// Print the schema as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Config file [default: ./pipeline.toml, if present].
    #[arg(long, short = 'c', value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Also run the pipeline on DIR into a temporary directory and check the result.
    #[arg(long, value_name = "DIR")]
    pub(crate) sample: Option<PathBuf>,
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
    /// Remove the rows of inputs that no longer exist (by default they are kept). Refused when
    /// it would remove more than `run.max_prune_ratio` of the rows (default 25%): an empty or
    /// unmounted input looks like every file deleted.
    #[arg(long)]
    pub(crate) prune_deleted: bool,
    /// --prune-deleted, whatever share of the rows it removes.
    #[arg(long)]
    pub(crate) force_prune: bool,
    /// Print nothing but errors, even on a terminal.
    #[arg(long, short = 'q', conflicts_with = "verbose")]
    pub(crate) quiet: bool,
    /// Print the summary line even when stderr is not a terminal (cron stays quiet without it).
    #[arg(long, short = 'v')]
    pub(crate) verbose: bool,
    /// How lede's own messages on stderr are written: `text`, or `json` (one object per line).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct InspectArgs {
    /// The article file.
    pub(crate) file: PathBuf,
    /// Config file, for the timezone, limits and site rules [default: ./pipeline.toml, if present].
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
