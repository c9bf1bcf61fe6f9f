//! Administrator policy that stops Chromium-family browsers from starting user-level native
//! hosts (`NativeMessagingUserLevelHosts` = false): then what `install` registers is ignored, and
//! the person must hear so instead of a popup that keeps saying "not installed".

use std::path::{Path, PathBuf};

use crate::install::Browser;

/// The policy's name in every Chromium-family browser.
pub const POLICY: &str = "NativeMessagingUserLevelHosts";

/// One browser whose policy blocks user-level hosts, and where that was set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub browser: Browser,
    pub source: String,
}

/// What policy says on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyState {
    Checked(Vec<Blocked>),
    /// macOS keeps policy in configuration profiles (`defaults read`), which this does not read.
    Unchecked,
}

impl PolicyState {
    /// Lines for a person: nothing when nothing blocks.
    pub fn describe(&self) -> Vec<String> {
        match self {
            PolicyState::Unchecked => vec![format!(
                "Administrator policy ({POLICY}) is not checked on macOS; if the popup still says \"not installed\", ask your administrator."
            )],
            PolicyState::Checked(blocked) => blocked
                .iter()
                .map(|b| {
                    format!(
                        "BLOCKED: your administrator's policy turns off user-level native hosts for {} ({POLICY} = false in {}); SSO Bridge cannot work in that browser until they allow it.",
                        b.browser.name(),
                        b.source
                    )
                })
                .collect(),
        }
    }
}

/// Linux managed-policy folders, per browser (all `*.json` in each are read).
const LINUX_DIRS: &[(Browser, &str)] = &[
    (Browser::Chrome, "etc/opt/chrome/policies/managed"),
    (Browser::Chromium, "etc/chromium/policies/managed"),
    (Browser::Edge, "etc/opt/edge/policies/managed"),
    (Browser::Brave, "etc/brave/policies/managed"),
];

/// The policy state of this machine.
pub fn check() -> PolicyState {
    match std::env::consts::OS {
        "macos" => PolicyState::Unchecked,
        "windows" => PolicyState::Checked(windows_blocked()),
        _ => PolicyState::Checked(linux_blocked(Path::new("/"))),
    }
}

/// Linux: every managed policy file under `root` that sets the policy to false.
pub fn linux_blocked(root: &Path) -> Vec<Blocked> {
    let mut out = Vec::new();
    for (browser, dir) in LINUX_DIRS {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else { continue };
        let mut files: Vec<PathBuf> =
            entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
        files.sort();
        for file in files {
            let Ok(text) = std::fs::read_to_string(&file) else { continue };
            let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else { continue };
            if value.get(POLICY) == Some(&serde_json::Value::Bool(false)) {
                out.push(Blocked { browser: *browser, source: file.display().to_string() });
            }
        }
    }
    out
}

#[cfg(windows)]
fn windows_blocked() -> Vec<Blocked> {
    use winreg::enums::{HKEY_CURRENT_USER, HKEY_LOCAL_MACHINE};
    use winreg::RegKey;
    const KEYS: &[(Browser, &str)] = &[
        (Browser::Chrome, r"SOFTWARE\Policies\Google\Chrome"),
        (Browser::Chromium, r"SOFTWARE\Policies\Chromium"),
        (Browser::Edge, r"SOFTWARE\Policies\Microsoft\Edge"),
        (Browser::Brave, r"SOFTWARE\Policies\BraveSoftware\Brave"),
    ];
    let mut out = Vec::new();
    for (hive, hive_name) in [(HKEY_LOCAL_MACHINE, "HKLM"), (HKEY_CURRENT_USER, "HKCU")] {
        for (browser, key) in KEYS {
            let value: Option<u32> = RegKey::predef(hive).open_subkey(key).ok().and_then(|k| k.get_value(POLICY).ok());
            if value == Some(0) {
                out.push(Blocked { browser: *browser, source: format!(r"{hive_name}\{key}") });
            }
        }
    }
    out
}

#[cfg(not(windows))]
fn windows_blocked() -> Vec<Blocked> {
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_managed_false_blocks_that_browser_only() {
        let root = tempfile::tempdir().unwrap();
        assert!(linux_blocked(root.path()).is_empty());
        let dir = root.path().join("etc/chromium/policies/managed");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("a.json"), r#"{"NativeMessagingUserLevelHosts": true}"#).unwrap();
        std::fs::write(dir.join("notes.txt"), r#"{"NativeMessagingUserLevelHosts": false}"#).unwrap();
        assert!(linux_blocked(root.path()).is_empty(), "true, or a file that is not .json, blocks nothing");
        std::fs::write(dir.join("b.json"), r#"{"NativeMessagingUserLevelHosts": false}"#).unwrap();
        let blocked = linux_blocked(root.path());
        assert_eq!(blocked.len(), 1);
        assert_eq!(blocked[0].browser, Browser::Chromium);
        assert!(blocked[0].source.ends_with("etc/chromium/policies/managed/b.json"));
        let text = PolicyState::Checked(blocked).describe().join("\n");
        assert!(text.contains("BLOCKED") && text.contains("chromium") && text.contains("b.json"), "{text}");
        assert!(PolicyState::Unchecked.describe()[0].contains("not checked on macOS"));
    }
}
