//! `cargo xtask dist`: everything a release needs, in `target/dist/`: the host for each OS and
//! CPU (cross-linked by cargo-zigbuild, so no platform SDK is needed), the Chromium zip, the
//! unsigned Firefox xpi, and `SHA256SUMS`. Names carry the OS and CPU, and the workspace version
//! (the one version of every part).
use crate::extension;
use crate::prereqs;
use crate::sh::{self, cmd, root, Result};
use ssobridge_core::install_hint::{HostAsset, HOST_ASSETS};
use std::path::PathBuf;
use std::time::Instant;

/// The workspace version, which the extension manifest also carries.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every host release asset (the core's table: the popup links the same names).
pub const HOSTS: &[HostAsset] = HOST_ASSETS;

/// The Rust target an asset is built for. musl makes the Linux hosts static, free of the
/// machine's C library.
pub fn target(asset: &HostAsset) -> &'static str {
    match (asset.os, asset.arch) {
        ("linux", "arm64") => "aarch64-unknown-linux-musl",
        ("linux", _) => "x86_64-unknown-linux-musl",
        ("win", _) => "x86_64-pc-windows-gnu",
        ("mac", "arm64") => "aarch64-apple-darwin",
        _ => "x86_64-apple-darwin",
    }
}

pub fn dir() -> PathBuf {
    root().join("target/dist")
}

pub fn chromium_zip() -> String {
    format!("sso-bridge-chromium-{VERSION}.zip")
}

pub fn firefox_xpi() -> String {
    format!("sso-bridge-firefox-{VERSION}.xpi")
}

pub fn run() -> Result {
    extension::build()?;
    package()
}

/// Everything but building the extension (the test run has just built it).
pub fn package() -> Result {
    let started = Instant::now();
    let triples: Vec<&str> = HOSTS.iter().map(target).collect();
    prereqs::ensure_dist_tools(&triples)?;
    let out = dir();
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("creating {}: {e}", out.display()))?;
    build_hosts()?;
    let hosts_done = started.elapsed();
    package_chromium()?;
    package_firefox()?;
    write_sums()?;
    eprintln!(
        "dist: {} in {:.0?} (hosts {:.0?}, packages {:.0?})",
        out.display(),
        started.elapsed(),
        hosts_done,
        started.elapsed() - hosts_done
    );
    Ok(())
}

/// One `cargo zigbuild` for every target: cargo schedules all of them on the two cores at once
/// and builds the proc-macros (serde, clap, thiserror) once for all.
fn build_hosts() -> Result {
    let mut c = cmd("cargo");
    c.args(["zigbuild", "--release", "-p", "ssobridge-host", "--bin", "ssobridge-host"]);
    for h in HOSTS {
        c.args(["--target", target(h)]);
    }
    // Smaller downloads; symbols help nobody who runs a release binary.
    c.env("CARGO_PROFILE_RELEASE_STRIP", "symbols");
    // `python3 -m ziglang` (the PyPI package) is how cargo-zigbuild finds zig.
    c.env("PATH", format!("{}:{}", root().join(".venv/bin").display(), std::env::var("PATH").unwrap_or_default()));
    sh::run_showing_errors(&mut c)?;
    for h in HOSTS {
        let exe = if target(h).contains("windows") { "ssobridge-host.exe" } else { "ssobridge-host" };
        let built = root().join("target").join(target(h)).join("release").join(exe);
        let dest = dir().join(h.file);
        std::fs::copy(&built, &dest).map_err(|e| format!("copying {} to {}: {e}", built.display(), dest.display()))?;
    }
    Ok(())
}

/// The unpacked Chromium build, zipped with its files at the top (what the Chrome Web Store and
/// Edge Add-ons take, and what "Load unpacked" wants once unzipped).
fn package_chromium() -> Result {
    let src = extension::dist("chromium");
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&src)
        .map_err(|e| format!("reading {}: {e}", src.display()))?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    // Python's zipfile stores each argument under its own name, recursing into folders.
    sh::run(cmd("python3").args(["-m", "zipfile", "-c"]).arg(dir().join(chromium_zip())).args(&entries))
}

fn package_firefox() -> Result {
    sh::run(
        cmd(root().join("node_modules/.bin/web-ext"))
            .args(["build", "--overwrite-dest", "--source-dir"])
            .arg(extension::dist("firefox"))
            .arg("--artifacts-dir")
            .arg(dir())
            .arg("--filename")
            .arg(firefox_xpi()),
    )
}

/// `SHA256SUMS` in the format `sha256sum -c` checks.
fn write_sums() -> Result {
    let mut names: Vec<String> = HOSTS.iter().map(|h| h.file.to_string()).collect();
    names.push(chromium_zip());
    names.push(firefox_xpi());
    let sums = sh::output(cmd("sha256sum").current_dir(dir()).args(&names))?;
    std::fs::write(dir().join("SHA256SUMS"), sums).map_err(|e| format!("writing SHA256SUMS: {e}"))
}
