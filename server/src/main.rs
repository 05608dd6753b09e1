//! The `goalframe` binary: the command line and the language server, both
//! thin adapters over the library.

mod cli;
#[cfg(feature = "lsp")]
mod lsp;
#[cfg(feature = "mcp")]
mod mcp;
#[cfg(any(feature = "lsp", feature = "mcp"))]
mod watch;

/// The benchmarks' seeded generator, for the randomised unit tests.
#[cfg(test)]
#[path = "../../tests/bench/src/gen.rs"]
mod gen;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Reading a folder of reviews makes and frees millions of small values
/// across two or more threads: jemalloc does that faster than the C
/// library's allocator (BENCHMARKS.md, "The allocator: jemalloc").
#[cfg(all(feature = "jemalloc", not(target_env = "msvc")))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Parser)]
#[command(
    name = "goalframe",
    version,
    about = "Goal templates from canon job-architecture text: render, lint, export and report on goals; a language server and an MCP server.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

/// The command line's commands, and the two servers: started from here,
/// so that the command line, which both servers use, does not depend on
/// them in turn.
#[derive(Subcommand)]
enum Command {
    #[command(flatten)]
    Cli(cli::Command),
    /// Run the language server on stdin/stdout.
    #[cfg(feature = "lsp")]
    Lsp {
        /// Accepted for editors that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Run the MCP server on stdin/stdout, for AI assistants.
    #[cfg(feature = "mcp")]
    Mcp {
        #[command(flatten)]
        canon: cli::CanonArgs,
    },
}

fn main() -> ExitCode {
    let parsed = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { cli::EXIT_USAGE } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match parsed.command {
        Command::Cli(command) => command.run(),
        #[cfg(feature = "lsp")]
        Command::Lsp { stdio: _ } => lsp::run_stdio(),
        #[cfg(feature = "mcp")]
        Command::Mcp { canon } => mcp::run_stdio(&canon),
    }
}
