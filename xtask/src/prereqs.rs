//! Installs what the build and the tests need, skipping whatever is already there, so a fresh
//! machine and a warm one run the same command. What cannot be installed from here is reported
//! with the exact command a person should run.
use crate::sh::{self, cmd, root, Result};
use std::path::Path;

/// Debian packages the browser tests and the Windows build need.
const APT_PACKAGES: &[(&str, &str)] = &[
    ("/usr/bin/chromium", "chromium"),
    ("/usr/bin/chromedriver", "chromium-driver"),
    // Debian's Chromium ships only en-US; the Japanese-browser test needs the ja locale pack.
    ("/usr/lib/chromium/locales/ja.pak", "chromium-l10n"),
    ("/usr/bin/firefox-esr", "firefox-esr"),
    // Debian's Chromium has no CJK font: without one the Japanese screenshots show empty boxes.
    ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", "fonts-ipafont-gothic"),
    ("/usr/bin/x86_64-w64-mingw32-gcc", "mingw-w64"),
    // The SSH sync-target tests (native-host/tests/targets_ssh.rs) run their own sshd.
    ("/usr/sbin/sshd", "openssh-server"),
    // The dist tier runs the Linux host in a minimal Debian root made by debootstrap.
    ("/usr/sbin/debootstrap", "debootstrap"),
];

/// Python packages for the interop tier: AWS CLI v1 (it carries its own botocore), boto3, pytest.
pub const PYTHON_REQUIREMENTS: &str = "tests/python/requirements.txt";

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const WINDOWS_TARGET: &str = "x86_64-pc-windows-gnu";

pub fn venv_bin(tool: &str) -> std::path::PathBuf {
    root().join(".venv/bin").join(tool)
}

pub fn ensure_all() -> Result {
    ensure_rust_targets()?;
    ensure_wasm_bindgen()?;
    ensure_npm()?;
    ensure_apt()?;
    ensure_venv()
}

pub fn ensure_rust_targets() -> Result {
    let installed = sh::output(cmd("rustup").args(["target", "list", "--installed"]))?;
    for target in [WASM_TARGET, WINDOWS_TARGET] {
        if !installed.lines().any(|l| l.trim() == target) {
            sh::run(cmd("rustup").args(["target", "add", target]))?;
        }
    }
    Ok(())
}

/// The wasm-bindgen version in Cargo.lock; the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("reading Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen is not in Cargo.lock".into())
}

