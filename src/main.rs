//! The `newsdex` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

/// mimalloc (its v2 line): extraction allocates and frees many short-lived strings, lists and
/// maps per article, and glibc's allocator took a tenth of its time. mimalloc v3 costs about a
/// millisecond more at every start, which a CLI search pays.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    newsdex::exit_code(newsdex::commands::run(cli))
}
