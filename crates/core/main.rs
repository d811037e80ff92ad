//! The `lede` binary: flags, config and one module per subcommand. All the work is in the
//! library crates; this crate turns their results into output and exit codes.

mod commands;
mod config;
mod flags;
mod status;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    match commands::dispatch(flags::Cli::parse()) {
        Ok(status) => status.into(),
        Err(err) => status::report_fatal(&err),
    }
}