pub fn ensure_wasm_bindgen() -> Result {
    let want = locked_wasm_bindgen_version()?;
    let have = sh::output(cmd("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(want.as_str()) && sh::works("wasm-bindgen-test-runner", "--version") {
        return Ok(());
    }
    // No `--locked`: the registry lacks one of the CLI's locked dependencies (toolchain.md).
    sh::run(cmd("cargo").args(["install", "wasm-bindgen-cli", "--version", &want]))
}

pub fn ensure_npm() -> Result {
    let stamp = root().join("node_modules/.package-lock.json");
    let lock = root().join("package-lock.json");
    if newer_or_equal(&stamp, &lock) {
        return Ok(());
    }
    if !sh::works("npm", "--version") {
        return Err("npm is missing: install Node.js 20 and npm (Debian: apt-get install -y nodejs npm)".into());
    }
    sh::run(cmd("npm").args(["ci", "--no-audit", "--no-fund"]))
}

fn newer_or_equal(a: &Path, b: &Path) -> bool {
    let m = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    matches!((m(a), m(b)), (Some(x), Some(y)) if x >= y)
}

pub fn ensure_apt() -> Result {
    let missing: Vec<&str> = APT_PACKAGES.iter().filter(|(bin, _)| !Path::new(bin).exists()).map(|(_, p)| *p).collect();
    if missing.is_empty() {
        return Ok(());
    }
    let install = format!("apt-get install -y --no-install-recommends {}", missing.join(" "));
    let is_root = sh::output(cmd("id").arg("-u")).map(|s| s.trim() == "0").unwrap_or(false);
    if !is_root || !Path::new("/usr/bin/apt-get").exists() {
        return Err(format!("missing system packages; run: sudo apt-get update && sudo {install}"));
    }
    sh::run(cmd("apt-get").arg("update").arg("-qq"))?;
    sh::run(cmd("sh").arg("-c").arg(format!("DEBIAN_FRONTEND=noninteractive {install}")))
}

pub fn ensure_venv() -> Result {
    let stamp = root().join(".venv/.requirements-installed");
    let req = root().join(PYTHON_REQUIREMENTS);
    if newer_or_equal(&stamp, &req) && venv_bin("aws").exists() {
        return Ok(());
    }
    if !venv_bin("python").exists() {
        sh::run(cmd("python3").args(["-m", "venv", ".venv"]))
            .map_err(|e| format!("{e}; install Python 3 with venv (Debian: apt-get install -y python3-venv)"))?;
    }
    sh::run(cmd(venv_bin("pip")).args(["install", "--quiet", "--disable-pip-version-check", "-r"]).arg(&req))?;
    std::fs::write(&stamp, "").map_err(|e| e.to_string())
}

// Tools from registries at the versions these builds were checked with: a newer release may want a
// newer rustc than the machine's one toolchain, or change how zig is found.
const CARGO_FUZZ: &str = "0.13.2";
const CARGO_ZIGBUILD: &str = "0.24.1";
const ZIGLANG: &str = "0.17.1";
// The nightly the fuzz targets were last built with here (a dated one: plain `nightly` on a fresh
// machine is whatever was published last night).
const FUZZ_NIGHTLY: &str = "nightly-2026-10-29";

/// The toolchain the fuzz targets build with (see `fuzz.rs` for the flags and why).
pub struct FuzzToolchain {
    /// The rustup toolchain, for `cargo +NAME fuzz`.
    pub name: &'static str,
    /// Build with `RUSTC_BOOTSTRAP=1` (stable standing in for nightly).
    pub bootstrap: bool,
}

/// cargo-fuzz from crates.io when missing, and the pinned nightly toolchain when rustup can get it;
/// otherwise the stable toolchain with `RUSTC_BOOTSTRAP=1`.
pub fn ensure_fuzz_tools() -> Result<FuzzToolchain> {
    if !sh::works("cargo-fuzz", "--version") {
        sh::run(cmd("cargo").args(["install", "cargo-fuzz", "--version", CARGO_FUZZ]))?;
    }
    let has_nightly = || sh::works_with("rustup", &["run", FUZZ_NIGHTLY, "rustc", "--version"]);
    if has_nightly()
        || (sh::run(cmd("rustup").args(["toolchain", "install", FUZZ_NIGHTLY, "--profile", "minimal"])).is_ok()
            && has_nightly())
    {
        return Ok(FuzzToolchain { name: FUZZ_NIGHTLY, bootstrap: false });
    }
    eprintln!("no nightly toolchain: building the fuzz targets with stable and RUSTC_BOOTSTRAP=1");
    Ok(FuzzToolchain { name: "stable", bootstrap: true })
}

/// `cargo xtask dist`: the Rust targets, cargo-zigbuild (crates.io) and zig (the PyPI
/// `ziglang` package, in `.venv`); each skipped when present.
pub fn ensure_dist_tools(triples: &[&str]) -> Result {
    let installed = sh::output(cmd("rustup").args(["target", "list", "--installed"]))?;
    let missing: Vec<&str> = triples.iter().copied().filter(|t| !installed.lines().any(|l| l.trim() == *t)).collect();
    if !missing.is_empty() {
        sh::run_showing_errors(cmd("rustup").args(["target", "add"]).args(&missing))?;
    }
    if !sh::works("cargo-zigbuild", "--version") {
        sh::run_showing_errors(cmd("cargo").args([
            "install",
            "cargo-zigbuild",
            "--locked",
            "--version",
            CARGO_ZIGBUILD,
        ]))?;
    }
    ensure_venv()?;
    if !sh::works_with(&venv_bin("python").to_string_lossy(), &["-m", "ziglang", "version"]) {
        sh::run(cmd(venv_bin("pip")).args([
            "install",
            "--quiet",
            "--disable-pip-version-check",
            &format!("ziglang=={ZIGLANG}"),
        ]))?;
    }
    Ok(())
}
