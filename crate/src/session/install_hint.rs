//! What the popup's "host missing" screen tells a person: their browser by name, the release
//! asset built for their OS and CPU, and the one command that downloads it and runs it once (the
//! host then installs itself for every browser it finds). The release assets' names live here,
//! and `cargo xtask dist` checks its files against them.

use serde::Serialize;

/// Where release assets are downloaded from (the newest release).
pub const RELEASES: &str = "https://github.com/sso-bridge/sso-bridge/releases/latest/download/";

/// A host binary on the releases page: for which OS and CPU, in the names
/// `runtime.getPlatformInfo()` uses (`linux`, `mac`, `win`; `x86-64`, `arm64`). `cargo xtask
/// dist` builds exactly these (it maps each to its Rust target).
pub struct HostAsset {
    pub os: &'static str,
    pub arch: &'static str,
    pub file: &'static str,
}

const fn asset(os: &'static str, arch: &'static str, file: &'static str) -> HostAsset {
    HostAsset { os, arch, file }
}

/// Every host the release carries. Windows on Arm runs the x86-64 build (Windows emulates it).
pub const HOST_ASSETS: &[HostAsset] = &[
    asset("linux", "x86-64", "ssobridge-host-linux-x86_64"),
    asset("linux", "arm64", "ssobridge-host-linux-arm64"),
    asset("win", "x86-64", "ssobridge-host-windows-x86_64.exe"),
    asset("mac", "x86-64", "ssobridge-host-macos-x86_64"),
    asset("mac", "arm64", "ssobridge-host-macos-arm64"),
];

/// The screen's content. `asset`, `url` and `command` are null where no release host runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct InstallHint {
    /// The browser's name as its maker writes it ("Brave", "Microsoft Edge", ...).
    pub browser: &'static str,
    pub asset: Option<&'static str>,
    pub url: Option<String>,
    /// PowerShell on Windows, a POSIX shell elsewhere.
    pub command: Option<String>,
    /// `command` is for PowerShell (else for a POSIX shell).
    pub powershell: bool,
}

/// The browser's name from `navigator.userAgentData.brands` (the worker adds "Brave" when
/// `navigator.brave` exists, since Brave reports itself as Chromium, and "Firefox" in Firefox,
/// which has no brands). Specific brands win over the engine's.
pub fn browser_name<'a>(brands: impl Iterator<Item = &'a str> + Clone) -> &'static str {
    const KNOWN: [&str; 5] = ["Brave", "Microsoft Edge", "Google Chrome", "Firefox", "Chromium"];
    KNOWN.into_iter().find(|known| brands.clone().any(|b| b == *known)).unwrap_or("your browser")
}

/// The hint for `os` and `arch` as `runtime.getPlatformInfo()` gives them (Firefox says
/// `aarch64` where Chromium says `arm64`).
pub fn install_hint<'a>(os: &str, arch: &str, brands: impl Iterator<Item = &'a str> + Clone) -> InstallHint {
    let arch = match (os, arch) {
        ("win", _) => "x86-64",
        (_, "aarch64") => "arm64",
        (_, a) => a,
    };
    let asset = HOST_ASSETS.iter().find(|a| a.os == os && a.arch == arch);
    let command = asset.map(|a| {
        let url = format!("{RELEASES}{}", a.file);
        if os == "win" {
            format!("$f = \"$env:TEMP\\{}\"; Invoke-WebRequest -UseBasicParsing -Uri {url} -OutFile $f; & $f", a.file)
        } else {
            format!("curl -fLo /tmp/ssobridge-host {url} && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host")
        }
    });
    InstallHint {
        browser: browser_name(brands),
        asset: asset.map(|a| a.file),
        url: asset.map(|a| format!("{RELEASES}{}", a.file)),
        command,
        powershell: os == "win",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brands<'a>(names: &'a [&'a str]) -> impl Iterator<Item = &'a str> + Clone {
        names.iter().copied()
    }

    #[test]
    fn windows_gets_the_exe_and_a_powershell_line() {
        let hint = install_hint("win", "x86-64", brands(&["Not.A/Brand", "Chromium", "Microsoft Edge"]));
        assert_eq!(hint.browser, "Microsoft Edge");
        assert!(hint.powershell);
        assert_eq!(hint.asset, Some("ssobridge-host-windows-x86_64.exe"));
        assert_eq!(
            hint.command.as_deref(),
            Some(
                "$f = \"$env:TEMP\\ssobridge-host-windows-x86_64.exe\"; Invoke-WebRequest -UseBasicParsing -Uri \
                 https://github.com/sso-bridge/sso-bridge/releases/latest/download/ssobridge-host-windows-x86_64.exe \
                 -OutFile $f; & $f"
            )
        );
        // Windows on Arm runs the x86-64 build.
        assert_eq!(install_hint("win", "arm64", brands(&[])).asset, hint.asset);
    }

    #[test]
    fn linux_and_mac_get_their_cpu_and_a_curl_line() {
        let hint = install_hint("linux", "x86-64", brands(&["Chromium", "Brave"]));
        assert_eq!(hint.browser, "Brave");
        assert!(!hint.powershell);
        assert_eq!(hint.asset, Some("ssobridge-host-linux-x86_64"));
        assert_eq!(
            hint.command.as_deref(),
            Some(
                "curl -fLo /tmp/ssobridge-host \
                 https://github.com/sso-bridge/sso-bridge/releases/latest/download/ssobridge-host-linux-x86_64 \
                 && chmod +x /tmp/ssobridge-host && /tmp/ssobridge-host"
            )
        );
        assert_eq!(install_hint("mac", "arm64", brands(&[])).asset, Some("ssobridge-host-macos-arm64"));
        assert_eq!(install_hint("linux", "aarch64", brands(&[])).asset, Some("ssobridge-host-linux-arm64"));
        assert_eq!(install_hint("mac", "x86-64", brands(&["Firefox"])).browser, "Firefox");
    }

    #[test]
    fn no_release_host_means_no_command() {
        let hint = install_hint("cros", "x86-64", brands(&["Google Chrome", "Chromium"]));
        assert_eq!(hint.browser, "Google Chrome");
        assert_eq!((hint.asset, hint.url, hint.command), (None, None, None));
        assert_eq!(install_hint("linux", "x86-32", brands(&[])).command, None);
        assert_eq!(browser_name(brands(&[])), "your browser");
    }
}
