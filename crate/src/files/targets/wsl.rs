//! WSL distributions seen from Windows: what `wsl.exe --list --quiet` and the Lxss registry key
//! say, which Linux user a distribution starts as, and the `\\wsl.localhost` path of that
//! user's `~/.aws`. Pure functions over the bytes those commands print, so they are tested on
//! recorded output; the host runs the commands (Windows only).

use crate::fields::{fail, FieldError};

/// The share through which Windows programs reach a distribution's files (Windows 10 21H2+;
/// `\\wsl$` is the older alias of the same share).
pub const SHARE: &str = r"\\wsl.localhost";

/// The registry key that lists the distributions of the current user.
pub const LXSS_KEY: &str = r"HKCU\Software\Microsoft\Windows\CurrentVersion\Lxss";

/// A distribution name as WSL accepts it (`wsl --import` allows letters, digits, `.`, `_`, `-`).
/// It becomes an argument of `wsl.exe -d` and a path component of the share.
pub fn distro_name(field: &str, value: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "._-".contains(c);
    if value.is_empty() || value.len() > 64 || value.starts_with(['-', '.']) || !value.chars().all(ok_char) {
        return Err(fail(field, "must be a WSL distribution name (1 to 64 letters, digits, `.`, `_`, `-`)"));
    }
    Ok(())
}

/// The text a Windows console program printed: UTF-16LE (what `wsl.exe` writes to a pipe, with
/// or without a BOM) when it has NUL high bytes, else UTF-8 (`WSL_UTF8=1`). NULs that survive
/// (a trailing odd byte, padding) are dropped.
pub fn console_text(bytes: &[u8]) -> String {
    let utf16 =
        bytes.len() >= 2 && bytes.chunks_exact(2).take(64).any(|pair| pair[1] == 0) || bytes.starts_with(&[0xFF, 0xFE]);
    let text = if utf16 {
        let units: Vec<u16> = bytes.chunks_exact(2).map(|p| u16::from_le_bytes([p[0], p[1]])).collect();
        String::from_utf16_lossy(&units)
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    text.replace(['\u{feff}', '\0'], "")
}

/// The distributions `wsl.exe --list --quiet` printed, one per line (CRLF). Lines that are not
/// a distribution name (the "no installed distributions" sentence) are left out.
pub fn parse_list(bytes: &[u8]) -> Vec<String> {
    let mut names = Vec::new();
    for line in console_text(bytes).lines() {
        let name = line.trim();
        if distro_name("", name).is_ok() && !names.iter().any(|n| n == name) {
            names.push(name.to_string());
        }
    }
    names
}

/// One distribution from the Lxss registry key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisteredDistro {
    pub name: String,
    /// The uid `wsl.exe -d NAME` starts as (0 until the first-run setup made a user).
    pub default_uid: u32,
}

/// The distributions in the text of `reg.exe query <LXSS_KEY> /s`: one subkey per distribution
/// (a GUID) with `DistributionName REG_SZ` and `DefaultUid REG_DWORD 0x3e8`. Subkeys without a
/// valid name are skipped; a missing `DefaultUid` means root, as WSL does.
pub fn parse_registry(bytes: &[u8]) -> Vec<RegisteredDistro> {
    let mut found = Vec::new();
    let mut current: Option<(Option<String>, u32)> = None;
    let finish = |entry: Option<(Option<String>, u32)>, found: &mut Vec<RegisteredDistro>| {
        if let Some((Some(name), default_uid)) = entry {
            if distro_name("", &name).is_ok() && !found.iter().any(|d: &RegisteredDistro| d.name == name) {
                found.push(RegisteredDistro { name, default_uid });
            }
        }
    };
    for line in console_text(bytes).lines() {
        if line.starts_with("HKEY_") {
            finish(current.take(), &mut found);
            // Only the distributions' subkeys, not the Lxss key's own values.
            let is_subkey = line.trim_end().rsplit('\\').next().is_some_and(|last| last.starts_with('{'));
            current = is_subkey.then_some((None, 0));
            continue;
        }
        let Some((name, default_uid)) = current.as_mut() else { continue };
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("DistributionName"), Some("REG_SZ"), Some(value)) if words.next().is_none() => {
                *name = Some(value.to_string())
            }
            (Some("DefaultUid"), Some("REG_DWORD"), Some(value)) => {
                *default_uid = value.strip_prefix("0x").and_then(|hex| u32::from_str_radix(hex, 16).ok()).unwrap_or(0)
            }
            _ => {}
        }
    }
    finish(current, &mut found);
    found
}

