//! `cargo xtask test`: installs what is missing, builds, runs every test tier, prints each tier's
//! result and ends with the one line CI reads: `N passed, N failed`.
use crate::emulator::Emulator;
use crate::extension;
use crate::prereqs::{self, venv_bin, WASM_TARGET, WINDOWS_TARGET};
use crate::sh::{self, cmd, root, Result};

/// What one tier counted. A tier whose runner failed without reporting a failed test (a compile
/// error, a crash) counts as one failure, so nothing that broke can look green.
#[derive(Default, Clone, Copy)]
pub struct Counts {
    pub passed: u64,
    pub failed: u64,
}

struct Tier {
    name: &'static str,
    run: fn() -> Result<Counts>,
}

const TIERS: &[Tier] = &[
    Tier { name: "rust", run: rust_tests },
    Tier { name: "wasm", run: wasm_tests },
    Tier { name: "python", run: python_tests },
    Tier { name: "browser", run: browser_tests },
    Tier { name: "checks", run: checks },
    // `cargo xtask dist`, then each artifact as a person gets it (Debian root, Wine, browsers).
    Tier { name: "dist", run: crate::dist_check::tier },
    // Each fuzz target for a few seconds from the committed seeds; a crash is a failed test.
    Tier { name: "fuzz", run: crate::fuzz::tier },
];

/// Why each failed check or tier failed, in one line each, repeated at the end of the run: a
/// long run's log is often read from its tail only, and the cause was scrolled away.
static FAILURES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

pub fn record_failure(what: &str, why: &str) {
    let mut why: String = why.split_whitespace().collect::<Vec<_>>().join(" ");
    if why.chars().count() > 300 {
        why = why.chars().take(300).collect::<String>() + "…";
    }
    FAILURES.lock().unwrap_or_else(|p| p.into_inner()).push(format!("{what}: {why}"));
}

/// Free space where target/ is, as `df` tells it ("12G"), for the summary of a failed run: a full
/// disk shows up as an unrelated compile error.
fn free_disk() -> Option<String> {
    let out = sh::output(cmd("df").args(["-h", "--output=avail"]).arg(root().join("target"))).ok()?;
    out.lines().nth(1).map(|l| l.trim().to_string())
}

pub fn run(only: &[String]) -> Result {
    prereqs::ensure_all()?;
    sh::run(cmd("cargo").args(["build", "--workspace", "--exclude", "ssobridge-wasm", "--bins"]))?;
    extension::build()?;
    let mut total = Counts::default();
    let mut lines = Vec::new();
    for tier in TIERS.iter().filter(|t| only.is_empty() || only.iter().any(|o| o == t.name)) {
        eprintln!("\n=== tier: {} ===", tier.name);
        let c = (tier.run)().unwrap_or_else(|e| {
            eprintln!("tier {} could not run: {e}", tier.name);
            record_failure(&format!("tier {} could not run", tier.name), &e);
            Counts { passed: 0, failed: 1 }
        });
        lines.push(format!("{:<8} {} passed, {} failed", tier.name, c.passed, c.failed));
        total.passed += c.passed;
        total.failed += c.failed;
    }
    println!("\n=== summary ===");
    for l in &lines {
        println!("{l}");
    }
    let failures = FAILURES.lock().unwrap_or_else(|p| p.into_inner()).clone();
    if total.failed > 0 {
        for f in &failures {
            println!("failed: {f}");
        }
        println!("free disk where target/ is: {}", free_disk().unwrap_or_else(|| "unknown".into()));
    }
    println!("{} passed, {} failed", total.passed, total.failed);
    if total.failed > 0 {
        Err(format!("{} test(s) failed", total.failed))
    } else {
        Ok(())
    }
}

fn rust_tests() -> Result<Counts> {
    let (ok, out) = sh::tee(cmd("cargo").args(["test", "--workspace", "--exclude", "ssobridge-wasm"]))?;
    Ok(settle(ok, cargo_counts(&out)))
}

