//! The `lede` command line, as a library: the binary (`main.rs`) is one call into it, and so is
//! the `lede` command the Python package installs, so both are the same CLI — every subcommand,
//! flag, message and exit code. It also resolves a configuration for the Python API with the
//! CLI's own validation and messages.
//!
//! ```no_run
//! let code: u8 = lede::main(["lede", "schema"].map(std::ffi::OsString::from));
//! std::process::exit(code.into());
//! ```

mod commands;
mod config;
mod flags;
mod status;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::Parser;

/// Runs the command line `args` (the program name first) and returns its exit code.
pub fn main(args: impl IntoIterator<Item = OsString>) -> u8 {
    let cli = match flags::Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(err) => {
            // `--help` and `--version` print and exit 0; a usage error prints and exits 2.
            let _ = err.print();
            return u8::try_from(err.exit_code()).unwrap_or(2);
        }
    };
    let format = match &cli.command {
        flags::Command::Run(args) => args.log_format,
        _ => flags::LogFormat::Text,
    };
    match commands::dispatch(cli) {
        Ok(status) => status.code(),
        Err(err) => status::report_fatal(&err, format),
    }
}

/// Where the Python API's configuration comes from.
pub enum ConfigSource<'a> {
    /// `./pipeline.toml` if there is one, else the defaults.
    Default,
    /// A `pipeline.toml` file.
    File(&'a Path),
    /// The keys of a `pipeline.toml` as JSON (a Python dict, serialised); relative paths are
    /// relative to the working directory.
    Json(&'a str),
}

/// The pipeline settings of `source`, validated as `lede run` validates its configuration
/// (every problem at once, naming the keys), with `root` as the one input: a folder of this
/// machine (`read_here`, which must exist), or a root an engine reads (a URL, say), which is
/// not looked for.
pub fn pipeline_settings(
    source: ConfigSource<'_>,
    root: PathBuf,
    read_here: bool,
) -> anyhow::Result<lede_pipeline::PipelineSettings> {
    let (options, base) = match source {
        ConfigSource::Default => config::load(None)?,
        ConfigSource::File(path) => config::load(Some(path))?,
        ConfigSource::Json(text) => (config::from_json(text)?, PathBuf::from(".")),
    };
    let overrides = config::Overrides {
        inputs_elsewhere: !read_here,
        inputs: vec![root],
        ..config::Overrides::default()
    };
    Ok(config::resolve(options, &base, overrides)?.pipeline)
}
