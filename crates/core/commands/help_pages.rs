//! `lede completions SHELL` and `lede man [SUBCOMMAND]`: shell completions and manual pages,
//! made from the same clap definitions as `--help`, so they never drift from the flags.

use std::io::Write;

use anyhow::{Context, bail};
use clap::CommandFactory;

use crate::flags::{Cli, CompletionsArgs, ManArgs};
use crate::status::ExitStatus;

pub(crate) fn completions(args: &CompletionsArgs) -> anyhow::Result<ExitStatus> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "lede", &mut script);
    print(&script)
}

pub(crate) fn man(args: &ManArgs) -> anyhow::Result<ExitStatus> {
    let lede = Cli::command();
    let page = match &args.subcommand {
        None => lede,
        Some(name) => match lede.find_subcommand(name) {
            Some(subcommand) => subcommand.clone().name(format!("lede-{name}")),
            None => {
                let names: Vec<&str> = lede.get_subcommands().map(|c| c.get_name()).collect();
                bail!(
                    "no subcommand {name}; the subcommands are {}",
                    names.join(", ")
                )
            }
        },
    };
    let mut roff = Vec::new();
    clap_mangen::Man::new(page)
        .render(&mut roff)
        .context("cannot render the manual page")?;
    print(&roff)
}

fn print(bytes: &[u8]) -> anyhow::Result<ExitStatus> {
    std::io::stdout()
        .lock()
        .write_all(bytes)
        .context("cannot write to stdout")?;
    Ok(ExitStatus::Ok)
}