/// A user's name and home directory from the distribution's `/etc/passwd`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinuxUser {
    pub name: String,
    pub home: String,
}

/// Which passwd line: by uid (from the registry) or by name (from `id -un`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who<'a> {
    Uid(u32),
    Name(&'a str),
}

/// The passwd entry of `who`, when its home is a plain absolute path.
pub fn passwd_user(passwd: &str, who: Who) -> Option<LinuxUser> {
    passwd.lines().find_map(|line| {
        let fields: Vec<&str> = line.split(':').collect();
        let [name, _, uid, _, _, home, ..] = fields[..] else { return None };
        let hit = match who {
            Who::Uid(want) => uid.parse::<u32>().ok() == Some(want),
            Who::Name(want) => name == want,
        };
        (hit && linux_user_name(name) && plain_home(home))
            .then(|| LinuxUser { name: name.to_string(), home: home.to_string() })
    })
}

/// The user name `wsl.exe -d D -e id -un` printed (UTF-8 from Linux, maybe with CRLF).
pub fn parse_user_name(bytes: &[u8]) -> Option<String> {
    let name = console_text(bytes).trim().to_string();
    linux_user_name(&name).then_some(name)
}

/// Where a user's home is when `/etc/passwd` cannot be read: `/root` or `/home/NAME`.
pub fn default_home(user: &str) -> String {
    if user == "root" {
        "/root".to_string()
    } else {
        format!("/home/{user}")
    }
}

/// `\\wsl.localhost\<distro>\home\<user>\.aws`: the user's `~/.aws` as Windows reaches it.
pub fn aws_dir(distro: &str, home: &str) -> Option<String> {
    if distro_name("", distro).is_err() || !plain_home(home) {
        return None;
    }
    let home = home.trim_end_matches('/').replace('/', "\\");
    Some(format!("{SHARE}\\{distro}{home}\\.aws"))
}

/// Debian's rule for user names, a little wider (`NAME_REGEX` allows upper case when relaxed).
fn linux_user_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
        && name.len() <= 32
}

