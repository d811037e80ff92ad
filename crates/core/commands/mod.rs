//! One module per subcommand.

mod check;
mod help_pages;
mod inspect;
mod run;
mod schema;
mod stats;

use crate::flags::{Cli, Command};
use crate::status::ExitStatus;

pub(crate) fn dispatch(cli: Cli) -> anyhow::Result<ExitStatus> {
    match cli.command {
        Command::Run(args) => run::run(&args),
        Command::Inspect(args) => inspect::inspect(&args),
        Command::Schema(args) => schema::schema(&args),
        Command::Check(args) => check::check(&args),
        Command::Stats(args) => stats::stats(&args),
        Command::Completions(args) => help_pages::completions(&args),
        Command::Man(args) => help_pages::man(&args),
    }
}
