//! The `newsdex` binary: parse the command line, run it, map the outcome to an exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = newsdex::cli::Cli::parse();
    newsdex::exit_code(newsdex::commands::run(cli))
}
