//! `newsdex completions SHELL` and `newsdex man`: a completion script and the manual page,
//! generated from the clap definitions in `cli.rs`, so they never drift from the real flags.

use std::io::Write;

use anyhow::Result;
use clap::CommandFactory;

use super::Outcome;
use crate::cli::Cli;

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell) -> Result<Outcome> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command, "newsdex", &mut out);
    out.flush()?;
    Ok(Outcome::Success)
}

/// Prints the manual page: `newsdex(1)` with a section per subcommand.
pub fn man() -> Result<Outcome> {
    let command = Cli::command();
    let mut out = std::io::stdout().lock();
    let man = clap_mangen::Man::new(command.clone());
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    man.render_options_section(&mut out)?;
    render_subcommands(&mut out, &command, "newsdex")?;
    man.render_version_section(&mut out)?;
    out.flush()?;
    Ok(Outcome::Success)
}

/// One section per subcommand, with its synopsis, description and options.
fn render_subcommands(out: &mut dyn Write, command: &clap::Command, prefix: &str) -> Result<()> {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        let name = format!("{prefix} {}", sub.get_name());
        let sub = sub.clone().bin_name(name);
        let man = clap_mangen::Man::new(sub.clone());
        writeln!(out, ".SH \"{}\"", sub.get_name().to_uppercase())?;
        let mut section = Vec::new();
        man.render_synopsis_section(&mut section)?;
        man.render_description_section(&mut section)?;
        man.render_options_section(&mut section)?;
        // Each part opens with its own `.SH` heading; demote them to `.SS` under this one.
        let text = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        out.write_all(text.as_bytes())?;
    }
    Ok(())
}
