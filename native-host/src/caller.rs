//! Which browser extension may talk to the host. Chromium starts the host with the caller's
//! origin (`chrome-extension://ID/`, plus `--parent-window=N` on Windows); Firefox with the
//! manifest path and the add-on id. The browser only starts the host for the extensions the
//! manifest allows; this check is a second line for a manifest someone edited or copied.

/// The extension ids allowed to use the host, as they appear in the browsers' arguments.
pub const ALLOWED_EXTENSIONS: AllowedExtensions =
    AllowedExtensions { chromium: &["gfjggkhhfllfodkgihkkjigdbliapmgc"], firefox: &["ssobridge@ssobridge.dev"] };

/// The native-messaging host name, registered with every browser. Chromium allows only
/// lowercase letters, digits, `.` and `_`.
pub const HOST_NAME: &str = "com.ssobridge.host";

pub struct AllowedExtensions {
    pub chromium: &'static [&'static str],
    pub firefox: &'static [&'static str],
}

/// Who started us, from `argv[1..]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Chromium { extension_id: String },
    Firefox { extension_id: String },
}

impl Caller {
    pub fn extension_id(&self) -> &str {
        match self {
            Caller::Chromium { extension_id } | Caller::Firefox { extension_id } => extension_id,
        }
    }
}

/// Recognises a browser's argument shapes; `None` means a person ran the binary (CLI mode).
pub fn detect(args: &[String]) -> Option<Caller> {
    let first = args.first()?;
    if let Some(rest) = first.strip_prefix("chrome-extension://") {
        return Some(Caller::Chromium { extension_id: rest.trim_end_matches('/').to_string() });
    }
    // Firefox: [manifest path, extension id]; the manifest is always a .json file.
    if args.len() == 2 && first.ends_with(".json") {
        return Some(Caller::Firefox { extension_id: args[1].clone() });
    }
    None
}

/// True if this caller may use the host.
pub fn is_allowed(caller: &Caller) -> bool {
    match caller {
        Caller::Chromium { extension_id } => ALLOWED_EXTENSIONS.chromium.contains(&extension_id.as_str()),
        Caller::Firefox { extension_id } => ALLOWED_EXTENSIONS.firefox.contains(&extension_id.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn detects_browsers_and_checks_ids() {
        let chrome = detect(&args(&["chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/"])).unwrap();
        assert!(is_allowed(&chrome));
        let windows =
            detect(&args(&["chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/", "--parent-window=42"])).unwrap();
        assert!(is_allowed(&windows));
        let firefox = detect(&args(&[
            "/home/u/.mozilla/native-messaging-hosts/com.ssobridge.host.json",
            "ssobridge@ssobridge.dev",
        ]))
        .unwrap();
        assert!(is_allowed(&firefox));
        let other = detect(&args(&["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"])).unwrap();
        assert!(!is_allowed(&other));
        assert!(!is_allowed(&detect(&args(&["/x.json", "evil@example.com"])).unwrap()));
        assert_eq!(detect(&args(&["doctor"])), None);
        assert_eq!(detect(&args(&[])), None);
    }

    #[test]
    fn host_name_is_valid_for_chromium() {
        assert!(HOST_NAME.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '_'));
        assert!(!HOST_NAME.starts_with('.') && !HOST_NAME.ends_with('.') && !HOST_NAME.contains(".."));
    }
}
