//! `install` / `uninstall`: register the host with browsers by writing a native-messaging
//! manifest where each browser looks for it (a file on Linux and macOS; on Windows a file plus
//! a registry key pointing to it).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::caller::{ALLOWED_EXTENSIONS, HOST_NAME};
use crate::error::HostError;
use crate::install_places::{self, PLACES};
use crate::install_self;
use crate::safe_write::{self, Mode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Browser {
    Chrome,
    Chromium,
    Edge,
    Brave,
    Firefox,
    /// Every family (and each channel found).
    All,
    /// Every browser whose profile folder exists (all of them when none is found).
    Found,
}

impl Browser {
    pub const EACH: [Browser; 5] =
        [Browser::Chrome, Browser::Chromium, Browser::Edge, Browser::Brave, Browser::Firefox];

    pub fn name(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Chromium => "chromium",
            Browser::Edge => "edge",
            Browser::Brave => "brave",
            Browser::Firefox => "firefox",
            Browser::All => "all",
            Browser::Found => "found",
        }
    }

    fn is_firefox(self) -> bool {
        self == Browser::Firefox
    }
}

pub struct InstallOptions {
    pub browser: Browser,
    /// Register the running binary for this browser profile directory (a test's --user-data-dir)
    /// instead of installing a copy for the user. Chromium-family only.
    pub user_data_dir: Option<PathBuf>,
}

/// Where the installed copy of the host lives, per OS (browsers start it by absolute path, so
/// it must stay put); on Windows the manifests live there too.
pub fn install_dir(os: &str, home: &Path) -> PathBuf {
    match os {
        "macos" => home.join("Library").join("Application Support").join("SSO Bridge"),
        "windows" => home.join("AppData").join("Local").join("SSO Bridge"),
        _ => home.join(".local").join("share").join("sso-bridge"),
    }
}

/// The host's file name on this OS.
pub const EXE_NAME: &str = if cfg!(windows) { "ssobridge-host.exe" } else { "ssobridge-host" };

/// Where a browser family's main channel looks for user-level host manifests, for one OS
/// (`linux`, `macos` or `windows`).
pub fn manifest_dir(browser: Browser, os: &str, home: &Path) -> Option<PathBuf> {
    if os == "windows" {
        return Browser::EACH.contains(&browser).then(|| install_dir(os, home));
    }
    PLACES.iter().find(|p| p.browser == browser)?.manifest_dir(os, home)
}

/// `HKCU\<this>` on Windows.
pub fn registry_key(browser: Browser) -> Option<String> {
    let vendor = match browser {
        Browser::Chrome => r"Software\Google\Chrome",
        Browser::Chromium => r"Software\Chromium",
        Browser::Edge => r"Software\Microsoft\Edge",
        Browser::Brave => r"Software\BraveSoftware\Brave-Browser",
        Browser::Firefox => r"Software\Mozilla",
        Browser::All | Browser::Found => return None,
    };
    Some(format!(r"{vendor}\NativeMessagingHosts\{HOST_NAME}"))
}

/// The manifest JSON for a browser family.
pub fn manifest_json(browser: Browser, host_path: &Path) -> String {
    let path = host_path.to_string_lossy();
    let description = "SSO Bridge native host: writes the AWS SSO token and profiles into ~/.aws";
    let value = if browser.is_firefox() {
        json!({"name": HOST_NAME, "description": description, "path": path, "type": "stdio",
               "allowed_extensions": ALLOWED_EXTENSIONS.firefox})
    } else {
        let origins: Vec<String> =
            ALLOWED_EXTENSIONS.chromium.iter().map(|id| format!("chrome-extension://{id}/")).collect();
        json!({"name": HOST_NAME, "description": description, "path": path, "type": "stdio", "allowed_origins": origins})
    };
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// The manifest file name in `dir` (on Windows, where every family's manifest shares one
/// folder, one file per family, so uninstalling one leaves the others working).
fn manifest_file(browser: Browser, os: &str, dir: &Path) -> PathBuf {
    if os == "windows" {
        dir.join(format!("{HOST_NAME}.{}.json", browser.name()))
    } else {
        dir.join(format!("{HOST_NAME}.json"))
    }
}

/// The manifest file for a family's main channel, or for the given test profile.
pub fn manifest_path(browser: Browser, opts: &InstallOptions, home: &Path) -> Option<PathBuf> {
    let os = std::env::consts::OS;
    let dir = match (&opts.user_data_dir, browser.is_firefox()) {
        (Some(dir), false) => dir.join("NativeMessagingHosts"),
        _ => manifest_dir(browser, os, home)?,
    };
    Some(manifest_file(browser, os, &dir))
}

/// One manifest to write: for which family, where, and the name a person knows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub browser: Browser,
    pub label: &'static str,
    pub manifest: PathBuf,
}

