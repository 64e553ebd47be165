//! `newsdex completions SHELL` and `newsdex man`, generated from the clap definitions.

use std::process::Command;

use clap::CommandFactory;
use newsdex::cli::Cli;

use super::util::Fixture;

/// The subcommands the command line defines.
fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect()
}

#[test]
fn bash_completion_passes_bash_syntax_check_and_knows_every_subcommand() {
    let fixture = Fixture::new();
    let script = fixture.run_ok(&["completions", "bash"], 0);
    let path = fixture.root().join("newsdex.bash");
    std::fs::write(&path, &script).unwrap();
    let check = Command::new("bash").arg("-n").arg(&path).output().unwrap();
    assert!(
        check.status.success(),
        "bash -n: {}",
        String::from_utf8_lossy(&check.stderr)
    );
    assert!(script.contains("complete -F _newsdex"), "{script}");
    for name in subcommands() {
        assert!(script.contains(&format!("newsdex,{name})")), "{name}");
    }
    assert!(script.contains("--explain"));
    assert!(script.contains("--lang"));
}

#[test]
fn every_shell_gets_a_script_naming_the_program() {
    let fixture = Fixture::new();
    for (shell, opening) in [
        ("zsh", "#compdef newsdex"),
        ("fish", "complete -c newsdex"),
        ("powershell", "Register-ArgumentCompleter"),
        ("elvish", "set edit:completion:arg-completer[newsdex]"),
    ] {
        let script = fixture.run_ok(&["completions", shell], 0);
        assert!(script.contains(opening), "{shell}: {script}");
    }
    let output = fixture.run(&["completions", "tcsh"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("invalid value 'tcsh'"));
}

#[test]
fn man_page_has_a_section_for_every_subcommand() {
    let fixture = Fixture::new();
    let page = fixture.run_ok(&["man"], 0);
    assert!(page.starts_with(".ie \\n(.g .ds Aq \\(aq"), "{page}");
    assert!(page.contains(".TH newsdex 1"), "{page}");
    let sections: Vec<&str> = page
        .lines()
        .filter_map(|line| line.strip_prefix(".SH "))
        .collect();
    let mut expected = vec!["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS"];
    let names: Vec<String> = subcommands()
        .iter()
        .map(|name| format!("\"{}\"", name.to_uppercase()))
        .collect();
    expected.extend(names.iter().map(String::as_str));
    expected.push("VERSION");
    assert_eq!(sections, expected);
    assert_eq!(subcommands().len(), 12);
    for name in subcommands() {
        assert!(page.contains(&format!("newsdex {name}")), "{name}");
    }
}
