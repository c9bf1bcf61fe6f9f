//! Where each browser (and each release channel with its own profile folder) keeps its
//! profiles, per OS. A browser counts as present when that folder exists; the folder also holds
//! the user-level native-messaging manifests on Linux and macOS. Windows channels share one
//! registry key per vendor, so there only the family matters.

use std::path::{Path, PathBuf};

use crate::install::Browser;

/// One browser or channel: its profile folder relative to the home, per OS (`""`: none there).
pub struct Place {
    pub browser: Browser,
    /// The name a person knows, for what `install` prints.
    pub label: &'static str,
    linux: &'static str,
    macos: &'static str,
    windows: &'static str,
}

const fn place(
    browser: Browser,
    label: &'static str,
    linux: &'static str,
    macos: &'static str,
    windows: &'static str,
) -> Place {
    Place { browser, label, linux, macos, windows }
}

const MAC: &str = "Library/Application Support/";
const WIN: &str = "AppData/Local/";

/// Every place, the family's main channel first (that is where `--browser NAME` writes).
pub static PLACES: &[Place] = &[
    place(Browser::Chrome, "Google Chrome", ".config/google-chrome", "Google/Chrome", "Google/Chrome/User Data"),
    place(
        Browser::Chrome,
        "Google Chrome Beta",
        ".config/google-chrome-beta",
        "Google/Chrome Beta",
        "Google/Chrome Beta/User Data",
    ),
    place(
        Browser::Chrome,
        "Google Chrome Dev",
        ".config/google-chrome-unstable",
        "Google/Chrome Dev",
        "Google/Chrome Dev/User Data",
    ),
    place(
        Browser::Chrome,
        "Google Chrome Canary",
        ".config/google-chrome-canary",
        "Google/Chrome Canary",
        "Google/Chrome SxS/User Data",
    ),
    place(Browser::Chromium, "Chromium", ".config/chromium", "Chromium", "Chromium/User Data"),
    place(Browser::Edge, "Microsoft Edge", ".config/microsoft-edge", "Microsoft Edge", "Microsoft/Edge/User Data"),
    place(
        Browser::Edge,
        "Microsoft Edge Beta",
        ".config/microsoft-edge-beta",
        "Microsoft Edge Beta",
        "Microsoft/Edge Beta/User Data",
    ),
    place(
        Browser::Edge,
        "Microsoft Edge Dev",
        ".config/microsoft-edge-dev",
        "Microsoft Edge Dev",
        "Microsoft/Edge Dev/User Data",
    ),
    place(Browser::Edge, "Microsoft Edge Canary", "", "Microsoft Edge Canary", "Microsoft/Edge SxS/User Data"),
    place(
        Browser::Brave,
        "Brave",
        ".config/BraveSoftware/Brave-Browser",
        "BraveSoftware/Brave-Browser",
        "BraveSoftware/Brave-Browser/User Data",
    ),
    place(
        Browser::Brave,
        "Brave Beta",
        ".config/BraveSoftware/Brave-Browser-Beta",
        "BraveSoftware/Brave-Browser-Beta",
        "BraveSoftware/Brave-Browser-Beta/User Data",
    ),
    place(
        Browser::Brave,
        "Brave Nightly",
        ".config/BraveSoftware/Brave-Browser-Nightly",
        "BraveSoftware/Brave-Browser-Nightly",
        "BraveSoftware/Brave-Browser-Nightly/User Data",
    ),
    // Firefox reads ~/.mozilla/native-messaging-hosts and ~/Library/Application Support/Mozilla/
    // NativeMessagingHosts; on Windows its profiles are under Roaming, not Local.
    place(Browser::Firefox, "Firefox", ".mozilla", "Mozilla", "../Roaming/Mozilla/Firefox"),
];

fn join(base: &Path, rel: &str) -> PathBuf {
    rel.split('/').fold(base.to_path_buf(), |p, part| {
        if part == ".." {
            p.parent().unwrap_or(&p).to_path_buf()
        } else {
            p.join(part)
        }
    })
}

impl Place {
    /// The profile folder on `os` (`linux`, `macos`, `windows`), if this channel exists there.
    pub fn profile_dir(&self, os: &str, home: &Path) -> Option<PathBuf> {
        let (prefix, rel) = match os {
            "linux" => ("", self.linux),
            "macos" => (MAC, self.macos),
            "windows" => (WIN, self.windows),
            _ => return None,
        };
        (!rel.is_empty()).then(|| join(&join(home, prefix.trim_end_matches('/')), rel))
    }

    /// Where this channel reads user-level manifests (Linux and macOS; Windows uses the registry).
    pub fn manifest_dir(&self, os: &str, home: &Path) -> Option<PathBuf> {
        let sub = match (os, self.browser) {
            ("windows", _) => return None,
            ("linux", Browser::Firefox) => "native-messaging-hosts",
            _ => "NativeMessagingHosts",
        };
        Some(self.profile_dir(os, home)?.join(sub))
    }
}

/// The places on `os` whose profile folder exists under `home`.
pub fn found(os: &str, home: &Path) -> Vec<&'static Place> {
    PLACES.iter().filter(|p| p.profile_dir(os, home).is_some_and(|d| d.is_dir())).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_family_has_its_main_channel_first_and_a_place_on_every_os() {
        for b in Browser::EACH {
            let first = PLACES.iter().find(|p| p.browser == b).unwrap();
            for os in ["linux", "macos", "windows"] {
                assert!(first.profile_dir(os, Path::new("/h")).is_some(), "{b:?} on {os}");
            }
        }
        let firefox = PLACES.iter().find(|p| p.browser == Browser::Firefox).unwrap();
        assert_eq!(
            firefox.profile_dir("windows", Path::new("/h")).unwrap(),
            Path::new("/h/AppData/Roaming/Mozilla/Firefox")
        );
        assert_eq!(
            firefox.manifest_dir("macos", Path::new("/h")).unwrap(),
            Path::new("/h/Library/Application Support/Mozilla/NativeMessagingHosts")
        );
        let edge_canary = PLACES.iter().find(|p| p.label == "Microsoft Edge Canary").unwrap();
        assert_eq!(edge_canary.profile_dir("linux", Path::new("/h")), None);
    }

    #[test]
    fn found_means_the_profile_folder_exists() {
        let home = tempfile::tempdir().unwrap();
        assert!(found("linux", home.path()).is_empty());
        std::fs::create_dir_all(home.path().join(".config/chromium")).unwrap();
        std::fs::create_dir_all(home.path().join(".config/BraveSoftware/Brave-Browser-Nightly")).unwrap();
        std::fs::create_dir_all(home.path().join(".mozilla")).unwrap();
        let labels: Vec<&str> = found("linux", home.path()).iter().map(|p| p.label).collect();
        assert_eq!(labels, ["Chromium", "Brave Nightly", "Firefox"]);
        assert_eq!(
            found("linux", home.path())[1].manifest_dir("linux", home.path()).unwrap(),
            home.path().join(".config/BraveSoftware/Brave-Browser-Nightly/NativeMessagingHosts")
        );
    }
}