/// The manifests `install` writes for `choice` on `os`: each found channel of the chosen
/// families, plus each chosen family's main channel for `all` or a named browser. `found` with
/// nothing found means every family, so a browser installed later finds the host.
pub fn targets(choice: Browser, os: &str, home: &Path) -> Vec<Target> {
    let found = install_places::found(os, home);
    let wanted = |b: Browser| match choice {
        Browser::All => true,
        Browser::Found => found.is_empty() || found.iter().any(|p| p.browser == b),
        one => one == b,
    };
    let main_too = choice != Browser::Found || found.is_empty();
    let mut out: Vec<Target> = Vec::new();
    for browser in Browser::EACH.into_iter().filter(|b| wanted(*b)) {
        for (i, place) in PLACES.iter().filter(|p| p.browser == browser).enumerate() {
            let is_found = found.iter().any(|f| f.label == place.label);
            if !(is_found || (i == 0 && main_too)) {
                continue;
            }
            let dir = if os == "windows" { Some(install_dir(os, home)) } else { place.manifest_dir(os, home) };
            let Some(dir) = dir else { continue };
            let manifest = manifest_file(browser, os, &dir);
            // Windows: one file per family, whichever channels were found.
            if !out.iter().any(|t| t.manifest == manifest) {
                out.push(Target { browser, label: place.label, manifest });
            }
        }
    }
    out
}

fn home() -> Result<PathBuf, HostError> {
    crate::paths::AwsPaths::from_env().map(|p| p.home)
}

fn write_manifest(browser: Browser, path: &Path, exe: &Path) -> Result<(), HostError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(HostError::io("create", dir))?;
    safe_write::write_atomic(path, manifest_json(browser, exe).as_bytes(), Mode::KeepOr0600)
        .map_err(HostError::io("write", path))?;
    #[cfg(unix)]
    {
        // Browsers read the manifest as the same user; 0644 matches what installers write.
        use std::os::unix::fs::PermissionsExt;
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o644));
    }
    Ok(())
}

fn running_exe() -> Result<PathBuf, HostError> {
    let exe = std::env::current_exe().map_err(HostError::io("find", Path::new("the running executable")))?;
    Ok(fs::canonicalize(&exe).unwrap_or(exe))
}

/// `install`: with a test profile, registers the running binary there; otherwise installs a
/// copy of itself for this user (see `install_self`) and registers it with the chosen browsers.
pub fn install(opts: &InstallOptions) -> Result<(), HostError> {
    let home = home()?;
    let exe = running_exe()?;
    if let Some(profile) = &opts.user_data_dir {
        let browser = if opts.browser == Browser::All || opts.browser == Browser::Found {
            Browser::Chromium
        } else {
            opts.browser
        };
        let Some(path) = manifest_path(browser, opts, &home) else { return Ok(()) };
        if browser.is_firefox() {
            return Err(HostError::Io {
                what: "use",
                path: profile.clone(),
                source: std::io::Error::other("--user-data-dir is for Chromium-family browsers"),
            });
        }
        write_manifest(browser, &path, &exe)?;
        report(&format!("{}: {}", browser.name(), path.display()));
        return Ok(());
    }
    let os = std::env::consts::OS;
    let installed = install_self::copy_self(&exe, &install_dir(os, &home))?;
    let targets = targets(opts.browser, os, &home);
    if opts.browser == Browser::Found && install_places::found(os, &home).is_empty() {
        report("No browser profile found: registering with every supported browser.");
    }
    for t in &targets {
        write_manifest(t.browser, &t.manifest, &installed)?;
        #[cfg(windows)]
        windows::register(t.browser, &t.manifest)?;
        report(&format!("Registered with {}: {}", t.label, t.manifest.display()));
    }
    install_self::after_install(&installed);
    Ok(())
}