/// An absolute home path made of plain components (no `..`, no backslashes, no control chars).
fn plain_home(home: &str) -> bool {
    home.starts_with('/')
        && home.len() <= 256
        && home
            .split('/')
            .skip(1)
            .all(|part| part != ".." && part != "." && !part.contains('\\') && !part.chars().any(char::is_control))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Text as `wsl.exe` writes it to a pipe: UTF-16LE code units.
    fn utf16le(text: &str, bom: bool) -> Vec<u8> {
        let mut bytes = if bom { vec![0xFF, 0xFE] } else { Vec::new() };
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        bytes
    }

    #[test]
    fn the_quiet_list_in_utf16_with_bom_nuls_and_crlf() {
        // `wsl.exe --list --quiet` on Windows 11 23H2, piped: no BOM, CRLF, a trailing NUL unit.
        let recorded: &[u8] = b"U\0b\0u\0n\0t\0u\0-\x002\x002\0.\x000\x004\0\r\0\n\0d\0e\0b\0i\0a\0n\0\r\0\n\0\0\0";
        assert_eq!(parse_list(recorded), ["Ubuntu-22.04", "debian"]);
        assert_eq!(parse_list(&utf16le("Ubuntu\r\nAlpine\r\n", true)), ["Ubuntu", "Alpine"]);
        // With WSL_UTF8=1 the same list comes as UTF-8.
        assert_eq!(parse_list(b"Ubuntu\r\nUbuntu\r\n"), ["Ubuntu"]);
        // No distribution installed: a sentence, not a name.
        let none = utf16le("Windows Subsystem for Linux has no installed distributions.\r\n", false);
        assert!(parse_list(&none).is_empty());
        assert!(parse_list(b"").is_empty());
        // An odd trailing byte is dropped, not turned into a name.
        let mut odd = utf16le("Ubuntu\r\n", false);
        odd.push(b'x');
        assert_eq!(parse_list(&odd), ["Ubuntu"]);
    }

    #[test]
    fn the_lxss_registry_key() {
        let recorded = "\r\nHKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\r\n\
            \x20   DefaultDistribution    REG_SZ    {0b8d2d1c-2e4d-4b2a-9d7e-1f3c5a6b7c8d}\r\n\
            \x20   DefaultVersion    REG_DWORD    0x2\r\n\r\n\
            HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{0b8d2d1c-2e4d-4b2a-9d7e-1f3c5a6b7c8d}\r\n\
            \x20   State    REG_DWORD    0x1\r\n\
            \x20   DistributionName    REG_SZ    Ubuntu-22.04\r\n\
            \x20   Version    REG_DWORD    0x2\r\n\
            \x20   BasePath    REG_SZ    C:\\Users\\me\\AppData\\Local\\Packages\\CanonicalGroupLimited\\LocalState\r\n\
            \x20   Flags    REG_DWORD    0xf\r\n\
            \x20   DefaultUid    REG_DWORD    0x3e8\r\n\r\n\
            HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{5e4f6a7b-0000-4000-8000-0123456789ab}\r\n\
            \x20   DistributionName    REG_SZ    docker-desktop\r\n\
            \x20   Version    REG_DWORD    0x2\r\n\r\n\
            HKEY_CURRENT_USER\\Software\\Microsoft\\Windows\\CurrentVersion\\Lxss\\{6e4f6a7b-0000-4000-8000-0123456789ab}\r\n\
            \x20   DistributionName    REG_SZ    two words\r\n\r\n";
        assert_eq!(
            parse_registry(recorded.as_bytes()),
            [
                RegisteredDistro { name: "Ubuntu-22.04".into(), default_uid: 1000 },
                RegisteredDistro { name: "docker-desktop".into(), default_uid: 0 },
            ]
        );
        assert!(
            parse_registry(b"ERROR: The system was unable to find the specified registry key or value.\r\n").is_empty()
        );
    }

    #[test]
    fn the_user_and_the_share_path() {
        let passwd = "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n\
                      me:x:1000:1000:Me,,,:/home/me:/bin/bash\nodd:x:1001:1001::/home/../etc:/bin/sh\n";
        let me = passwd_user(passwd, Who::Uid(1000)).unwrap();
        assert_eq!(me, LinuxUser { name: "me".into(), home: "/home/me".into() });
        assert_eq!(passwd_user(passwd, Who::Name("root")).unwrap().home, "/root");
        assert_eq!(passwd_user(passwd, Who::Uid(1001)), None, "a home with `..` is refused");
        assert_eq!(passwd_user(passwd, Who::Uid(4242)), None);
        assert_eq!(parse_user_name(b"me\n").as_deref(), Some("me"));
        assert_eq!(parse_user_name(b"me\r\n").as_deref(), Some("me"));
        assert_eq!(parse_user_name(b"-rf\n"), None);
        assert_eq!(default_home("root"), "/root");
        assert_eq!(aws_dir("Ubuntu-22.04", &default_home("me")).unwrap(), r"\\wsl.localhost\Ubuntu-22.04\home\me\.aws");
        assert_eq!(aws_dir("Ubuntu", "/root/").unwrap(), r"\\wsl.localhost\Ubuntu\root\.aws");
        assert_eq!(aws_dir("Ubuntu", "/home/../x"), None);
        assert_eq!(aws_dir("bad name", "/root"), None);
        assert!(super::super::folder_path("p", &aws_dir("Ubuntu", "/home/me").unwrap()).is_ok());
    }
}
