//! Links the `newsdex` binary as a fixed-address (non-PIE) executable on Linux.
//!
//! A command-line search is a short process: a position-independent executable of this size
//! spends about a tenth of a search's instructions, and a few hundred page faults, having the
//! loader apply its 44,000 relative relocations at every start. A non-PIE binary has them
//! resolved when it is linked. Set `NEWSDEX_PIE=1` when building to keep a PIE (address-space
//! layout randomisation of the binary itself, for a build that serves untrusted clients).

fn main() {
    println!("cargo:rerun-if-env-changed=NEWSDEX_PIE");
    let linux = std::env::var("CARGO_CFG_TARGET_OS").is_ok_and(|os| os == "linux");
    let gnu_or_musl =
        std::env::var("CARGO_CFG_TARGET_ENV").is_ok_and(|env| env == "gnu" || env == "musl");
    let keep_pie = std::env::var("NEWSDEX_PIE").is_ok_and(|value| value == "1");
    if linux && gnu_or_musl && !keep_pie {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