/// The core's wasm build inside a real headless Chromium, in a service worker, against the emulator.
fn wasm_tests() -> Result<Counts> {
    // 60 accounts under a 20 req/s throttle, so the listing in the browser meets 429s; 1 s polls.
    let emu = Emulator::start(&[
        "--accounts",
        "60",
        "--roles-per-account",
        "3",
        "--throttle-rps",
        "20",
        "--poll-interval-secs",
        "1",
    ])?;
    let (ok, out) = sh::tee(
        cmd("cargo")
            .args(["test", "-p", "ssobridge-wasm", "--target", WASM_TARGET])
            // The runner reads webdriver.json (headless, no sandbox) from the current directory.
            .current_dir(root().join("crate/wasm"))
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env("WASM_BINDGEN_USE_BROWSER", "1")
            .env("WASM_BINDGEN_USE_SERVICE_WORKER", "1")
            .env("WASM_BINDGEN_TEST_TIMEOUT", "120")
            // Always name the driver: with geckodriver on PATH the runner silently picks Firefox.
            .env("CHROMEDRIVER", "/usr/bin/chromedriver")
            .env("IDC_EMULATOR_URL", emu.url()),
    )?;
    Ok(settle(ok, cargo_counts(&out)))
}

/// The emulator against botocore, boto3 and AWS CLI v1: proof that it speaks the real protocol.
fn python_tests() -> Result<Counts> {
    let (ok, out) =
        sh::tee(product_env(&mut cmd(venv_bin("pytest"))).args(["-q", "-p", "no:cacheprovider", "tests/python"]))?;
    Ok(settle(ok, pytest_counts(&out)))
}

/// The built extension in headless Debian Chromium (and Firefox) through Playwright.
fn browser_tests() -> Result<Counts> {
    let (ok, out) = sh::tee(
        product_env(&mut cmd("node"))
            // Node 20 has WebSocket (used to drive Firefox over WebDriver BiDi) behind a flag.
            // --test-force-exit: a test file that leaves a browser or server behind after a
            // failure must end with its failure counted, not hold the whole run until CI's limit.
            .args([
                "--experimental-websocket",
                "--test",
                "--test-reporter=tap",
                "--test-concurrency=1",
                "--test-force-exit",
            ])
            .arg(root().join("tests/e2e")),
    )?;
    Ok(settle(ok, tap_counts(&out)))
}

/// Where the browser tests and the demo find the built pieces: the extension, the emulator, the
/// native host, and the AWS CLI v1 in the venv.
pub fn product_env(c: &mut std::process::Command) -> &mut std::process::Command {
    c.env("SSOBRIDGE_EXTENSION_DIR", extension::dist("chromium"))
        .env("SSOBRIDGE_EXTENSION_DIR_FIREFOX", extension::dist("firefox"))
        .env("IDC_EMULATOR", root().join("target/debug/idc-emulator"))
        .env("SSOBRIDGE_HOST", root().join("target/debug/ssobridge-host"))
        .env("PATH", path_with_venv())
}

/// Whole-artifact checks, one count each: formatting (the workspace and the fuzz targets),
/// clippy (every crate, and the wasm crate on wasm32), Firefox's linter on the built extension, the native host's
/// Windows build, and that build run under Wine.
fn checks() -> Result<Counts> {
    let mut c = Counts::default();
    let mut tally = |name: &str, r: Result| match r {
        Ok(()) => c.passed += 1,
        Err(e) => {
            eprintln!("check {name} failed: {e}");
            c.failed += 1;
        }
    };
    tally("cargo fmt --check", sh::run(cmd("cargo").args(["fmt", "--all", "--check"])));
    tally(
        "cargo fmt --check (fuzz)",
        // `-p`: only the fuzz crate; `--all` would also format its path dependencies.
        sh::run(cmd("cargo").args(["fmt", "--check", "--manifest-path", "fuzz/Cargo.toml", "-p", "ssobridge-fuzz"])),
    );
    tally("clippy", sh::run(cmd("cargo").args(CLIPPY_WORKSPACE)));
    tally("clippy wasm32", sh::run(cmd("cargo").args(CLIPPY_WASM)));
    tally("web-ext lint", web_ext_lint());
    tally("windows build", sh::run(cmd("cargo").args(["build", "-p", "ssobridge-host", "--target", WINDOWS_TARGET])));
    tally("windows host under wine", crate::wine::check());
    Ok(c)
}

