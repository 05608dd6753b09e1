//! The `goalframe` binary: the command line and the language server, both
//! thin adapters over the library.

mod cli;
#[cfg(feature = "lsp")]
mod lsp;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
