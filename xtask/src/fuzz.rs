//! `cargo xtask fuzz [--seconds N] [TARGET]`: builds the cargo-fuzz targets in `fuzz/` and runs
//! each (or one) for N seconds, seeded from the committed `fuzz/seeds/TARGET/`. The test tier
//! `fuzz` runs every target for [`TIER_SECONDS`].
//!
//! Everything a run writes stays under `target/fuzz/`: the build, the growing corpus
//! (`corpus/TARGET`, listed first so libFuzzer adds new inputs there and never to the seeds)
//! and crash inputs (`artifacts/TARGET/`).
//!
//! Flags, and why: `--sanitizer none`, because the code under test is safe Rust (AddressSanitizer
//! finds memory errors in unsafe code and would only slow the runs) and because without it
//! cargo-fuzz passes only stable `-C` flags (`-Cpasses=sancov-module`, `-Cllvm-args=...`), so a
//! stable toolchain can build the targets too; `--debug-assertions` turns on overflow checks
//! and `debug_assert!`s, so an overflow is a crash. The nightly toolchain is preferred, as
//! cargo-fuzz expects; without it (not installed and not installable) the stable toolchain
//! builds with `RUSTC_BOOTSTRAP=1`. Checked on this machine kind (cargo-fuzz 0.13.2): rustup
//! reaches nightly here; `cargo +stable fuzz build --sanitizer none` builds and runs even without
//! `RUSTC_BOOTSTRAP`, which is set only in case a cargo-fuzz version adds a `-Z` flag.
use std::path::{Path, PathBuf};

use crate::prereqs::{self, FuzzToolchain};
use crate::sh::{self, cmd, root, Result};
use crate::test::Counts;

/// Every target, in the order they run (each is `fuzz/fuzz_targets/NAME.rs`).
pub const TARGETS: [&str; 7] = [
    "config_roundtrip",
    "config_edit",
    "protocol_request",
    "host_framing",
    "token_cache",
    "oidc_responses",
    "portal_listing",
];

/// Seconds per target for `cargo xtask fuzz` without `--seconds`.
pub const DEFAULT_SECONDS: u64 = 60;

/// Seconds per target in `cargo xtask test`: 7 targets stay near a minute and a quarter.
pub const TIER_SECONDS: u64 = 10;

/// Where cargo-fuzz puts the binaries (its `--target-dir`, plus the host triple and profile).
fn target_dir() -> PathBuf {
    root().join("target/fuzz")
}

pub fn run(seconds: Option<u64>, target: Option<String>) -> Result {
    let targets: Vec<&str> = match &target {
        Some(t) if TARGETS.contains(&t.as_str()) => vec![t.as_str()],
        Some(t) => return Err(format!("unknown fuzz target `{t}`; one of: {}", TARGETS.join(", "))),
        None => TARGETS.to_vec(),
    };
    let c = run_targets(&targets, seconds.unwrap_or(DEFAULT_SECONDS))?;
    println!("fuzz: {} target(s) ran clean, {} crashed", c.passed, c.failed);
    if c.failed > 0 {
        Err(format!("{} fuzz target(s) crashed", c.failed))
    } else {
        Ok(())
    }
}

/// The test tier: one count per target, a crash is a failed test.
pub fn tier() -> Result<Counts> {
    run_targets(&TARGETS, TIER_SECONDS)
}

fn run_targets(targets: &[&str], seconds: u64) -> Result<Counts> {
    let toolchain = prereqs::ensure_fuzz_tools()?;
    build(&toolchain)?;
    let mut counts = Counts::default();
    let mut lines = Vec::new();
    for target in targets {
        let (ok, line) = run_one(target, seconds)?;
        if ok {
            counts.passed += 1
        } else {
            counts.failed += 1
        }
        lines.push(line);
    }
    eprintln!();
    for l in &lines {
        eprintln!("{l}");
    }
    Ok(counts)
}

fn build(toolchain: &FuzzToolchain) -> Result {
    let mut c = cmd("cargo");
    c.arg(format!("+{}", toolchain.name))
        .args(["fuzz", "build", "--sanitizer", "none", "--debug-assertions", "--target-dir"])
        .arg(target_dir());
    if toolchain.bootstrap {
        c.env("RUSTC_BOOTSTRAP", "1");
    }
    sh::run_showing_errors(&mut c)
}

/// Runs one target; returns whether it ran clean and one line saying what happened.
fn run_one(target: &str, seconds: u64) -> Result<(bool, String)> {
    let corpus = target_dir().join("corpus").join(target);
    let artifacts = target_dir().join("artifacts").join(target);
    for dir in [&corpus, &artifacts] {
        std::fs::create_dir_all(dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    }
    let binary = target_dir().join(host_triple()?).join("release").join(target);
    let (ok, log) = sh::tee_stderr(
        cmd(&binary)
            .arg(&corpus)
            .arg(root().join("fuzz/seeds").join(target))
            .arg(format!("-max_total_time={seconds}"))
            .arg(format!("-artifact_prefix={}/", artifacts.display()))
            // An input that takes 5 s is a hang worth reporting; memory stays bounded.
            .args(["-timeout=5", "-rss_limit_mb=2048", "-print_final_stats=1"]),
    )?;
    let runs = log.lines().rev().find_map(|l| l.strip_prefix("Done ")).unwrap_or("no runs reported").to_string();
    if ok {
        return Ok((true, format!("fuzz {target:<17} ok: {runs}")));
    }
    let crash = log.lines().rev().find_map(|l| l.split("Test unit written to ").nth(1)).map(str::trim);
    let line = match crash {
        Some(input) => {
            format!("fuzz {target:<17} CRASHED: input {input}\n    reproduce: {} {input}", relative(&binary).display())
        }
        None => format!("fuzz {target:<17} FAILED without a crash input (see the log above)"),
    };
    Ok((false, line))
}

fn relative(p: &Path) -> &Path {
    p.strip_prefix(root()).unwrap_or(p)
}

/// The host triple, which cargo-fuzz always builds for explicitly.
fn host_triple() -> Result<String> {
    let out = sh::output(cmd("rustc").arg("-vV"))?;
    out.lines()
        .find_map(|l| l.strip_prefix("host: "))
        .map(str::to_string)
        .ok_or_else(|| "rustc -vV names no host".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every target is a `[[bin]]` of fuzz/Cargo.toml and has committed seeds, and vice versa.
    #[test]
    fn targets_match_the_fuzz_crate_and_have_seeds() {
        let manifest = std::fs::read_to_string(root().join("fuzz/Cargo.toml")).unwrap();
        let bins: Vec<&str> = manifest
            .lines()
            .filter_map(|l| l.strip_prefix("name = \""))
            .map(|n| n.trim_end_matches('"'))
            .filter(|n| *n != "ssobridge-fuzz")
            .collect();
        assert_eq!(bins, TARGETS);
        for t in TARGETS {
            let seeds = std::fs::read_dir(root().join("fuzz/seeds").join(t)).unwrap().count();
            assert!(seeds > 0, "{t} has no seeds");
        }
    }
}
