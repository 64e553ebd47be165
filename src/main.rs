//! The `newsdex` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc: extraction and indexing allocate many small strings, and it frees them in about
/// half the time of the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    newsdex::exit_code(newsdex::commands::run(cli))
}
