//! The `lede` binary: one call into the `lede` library, which holds the command line (flags,
//! config, a module per subcommand); all the work is in the library crates.

use std::process::ExitCode;

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    ExitCode::from(lede::main(std::env::args_os()))
}