/// Every crate of the workspace with its tests, benches and examples; any warning fails.
const CLIPPY_WORKSPACE: &[&str] = &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"];

/// The wasm crate as the extension builds it (wasm32-only code paths included).
const CLIPPY_WASM: &[&str] =
    &["clippy", "-p", "ssobridge-wasm", "--target", WASM_TARGET, "--all-targets", "--", "-D", "warnings"];

fn web_ext_lint() -> Result {
    web_ext_lint_dir(&extension::dist("firefox"))
}

/// Firefox's linter on an unpacked extension; any error fails.
pub fn web_ext_lint_dir(dir: &std::path::Path) -> Result {
    let out = sh::output(
        cmd(root().join("node_modules/.bin/web-ext"))
            .args(["lint", "--output=json", "--self-hosted", "--source-dir"])
            .arg(dir),
    )?;
    let report: serde_json::Value = serde_json::from_str(&out).map_err(|e| format!("web-ext output: {e}"))?;
    // AMO reviews warnings as well as errors: either fails the check (issue 14).
    let count = |kind: &str| report["summary"][kind].as_u64().unwrap_or(u64::MAX);
    let (errors, warnings) = (count("errors"), count("warnings"));
    if errors != 0 || warnings != 0 {
        for kind in ["errors", "warnings"] {
            eprintln!("{}", serde_json::to_string_pretty(&report[kind]).unwrap_or_default());
        }
        return Err(format!("web-ext lint: {errors} error(s), {warnings} warning(s)"));
    }
    eprintln!("web-ext lint: 0 errors, 0 warnings, {} notice(s)", report["summary"]["notices"]);
    Ok(())
}

fn path_with_venv() -> String {
    format!("{}:{}", root().join(".venv/bin").display(), std::env::var("PATH").unwrap_or_default())
}

fn settle(ok: bool, c: Counts) -> Counts {
    if !ok && c.failed == 0 {
        Counts { failed: 1, ..c }
    } else {
        c
    }
}

/// Sums libtest's `test result: ok. 3 passed; 0 failed; ...` lines.
pub fn cargo_counts(out: &str) -> Counts {
    let mut c = Counts::default();
    for line in out.lines().filter(|l| l.starts_with("test result:")) {
        c.passed += number_before(line, " passed");
        c.failed += number_before(line, " failed");
    }
    c
}

/// Reads pytest's closing line, e.g. `3 passed, 1 failed, 2 errors in 1.2s`.
pub fn pytest_counts(out: &str) -> Counts {
    let last = out
        .lines()
        .rev()
        .find(|l| l.contains(" passed") || l.contains(" failed") || l.contains(" error"))
        .unwrap_or("");
    Counts {
        passed: number_before(last, " passed"),
        failed: number_before(last, " failed") + number_before(last, " error"),
    }
}

/// Reads node's TAP summary (`# pass 3`, `# fail 0`).
pub fn tap_counts(out: &str) -> Counts {
    let field = |name: &str| {
        out.lines().rev().find_map(|l| l.strip_prefix(name)).and_then(|n| n.trim().parse().ok()).unwrap_or(0)
    };
    Counts { passed: field("# pass "), failed: field("# fail ") }
}

/// The number written just before `word` in `line`, or 0.
fn number_before(line: &str, word: &str) -> u64 {
    line.find(word)
        .and_then(|i| line[..i].rsplit(|c: char| !c.is_ascii_digit()).next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_each_runners_counts() {
        let cargo =
            "test result: ok. 3 passed; 0 failed; 0 ignored\ntest result: FAILED. 2 passed; 1 failed; 0 ignored\n";
        let c = cargo_counts(cargo);
        assert_eq!((c.passed, c.failed), (5, 1));
        let c = pytest_counts("....F\n1 failed, 4 passed, 1 error in 0.52s\n");
        assert_eq!((c.passed, c.failed), (4, 2));
        let c = tap_counts("ok 1 - a\n# tests 3\n# pass 2\n# fail 1\n");
        assert_eq!((c.passed, c.failed), (2, 1));
    }

    #[test]
    fn a_crashed_runner_is_a_failure() {
        let c = settle(false, Counts::default());
        assert_eq!(c.failed, 1);
    }
}
