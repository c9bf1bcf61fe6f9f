//! `install` / `uninstall`: register the host with browsers by writing a native-messaging
//! manifest where each browser looks for it (a file on Linux and macOS; on Windows a file plus
//! a registry key pointing to it).

use std::fs;
use std::path::{Path, PathBuf};

use serde_json::json;

use crate::caller::{ALLOWED_EXTENSIONS, HOST_NAME};
use crate::error::HostError;
use crate::safe_write::{self, Mode};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Browser {
    Chrome,
    Chromium,
    Edge,
    Brave,
    Firefox,
    All,
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
        }
    }

    fn selected(self) -> Vec<Browser> {
        if self == Browser::All {
            Self::EACH.to_vec()
        } else {
            vec![self]
        }
    }

    fn is_firefox(self) -> bool {
        self == Browser::Firefox
    }
}

pub struct InstallOptions {
    pub browser: Browser,
    pub user_data_dir: Option<PathBuf>,
}

/// Where a browser looks for user-level host manifests, for one OS. The table is the whole
/// knowledge of browser locations; `os` is `linux`, `macos` or `windows`.
pub fn manifest_dir(browser: Browser, os: &str, home: &Path) -> Option<PathBuf> {
    let rel: &[&str] = match (os, browser) {
        ("linux", Browser::Chrome) => &[".config", "google-chrome", "NativeMessagingHosts"],
        ("linux", Browser::Chromium) => &[".config", "chromium", "NativeMessagingHosts"],
        ("linux", Browser::Edge) => &[".config", "microsoft-edge", "NativeMessagingHosts"],
        ("linux", Browser::Brave) => &[".config", "BraveSoftware", "Brave-Browser", "NativeMessagingHosts"],
        ("linux", Browser::Firefox) => &[".mozilla", "native-messaging-hosts"],
        ("macos", Browser::Chrome) => &["Library", "Application Support", "Google", "Chrome", "NativeMessagingHosts"],
        ("macos", Browser::Chromium) => &["Library", "Application Support", "Chromium", "NativeMessagingHosts"],
        ("macos", Browser::Edge) => &["Library", "Application Support", "Microsoft Edge", "NativeMessagingHosts"],
        ("macos", Browser::Brave) => {
            &["Library", "Application Support", "BraveSoftware", "Brave-Browser", "NativeMessagingHosts"]
        }
        ("macos", Browser::Firefox) => &["Library", "Application Support", "Mozilla", "NativeMessagingHosts"],
        // Windows reads the registry; the manifests live in one folder of ours.
        ("windows", b) if b != Browser::All => &["AppData", "Local", "SSOBridge", "NativeMessagingHosts"],
        _ => return None,
    };
    Some(rel.iter().fold(home.to_path_buf(), |p, part| p.join(part)))
}

/// `HKCU\<this>` on Windows.
pub fn registry_key(browser: Browser) -> Option<String> {
    let vendor = match browser {
        Browser::Chrome => r"Software\Google\Chrome",
        Browser::Chromium => r"Software\Chromium",
        Browser::Edge => r"Software\Microsoft\Edge",
        Browser::Brave => r"Software\BraveSoftware\Brave-Browser",
        Browser::Firefox => r"Software\Mozilla",
        Browser::All => return None,
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

/// The manifest file for a browser: `<dir>/com.ssobridge.host.json` (on Windows one file per
/// browser family, since Firefox and Chromium manifests differ).
pub fn manifest_path(browser: Browser, opts: &InstallOptions, home: &Path) -> Option<PathBuf> {
    let os = std::env::consts::OS;
    let dir = match (&opts.user_data_dir, browser.is_firefox()) {
        (Some(dir), false) => dir.join("NativeMessagingHosts"),
        _ => manifest_dir(browser, os, home)?,
    };
    let file = if os == "windows" {
        format!("{HOST_NAME}.{}.json", if browser.is_firefox() { "firefox" } else { "chromium" })
    } else {
        format!("{HOST_NAME}.json")
    };
    Some(dir.join(file))
}

fn home() -> Result<PathBuf, HostError> {
    crate::paths::AwsPaths::from_env().map(|p| p.home)
}

pub fn install(opts: &InstallOptions) -> Result<(), HostError> {
    let home = home()?;
    let exe = std::env::current_exe().map_err(HostError::io("find", Path::new("the running executable")))?;
    let exe = fs::canonicalize(&exe).unwrap_or(exe);
    for browser in opts.browser.selected() {
        let Some(path) = manifest_path(browser, opts, &home) else { continue };
        if opts.user_data_dir.is_some() && browser.is_firefox() && opts.browser == Browser::All {
            continue;
        }
        let dir = path.parent().unwrap_or(Path::new("."));
        fs::create_dir_all(dir).map_err(HostError::io("create", dir))?;
        safe_write::write_atomic(&path, manifest_json(browser, &exe).as_bytes(), Mode::KeepOr0600)
            .map_err(HostError::io("write", &path))?;
        #[cfg(unix)]
        {
            // Browsers read the manifest as the same user; 0644 matches what installers write.
            use std::os::unix::fs::PermissionsExt;
            let _ = fs::set_permissions(&path, fs::Permissions::from_mode(0o644));
        }
        #[cfg(windows)]
        if opts.user_data_dir.is_none() {
            windows::register(browser, &path)?;
        }
        report(&format!("{}: {}", browser.name(), path.display()));
    }
    Ok(())
}

pub fn uninstall(opts: &InstallOptions) -> Result<(), HostError> {
    let home = home()?;
    for browser in opts.browser.selected() {
        let Some(path) = manifest_path(browser, opts, &home) else { continue };
        match fs::remove_file(&path) {
            Ok(()) => report(&format!("{}: removed {}", browser.name(), path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(HostError::Io { what: "remove", path, source: e }),
        }
        #[cfg(windows)]
        if opts.user_data_dir.is_none() {
            windows::unregister(browser);
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

    pub fn unregister(browser: Browser) {
        if let Some(key) = registry_key(browser) {
            let _ = RegKey::predef(HKEY_CURRENT_USER).delete_subkey_all(&key);
        }
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
}
