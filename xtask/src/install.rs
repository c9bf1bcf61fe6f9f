//! `cargo xtask install` / `uninstall`: builds a release `ssobridge-host` and runs its own
//! self-install (the one a downloaded host does: a copy in a stable per-user place, since
//! browsers start it by absolute path and `cargo clean` empties `target/`, registered with every
//! browser), builds the extension and says how to load it. `--home DIR` does all of it under
//! another home, for tests.
use crate::extension;
use crate::sh::{self, cmd, root, Result};
use std::fs;
use std::path::{Path, PathBuf};

use ssobridge_host::install::EXE_NAME as HOST;

/// The home to install under: `--home`, else `HOME` (`USERPROFILE` on Windows).
pub fn home_or_default(home: Option<PathBuf>) -> Result<PathBuf> {
    let var = if cfg!(windows) { "USERPROFILE" } else { "HOME" };
    home.or_else(|| std::env::var_os(var).map(PathBuf::from))
        .ok_or_else(|| format!("{var} is not set; pass --home DIR"))
}

/// Where the installed host lives (the host's own table).
pub fn install_dir(home: &Path) -> PathBuf {
    ssobridge_host::install::install_dir(std::env::consts::OS, home)
}

/// Builds the release host and returns its path (also used by `cargo xtask bench`).
pub fn build_release_host() -> Result<PathBuf> {
    sh::run(cmd("cargo").args(["build", "--release", "-p", "ssobridge-host"]))?;
    Ok(root().join("target/release").join(HOST))
}

pub fn install(home_arg: Option<PathBuf>) -> Result {
    let undo = match &home_arg {
        Some(h) => format!("cargo xtask uninstall --home {}", h.display()),
        None => "cargo xtask uninstall".to_string(),
    };
    let home = home_or_default(home_arg)?;
    let built = build_release_host()?;
    let host = install_host(&built, &home)?;
    extension::build()?;
    println!(
        "\nThe native host is installed at {host}\nand registered with Chrome, Chromium, Edge, Brave and Firefox (manifests above).\n\
         \nLoad the extension:\
         \n  Chrome, Chromium, Edge, Brave: open chrome://extensions (edge://extensions, brave://extensions),\
         \n    turn on Developer mode, click \"Load unpacked\" and choose {chromium}\
         \n  Firefox: open about:debugging#/runtime/this-firefox, click \"Load Temporary Add-on…\"\
         \n    and choose {firefox} (it stays loaded until Firefox restarts)\n\
         \nUndo with `{undo}`.",
        host = host.display(),
        chromium = extension::dist("chromium").display(),
        firefox = extension::dist("firefox").join("manifest.json").display(),
    );
    Ok(())
}

pub fn uninstall(home: Option<PathBuf>) -> Result {
    let home = home_or_default(home)?;
    if uninstall_host(&home)? {
        println!("\nThe native host and its browser registrations are removed.\nRemove the extension itself from chrome://extensions (Firefox drops it on restart).");
    } else {
        println!("No host installed at {}: nothing to remove.", install_dir(&home).join(HOST).display());
    }
    Ok(())
}

/// Runs `built`'s self-install (`install --browser all`) under `home`; returns the installed copy.
pub fn install_host(built: &Path, home: &Path) -> Result<PathBuf> {
    sh::run(host_cmd(built, home).args(["install", "--browser", "all"]))?;
    let dest = install_dir(home).join(HOST);
    if !dest.is_file() {
        return Err(format!("the host's install left no copy at {}", dest.display()));
    }
    Ok(dest)
}

/// Runs the installed host's `uninstall` (manifests, registry keys, the copy); false if none was there.
pub fn uninstall_host(home: &Path) -> Result<bool> {
    let dest = install_dir(home).join(HOST);
    if !dest.exists() {
        return Ok(false);
    }
    sh::run(host_cmd(&dest, home).args(["uninstall", "--browser", "all"]))?;
    Ok(true)
}

/// The host as a person would run it, with `home` as its home on every OS.
fn host_cmd(host: &Path, home: &Path) -> std::process::Command {
    let mut c = cmd(host);
    c.env("HOME", home).env("USERPROFILE", home).env_remove("AWS_CONFIG_FILE");
    c
}

/// A directory under `target/tmp` removed when dropped (xtask has no tempfile dependency).
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Result<Scratch> {
        let dir = root().join("target/tmp").join(format!("{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
        Ok(Scratch(dir))
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Manifests every browser reads on Linux, relative to home (the host's own table).
    const LINUX_MANIFESTS: &[&str] = &[
        ".config/google-chrome/NativeMessagingHosts/com.ssobridge.host.json",
        ".config/chromium/NativeMessagingHosts/com.ssobridge.host.json",
        ".config/microsoft-edge/NativeMessagingHosts/com.ssobridge.host.json",
        ".config/BraveSoftware/Brave-Browser/NativeMessagingHosts/com.ssobridge.host.json",
        ".mozilla/native-messaging-hosts/com.ssobridge.host.json",
    ];

    #[test]
    #[cfg(target_os = "linux")]
    fn install_then_uninstall_in_a_temp_home() {
        // The debug host is enough to exercise the copy and registration (and is already built
        // by `cargo test --workspace`, so this is a no-op build there).
        sh::run(cmd("cargo").args(["build", "-p", "ssobridge-host"])).unwrap();
        let home = Scratch::new("xtask-install-test").unwrap();
        let host = install_host(&root().join("target/debug").join(HOST), &home.0).unwrap();
        assert_eq!(host, home.0.join(".local/share/sso-bridge/ssobridge-host"));
        for rel in LINUX_MANIFESTS {
            let text = fs::read_to_string(home.0.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
            let manifest: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(manifest["path"], host.to_str().unwrap(), "{rel} points at the installed host");
        }
        // Installing again (an upgrade) replaces the host in place.
        install_host(&root().join("target/debug").join(HOST), &home.0).unwrap();

        assert!(uninstall_host(&home.0).unwrap());
        for rel in LINUX_MANIFESTS {
            assert!(!home.0.join(rel).exists(), "{rel} removed");
        }
        assert!(!host.exists() && !install_dir(&home.0).exists());
        assert!(!uninstall_host(&home.0).unwrap(), "a second uninstall finds nothing");
    }
}
