//! newsdex: a search engine for news archives. Reads a folder of articles, extracts the people,
//! countries and topics each is about, indexes them with tantivy and answers ranked, faceted
//! searches.

#![warn(missing_docs)]

pub mod archive;
pub mod article;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod engine;
pub mod enrich;
pub mod index;
pub mod output;
pub mod report;
pub mod search;
pub mod serve;

/// Maps the result of a command to the process exit code: 0 success, 1 nothing found (or
/// some files failed to index), 2 error. The error chain is printed to stderr; a closed pipe
/// (`newsdex search x | head -1`) is not an error.
pub fn exit_code(result: anyhow::Result<commands::Outcome>) -> std::process::ExitCode {
    match result {
        Ok(commands::Outcome::Success) => std::process::ExitCode::SUCCESS,
        Ok(commands::Outcome::Nothing) => std::process::ExitCode::from(1),
        Err(error) if is_broken_pipe(&error) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error:#}");
            std::process::ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io_kind = cause
            .downcast_ref::<std::io::Error>()
            .map(std::io::Error::kind);
        let json_kind = cause
            .downcast_ref::<serde_json::Error>()
            .and_then(|e| e.io_error_kind());
        io_kind.or(json_kind) == Some(std::io::ErrorKind::BrokenPipe)
    })
}