/// `uninstall`: removes the manifests (every channel's, for the chosen families), the registry
/// keys, and with `all` the installed copy of the host and its folder.
pub fn uninstall(opts: &InstallOptions) -> Result<(), HostError> {
    let home = home()?;
    let os = std::env::consts::OS;
    let chosen = |b: Browser| matches!(opts.browser, Browser::All | Browser::Found) || opts.browser == b;
    let mut paths: Vec<(Browser, PathBuf)> = Vec::new();
    if opts.user_data_dir.is_some() {
        for b in Browser::EACH.into_iter().filter(|b| chosen(*b) && !b.is_firefox()) {
            paths.extend(manifest_path(b, opts, &home).map(|p| (b, p)));
        }
    } else {
        for place in PLACES.iter().filter(|p| chosen(p.browser)) {
            let dir = if os == "windows" { Some(install_dir(os, &home)) } else { place.manifest_dir(os, &home) };
            paths.extend(dir.map(|d| (place.browser, manifest_file(place.browser, os, &d))));
        }
    }
    for (browser, path) in paths {
        match fs::remove_file(&path) {
            Ok(()) => report(&format!("{}: removed {}", browser.name(), path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(HostError::Io { what: "remove", path, source: e }),
        }
    }
    if opts.user_data_dir.is_none() {
        #[cfg(windows)]
        for b in Browser::EACH.into_iter().filter(|b| chosen(*b)) {
            if windows::unregister(b) {
                report(&format!("{}: removed HKCU\\{}", b.name(), registry_key(b).unwrap_or_default()));
            }
        }
        if matches!(opts.browser, Browser::All | Browser::Found) {
            install_self::remove_copy(&install_dir(os, &home))?;
        }
    }
    Ok(())
}

/// A line for the person running the command (stdout is theirs in CLI mode).
#[allow(clippy::print_stdout)]
pub(crate) fn report(line: &str) {
    println!("{line}");
}

#[cfg(windows)]
mod windows {
    use super::*;
    use winreg::enums::HKEY_CURRENT_USER;
    use winreg::RegKey;

    pub fn register(browser: Browser, manifest: &Path) -> Result<(), HostError> {
        let Some(key) = registry_key(browser) else { return Ok(()) };
        let hkcu = RegKey::predef(HKEY_CURRENT_USER);
        let (k, _) = hkcu.create_subkey(&key).map_err(HostError::io("register", manifest))?;
        k.set_value("", &manifest.to_string_lossy().into_owned()).map_err(HostError::io("register", manifest))?;
        Ok(())
    }

    /// True if there was a key to remove.
    pub fn unregister(browser: Browser) -> bool {
        registry_key(browser).is_some_and(|key| RegKey::predef(HKEY_CURRENT_USER).delete_subkey_all(&key).is_ok())
    }

    pub fn registered(browser: Browser) -> Option<String> {
        let key = registry_key(browser)?;
        RegKey::predef(HKEY_CURRENT_USER).open_subkey(&key).ok()?.get_value("").ok()
    }
}

/// Where the registry says the manifest is (Windows), for `doctor`.
pub fn registered_manifest(browser: Browser) -> Option<String> {
    #[cfg(windows)]
    return windows::registered(browser);
    #[cfg(not(windows))]
    {
        let _ = browser;
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn manifests_per_family() {
        let chromium: serde_json::Value =
            serde_json::from_str(&manifest_json(Browser::Chrome, Path::new("/opt/ssobridge-host"))).unwrap();
        assert_eq!(chromium["name"], HOST_NAME);
        assert_eq!(chromium["type"], "stdio");
        assert_eq!(chromium["path"], "/opt/ssobridge-host");
        assert_eq!(chromium["allowed_origins"][0], "chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/");
        let firefox: serde_json::Value =
            serde_json::from_str(&manifest_json(Browser::Firefox, Path::new("/x"))).unwrap();
        assert_eq!(firefox["allowed_extensions"][0], "ssobridge@ssobridge.dev");
        assert!(firefox.get("allowed_origins").is_none());
    }

    #[test]
    fn locations_per_os() {
        let home = Path::new("/home/u");
        assert_eq!(
            manifest_dir(Browser::Chrome, "linux", home).unwrap(),
            Path::new("/home/u/.config/google-chrome/NativeMessagingHosts")
        );
        assert_eq!(
            manifest_dir(Browser::Firefox, "linux", home).unwrap(),
            Path::new("/home/u/.mozilla/native-messaging-hosts")
        );
        assert_eq!(
            manifest_dir(Browser::Brave, "macos", home).unwrap(),
            Path::new("/home/u/Library/Application Support/BraveSoftware/Brave-Browser/NativeMessagingHosts")
        );
        assert_eq!(
            registry_key(Browser::Edge).unwrap(),
            r"Software\Microsoft\Edge\NativeMessagingHosts\com.ssobridge.host"
        );
        for b in Browser::EACH {
            for os in ["linux", "macos", "windows"] {
                assert!(manifest_dir(b, os, home).is_some(), "{b:?} {os}");
            }
        }
    }

    #[test]
    fn targets_follow_what_is_found() {
        let home = tempfile::tempdir().unwrap();
        let h = home.path();
        let labels = |choice, os| targets(choice, os, h).into_iter().map(|t| t.label).collect::<Vec<_>>();
        // Nothing found: every family's main channel, so a browser installed later works.
        assert_eq!(
            labels(Browser::Found, "linux"),
            ["Google Chrome", "Chromium", "Microsoft Edge", "Brave", "Firefox"]
        );
        std::fs::create_dir_all(h.join(".config/microsoft-edge-dev")).unwrap();
        std::fs::create_dir_all(h.join("AppData/Local/Microsoft/Edge Beta/User Data")).unwrap();
        std::fs::create_dir_all(h.join("AppData/Local/Microsoft/Edge Dev/User Data")).unwrap();
        assert_eq!(labels(Browser::Found, "linux"), ["Microsoft Edge Dev"]);
        assert_eq!(labels(Browser::Edge, "linux"), ["Microsoft Edge", "Microsoft Edge Dev"]);
        assert_eq!(labels(Browser::Chrome, "linux"), ["Google Chrome"]);
        assert_eq!(labels(Browser::All, "linux").len(), 6);
        // Windows: channels share the vendor's registry key, so one manifest per family.
        let win = targets(Browser::Found, "windows", h);
        assert_eq!(win.len(), 1);
        assert_eq!(win[0].manifest, h.join("AppData/Local/SSO Bridge/com.ssobridge.host.edge.json"));
    }
}
