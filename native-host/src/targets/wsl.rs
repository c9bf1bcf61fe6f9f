//! WSL distributions, on Windows only: discovered with `wsl.exe --list --quiet` (or, when that
//! fails, the Lxss registry key through `reg.exe`), and written as a folder through
//! `\\wsl.localhost\<distro>\<home>\.aws`. What the commands print is parsed by the core.

use std::path::PathBuf;

use ssobridge_core::protocol::SyncTarget;

use crate::error::HostError;

/// The distributions of this Windows user; empty elsewhere or when WSL is not installed.
pub fn discover() -> Vec<SyncTarget> {
    distros().into_iter().map(|distro| SyncTarget::Wsl { distro }).collect()
}

/// `~/.aws` of the distribution's default user, as Windows reaches it.
pub fn aws_dir(distro: &str) -> Result<PathBuf, HostError> {
    imp::aws_dir(distro)
}

fn distros() -> Vec<String> {
    imp::distros()
}

#[cfg(windows)]
mod imp {
    use std::os::windows::process::CommandExt;
    use std::path::PathBuf;
    use std::process::{Command, Stdio};

    use ssobridge_core::targets::wsl::{self, Who};

    use crate::error::HostError;

    /// No console window flashes up when the host (a GUI-less child of the browser) runs these.
    const CREATE_NO_WINDOW: u32 = 0x0800_0000;

    fn output(program: &str, args: &[&str]) -> Option<Vec<u8>> {
        let out = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .creation_flags(CREATE_NO_WINDOW)
            .output()
            .ok()?;
        out.status.success().then_some(out.stdout)
    }

    pub fn distros() -> Vec<String> {
        if let Some(list) = output("wsl.exe", &["--list", "--quiet"]) {
            return wsl::parse_list(&list);
        }
        let registry = output("reg.exe", &["query", wsl::LXSS_KEY, "/s"]).unwrap_or_default();
        wsl::parse_registry(&registry).into_iter().map(|d| d.name).collect()
    }

    pub fn aws_dir(distro: &str) -> Result<PathBuf, HostError> {
        let unreachable = || HostError::Unreachable(format!("the WSL distribution {distro} does not answer"));
        let passwd = std::fs::read_to_string(format!(r"{}\{distro}\etc\passwd", wsl::SHARE)).unwrap_or_default();
        let home = match output("wsl.exe", &["-d", distro, "-e", "id", "-un"]).and_then(|b| wsl::parse_user_name(&b)) {
            Some(user) => {
                wsl::passwd_user(&passwd, Who::Name(&user)).map_or_else(|| wsl::default_home(&user), |u| u.home)
            }
            None => {
                // wsl.exe would not start it: the registry still says which uid it starts as.
                let registry = output("reg.exe", &["query", wsl::LXSS_KEY, "/s"]).ok_or_else(unreachable)?;
                let found =
                    wsl::parse_registry(&registry).into_iter().find(|d| d.name == distro).ok_or_else(unreachable)?;
                wsl::passwd_user(&passwd, Who::Uid(found.default_uid)).ok_or_else(unreachable)?.home
            }
        };
        wsl::aws_dir(distro, &home).map(PathBuf::from).ok_or_else(unreachable)
    }
}

#[cfg(not(windows))]
mod imp {
    use std::path::PathBuf;

    use crate::error::HostError;

    pub fn distros() -> Vec<String> {
        Vec::new()
    }

    pub fn aws_dir(distro: &str) -> Result<PathBuf, HostError> {
        Err(HostError::Unreachable(format!("the WSL distribution {distro} can be reached only from Windows")))
    }
}
