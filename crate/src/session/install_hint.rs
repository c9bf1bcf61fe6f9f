//! What the popup's "host missing" screen tells a person: their browser by name, the release
//! asset built for their OS and CPU, and the one command that downloads it and runs it once (the
//! host then installs itself for every browser it finds). The release assets' names live here,
//! and `cargo xtask dist` checks its files against them.

use serde::Serialize;

/// Where release assets are downloaded from (the newest release). A macro, so every URL and
/// command below is one string built at compile time: no formatting code in the wasm module.
macro_rules! releases {
    () => {
        "https://github.com/sso-bridge/sso-bridge/releases/latest/download/"
    };
}
pub const RELEASES: &str = releases!();

/// A host binary on the releases page: for which OS and CPU, in the names
/// `runtime.getPlatformInfo()` uses (`linux`, `mac`, `win`; `x86-64`, `arm64`), its URL and the
/// one command that downloads and runs it. `cargo xtask dist` builds exactly these (it maps each
/// to its Rust target).
pub struct HostAsset {
    pub os: &'static str,
    pub arch: &'static str,
    pub file: &'static str,
    pub url: &'static str,
    pub command: &'static str,
}

/// A POSIX shell: download to /tmp, make it executable, run it.
macro_rules! unix_asset {
    ($os:literal, $arch:literal, $file:literal) => {
        HostAsset {
            os: $os,
            arch: $arch,
            file: $file,
            url: concat!(releases!(), $file),
            command: concat!(
                "curl -fLo /tmp/ssobridge-host ",
                releases!(),
                $file,
                " && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host"
            ),
        }
    };
}

/// Every host the release carries. Windows on Arm runs the x86-64 build (Windows emulates it).
pub const HOST_ASSETS: &[HostAsset] = &[
    unix_asset!("linux", "x86-64", "ssobridge-host-linux-x86_64"),
    unix_asset!("linux", "arm64", "ssobridge-host-linux-arm64"),
    HostAsset {
        os: "win",
        arch: "x86-64",
        file: "ssobridge-host-windows-x86_64.exe",
        url: concat!(releases!(), "ssobridge-host-windows-x86_64.exe"),
        // PowerShell: download to %TEMP%, run it.
        command: concat!(
            "$f = \"$env:TEMP\\ssobridge-host-windows-x86_64.exe\"; Invoke-WebRequest -UseBasicParsing -Uri ",
            releases!(),
            "ssobridge-host-windows-x86_64.exe -OutFile $f; & $f"
        ),
    },
    unix_asset!("mac", "x86-64", "ssobridge-host-macos-x86_64"),
    unix_asset!("mac", "arm64", "ssobridge-host-macos-arm64"),
];

/// The screen's content. `asset`, `url` and `command` are null where no release host runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct InstallHint {
    /// The browser's name as its maker writes it ("Brave", "Microsoft Edge", ...).
    pub browser: &'static str,
    pub asset: Option<&'static str>,
    pub url: Option<&'static str>,
    /// PowerShell on Windows, a POSIX shell elsewhere.
    pub command: Option<&'static str>,
    /// `command` is for PowerShell (else for a POSIX shell).
    pub powershell: bool,
}

/// The browser's name from `navigator.userAgentData.brands`, one brand a line (the worker adds
/// "Brave" when `navigator.brave` exists, since Brave reports itself as Chromium, and "Firefox"
/// in Firefox, which has no brands). Specific brands win over the engine's. A plain substring
/// search (no known name is part of another brand), because it costs the wasm module no code.
pub fn browser_name(brands: &str) -> &'static str {
    const KNOWN: [&str; 5] = ["Brave", "Microsoft Edge", "Google Chrome", "Firefox", "Chromium"];
    KNOWN.into_iter().find(|known| brands.contains(known)).unwrap_or("your browser")
}

/// The hint for `os` and `arch` as `runtime.getPlatformInfo()` gives them (Firefox says
/// `aarch64` where Chromium says `arm64`).
pub fn install_hint(os: &str, arch: &str, brands: &str) -> InstallHint {
    let windows = os == "win";
    let arch = if windows {
        "x86-64"
    } else if arch == "aarch64" {
        "arm64"
    } else {
        arch
    };
    let asset = HOST_ASSETS.iter().find(|a| a.os == os && a.arch == arch);
    InstallHint {
        browser: browser_name(brands),
        asset: asset.map(|a| a.file),
        url: asset.map(|a| a.url),
        command: asset.map(|a| a.command),
        powershell: windows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brands(names: &[&str]) -> String {
        names.join("\n")
    }

    #[test]
    fn windows_gets_the_exe_and_a_powershell_line() {
        let hint = install_hint("win", "x86-64", &brands(&["Not.A/Brand", "Chromium", "Microsoft Edge"]));
        assert_eq!(hint.browser, "Microsoft Edge");
        assert!(hint.powershell);
        assert_eq!(hint.asset, Some("ssobridge-host-windows-x86_64.exe"));
        assert_eq!(
            hint.command,
            Some(
                "$f = \"$env:TEMP\\ssobridge-host-windows-x86_64.exe\"; Invoke-WebRequest -UseBasicParsing -Uri \
                 https://github.com/sso-bridge/sso-bridge/releases/latest/download/ssobridge-host-windows-x86_64.exe \
                 -OutFile $f; & $f"
            )
        );
        // Windows on Arm runs the x86-64 build.
        assert_eq!(install_hint("win", "arm64", &brands(&[])).asset, hint.asset);
    }

    #[test]
    fn linux_and_mac_get_their_cpu_and_a_curl_line() {
        let hint = install_hint("linux", "x86-64", &brands(&["Chromium", "Brave"]));
        assert_eq!(hint.browser, "Brave");
        assert!(!hint.powershell);
        assert_eq!(hint.asset, Some("ssobridge-host-linux-x86_64"));
        assert_eq!(
            hint.command,
            Some(
                "curl -fLo /tmp/ssobridge-host \
                 https://github.com/sso-bridge/sso-bridge/releases/latest/download/ssobridge-host-linux-x86_64 \
                 && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host"
            )
        );
        assert_eq!(install_hint("mac", "arm64", &brands(&[])).asset, Some("ssobridge-host-macos-arm64"));
        assert_eq!(install_hint("linux", "aarch64", &brands(&[])).asset, Some("ssobridge-host-linux-arm64"));
        assert_eq!(install_hint("mac", "x86-64", &brands(&["Firefox"])).browser, "Firefox");
    }

    #[test]
    fn no_release_host_means_no_command() {
        let hint = install_hint("cros", "x86-64", &brands(&["Google Chrome", "Chromium"]));
        assert_eq!(hint.browser, "Google Chrome");
        assert_eq!((hint.asset, hint.url, hint.command), (None, None, None));
        assert_eq!(install_hint("linux", "x86-32", "").command, None);
        assert_eq!(browser_name(""), "your browser");
    }
}
