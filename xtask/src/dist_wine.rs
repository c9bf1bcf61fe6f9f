//! The Windows release host as a person runs it after downloading, under Wine: run with no
//! command it installs a copy of itself in %LOCALAPPDATA%\SSO Bridge and registers with the
//! browsers whose profile folders exist (HKCU keys, checked with `reg query`); the installed
//! copy answers a framed `hello`; `uninstall` removes the keys, the manifests and the copy.
use crate::dist;
use crate::sh::{self, Result};
use crate::wine::{self, build_shim, drive_c, hello, registry_value, windows_to_linux, wine_cmd, SHIM, WINE};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const KEYS: &[(&str, bool)] = &[
    (r"HKCU\Software\Google\Chrome\NativeMessagingHosts\com.ssobridge.host", true),
    (r"HKCU\Software\Mozilla\NativeMessagingHosts\com.ssobridge.host", true),
    // Edge's profile folder is not there, so Edge is not registered.
    (r"HKCU\Software\Microsoft\Edge\NativeMessagingHosts\com.ssobridge.host", false),
];

pub fn check() -> Result {
    wine::ensure_wine()?;
    let result = run();
    let _ = wine_cmd("/usr/lib/wine/wineserver").arg("-k").status();
    result
}

fn run() -> Result {
    let bin = crate::sh::root().join("target/wine/dist-bin");
    fs::create_dir_all(&bin).map_err(|e| e.to_string())?;
    let exe = bin.join("ssobridge-host-windows-x86_64.exe");
    fs::copy(dist::dir().join("ssobridge-host-windows-x86_64.exe"), &exe).map_err(|e| e.to_string())?;
    build_shim(&bin)?;
    // The download answers as it is (and this creates the Wine prefix on a first run).
    hello(&exe)?;
    let home = user_home()?;
    // Start clean: what an earlier run or the checks tier registered goes first.
    host(&exe, &["uninstall"])?;
    for profile in ["AppData/Local/Google/Chrome/User Data", "AppData/Roaming/Mozilla/Firefox"] {
        fs::create_dir_all(home.join(profile)).map_err(|e| e.to_string())?;
    }
    let said = host(&exe, &[])?;
    for line in ["Registered with Google Chrome", "Registered with Firefox", "Next: add the SSO Bridge extension"] {
        if !said.contains(line) {
            return Err(format!("the Windows host's install output lacks {line:?}:\n{said}"));
        }
    }
    let installed_dir = home.join("AppData/Local/SSO Bridge");
    let installed = installed_dir.join("ssobridge-host.exe");
    for (key, present) in KEYS {
        let value = registry_value(key);
        match (value, present) {
            (Some(manifest), true) => {
                let file = windows_to_linux(&manifest);
                if !file.is_file() || !file.starts_with(&installed_dir) {
                    return Err(format!("{key} names {manifest}, which is not a manifest in the install folder"));
                }
                let text = fs::read_to_string(&file).map_err(|e| e.to_string())?;
                let json: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
                if windows_to_linux(json["path"].as_str().unwrap_or_default()) != installed {
                    return Err(format!("{manifest} does not point at the installed copy: {json}"));
                }
            }
            (None, false) => {}
            (v, _) => return Err(format!("{key}: expected present={present}, found {v:?}")),
        }
    }
    // An administrator's policy that blocks user-level hosts is named by install and doctor.
    let policy = r"HKLM\SOFTWARE\Policies\Google\Chrome";
    sh::run(wine_cmd(WINE).args([
        "reg",
        "add",
        policy,
        "/v",
        "NativeMessagingUserLevelHosts",
        "/t",
        "REG_DWORD",
        "/d",
        "0",
        "/f",
    ]))?;
    let install = host(&exe, &["install"]);
    let doctor = host(&exe, &["doctor"]);
    let _ = wine_cmd(WINE).args(["reg", "delete", policy, "/f"]).status();
    let said = install? + &doctor?;
    if said.matches("BLOCKED").count() < 2 || !said.contains(policy) {
        return Err(format!("install and doctor do not name the blocking policy {policy}:\n{said}"));
    }
    // The installed copy answers too. Wine 8 lacks ProcessPrng (toolchain.md): the shim stands
    // in for Windows 10+ beside it, and goes before uninstall so the folder can be removed.
    fs::copy(bin.join(SHIM), installed_dir.join(SHIM)).map_err(|e| e.to_string())?;
    let answered = hello(&installed);
    let _ = fs::remove_file(installed_dir.join(SHIM));
    answered?;
    host(&exe, &["uninstall"])?;
    for (key, _) in KEYS {
        if registry_value(key).is_some() {
            return Err(format!("{key} is still there after uninstall"));
        }
    }
    if installed_dir.exists() {
        return Err(format!("{} is still there after uninstall", installed_dir.display()));
    }
    eprintln!("Windows host under Wine: installed for Chrome and Firefox, hello answered, uninstall removed it all");
    Ok(())
}

/// The host as a person runs it in a console; stdin closed, so a wait for Enter ends at once.
fn host(exe: &Path, args: &[&str]) -> Result<String> {
    sh::output(wine_cmd(WINE).arg(exe).args(args).stdin(Stdio::null()))
}

/// The Wine user's profile folder (C:\users\NAME) on the Linux side.
fn user_home() -> Result<PathBuf> {
    let users = drive_c().join("users");
    fs::read_dir(&users)
        .map_err(|e| format!("reading {}: {e}", users.display()))?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().is_some_and(|n| n != "Public") && p.join("AppData").is_dir())
        .ok_or(format!("no user profile under {}", users.display()))
}
