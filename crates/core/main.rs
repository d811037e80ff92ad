//! The `lede` binary: flags, config and one module per subcommand. All the work is in the
//! library crates; this crate turns their results into output and exit codes.

mod commands;
mod config;
mod flags;
mod status;

use std::process::ExitCode;

use clap::Parser;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = flags::Cli::parse();
    let format = match &cli.command {
        flags::Command::Run(args) => args.log_format,
        _ => flags::LogFormat::Text,
    };
    match commands::dispatch(cli) {
        Ok(status) => status.into(),
        Err(err) => status::report_fatal(&err, format),
    }
}
