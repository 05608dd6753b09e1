//! The `goalframe` binary: the command line and the language server, both
//! thin adapters over the library.

mod cli;
#[cfg(feature = "lsp")]
mod lsp;
#[cfg(feature = "mcp")]
mod mcp;

/// The benchmarks' seeded generator, for the randomised unit tests.
#[cfg(test)]
#[path = "../../tests/bench/src/gen.rs"]
mod gen;

use std::process::ExitCode;

fn main() -> ExitCode {
    cli::run()
}
