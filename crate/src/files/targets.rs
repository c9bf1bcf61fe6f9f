//! Sync targets: places besides the local `~/.aws` that a session is also written to (issue 15),
//! because the terminal where `aws` runs is often not where the browser runs: a second HOME or a
//! dev container's bind-mounted `.aws` (a folder), an SSH host, a WSL distribution.
//!
//! A target is data the person chose in the options page and the extension sends with every
//! action that writes; it is validated here so that no value can become an `ssh` option, a
//! shell word or a path outside what was asked.

pub mod wsl;

use serde::{Deserialize, Serialize};

use crate::fields::{fail, FieldError};
use crate::protocol::ErrorBody;

/// Most targets one request may name (the options page offers a handful).
pub const MAX_TARGETS: usize = 16;

/// Longest folder path accepted.
pub const MAX_PATH_LEN: usize = 1024;

/// Longest SSH destination accepted (a host name is at most 253, plus a user).
pub const MAX_SSH_DESTINATION_LEN: usize = 255;

/// Where a session is also synced. Folders hold the AWS files directly (they stand for `~/.aws`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "kind", rename_all = "camelCase", deny_unknown_fields)]
pub enum SyncTarget {
    /// A folder that plays `~/.aws` for another terminal: absolute path.
    Folder { path: String },
    /// An SSH destination as the person writes it for `ssh` (`user@host`, an alias from
    /// `~/.ssh/config`); its `~/.aws` is written.
    Ssh { host: String },
    /// A WSL distribution on this Windows machine; its default user's `~/.aws` is written.
    Wsl { distro: String },
}

/// How a request's `targets` are written. The wasm core never sets them (the extension's worker
/// adds each portal's targets to the params the core made), so the wasm build carries no code
/// to serialize them (the extension's size budget) and fails loudly, never silently, if asked to.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn serialize_list<S: serde::Serializer>(list: &[SyncTarget], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(list)
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn serialize_list<S: serde::Serializer>(_: &[SyncTarget], _: S) -> Result<S::Ok, S::Error> {
    Err(serde::ser::Error::custom("sync targets are added by the extension's worker, not the wasm core"))
}

/// What became of one target in an action that writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct TargetResult {
    pub target: SyncTarget,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl TargetResult {
    pub fn done(target: &SyncTarget) -> Self {
        TargetResult { target: target.clone(), ok: true, error: None }
    }

    pub fn failed(target: &SyncTarget, error: ErrorBody) -> Self {
        TargetResult { target: target.clone(), ok: false, error: Some(error) }
    }
}

/// A request's target list: at most [`MAX_TARGETS`]. Each entry is checked on its own by
/// [`entry`] when its turn comes, so one bad target (a value planted in the extension's storage)
/// fails that target only and never the local write.
pub fn targets(field: &str, list: &[SyncTarget]) -> Result<(), FieldError> {
    if list.len() > MAX_TARGETS {
        return Err(fail(field, format!("lists more than {MAX_TARGETS} targets")));
    }
    Ok(())
}

/// Entry `i` of a request's target list (`field` names the list): valid and not listed before.
pub fn entry(field: &str, list: &[SyncTarget], i: usize) -> Result<(), FieldError> {
    let at = format!("{field}[{i}]");
    if list[..i].contains(&list[i]) {
        return Err(fail(at, "names a target already listed"));
    }
    sync_target(&at, &list[i])
}

pub fn sync_target(field: &str, target: &SyncTarget) -> Result<(), FieldError> {
    match target {
        SyncTarget::Folder { path } => folder_path(&format!("{field}.path"), path),
        SyncTarget::Ssh { host } => ssh_destination(&format!("{field}.host"), host),
        SyncTarget::Wsl { distro } => wsl::distro_name(&format!("{field}.distro"), distro),
    }
}

/// An absolute folder path (`/home/me/dev/.aws`, `C:\dev\.aws`, `\\server\share\.aws`), with
/// no control characters and no `..` (the folder is the one the person picked, not a way up).
pub fn folder_path(field: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() || value.len() > MAX_PATH_LEN {
        return Err(fail(field, format!("must be 1 to {MAX_PATH_LEN} bytes")));
    }
    if value.chars().any(char::is_control) {
        return Err(fail(field, "contains control characters"));
    }
    let bytes = value.as_bytes();
    let drive =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && matches!(bytes[2], b'\\' | b'/');
    if !(value.starts_with('/') || value.starts_with("\\\\") || drive) {
        return Err(fail(field, "must be an absolute path"));
    }
    if value.split(['/', '\\']).any(|part| part == "..") {
        return Err(fail(field, "must not contain `..`"));
    }
    Ok(())
}

/// An `ssh` destination: `host`, `user@host`, an alias. It travels as one argument after `--`,
/// and is refused if it could be read as an option (a leading `-`) or split by anything
/// (whitespace, control characters, quotes or shell characters, for the day it meets a shell).
pub fn ssh_destination(field: &str, value: &str) -> Result<(), FieldError> {
    if value.is_empty() || value.len() > MAX_SSH_DESTINATION_LEN {
        return Err(fail(field, format!("must be 1 to {MAX_SSH_DESTINATION_LEN} characters")));
    }
    if value.starts_with('-') {
        return Err(fail(field, "must not start with `-`"));
    }
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "._-@:[]%".contains(c);
    if !value.chars().all(ok_char) {
        return Err(fail(
            field,
            "must be an SSH destination such as user@host (letters, digits, `.`, `_`, `-`, `@`, `:`, `[`, `]`, `%`)",
        ));
    }
    if value.matches('@').count() > 1 || value.starts_with('@') || value.ends_with('@') {
        return Err(fail(field, "must be an SSH destination such as user@host"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_travel_tagged_by_kind() {
        let t: SyncTarget = serde_json::from_str(r#"{"kind":"ssh","host":"me@devbox"}"#).unwrap();
        assert_eq!(t, SyncTarget::Ssh { host: "me@devbox".into() });
        let json = serde_json::to_string(&SyncTarget::Folder { path: "/x/.aws".into() }).unwrap();
        assert_eq!(json, r#"{"kind":"folder","path":"/x/.aws"}"#);
        assert!(serde_json::from_str::<SyncTarget>(r#"{"kind":"ssh","host":"h","port":22}"#).is_err());
        assert!(serde_json::from_str::<SyncTarget>(r#"{"kind":"ftp","host":"h"}"#).is_err());
    }

    #[test]
    fn ssh_destinations_can_never_be_options_or_words() {
        for ok in ["devbox", "me@devbox", "me@10.0.0.2", "me@[fe80::1%eth0]", "build-01.example.com"] {
            assert!(ssh_destination("h", ok).is_ok(), "{ok}");
        }
        for bad in ["", "-oProxyCommand=x", "me@host -p 2", "a\nb", "h;rm", "h'x", "`id`", "$(id)", "a@b@c", "@h", "h@"]
        {
            let err = ssh_destination("params.targets[0].host", bad).unwrap_err();
            assert_eq!(err.field, "params.targets[0].host");
        }
        assert!(ssh_destination("h", &"a".repeat(256)).is_err());
    }

    #[test]
    fn folders_are_absolute_without_dot_dot() {
        for ok in ["/home/me/dev/.aws", "C:\\dev\\.aws", "d:/x", "\\\\wsl.localhost\\Ubuntu\\home\\me\\.aws"] {
            assert!(folder_path("p", ok).is_ok(), "{ok}");
        }
        for bad in ["", "relative/.aws", "/a/../etc", "C:\\a\\..\\b", "/a\nb", "c:"] {
            assert!(folder_path("p", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_list_is_bounded_and_has_no_repeats() {
        let folder = SyncTarget::Folder { path: "/a".into() };
        let list = [folder.clone(), folder.clone(), SyncTarget::Wsl { distro: "-x".into() }];
        assert!(entry("params.targets", &list, 0).is_ok());
        assert_eq!(entry("params.targets", &list, 1).unwrap_err().field, "params.targets[1]");
        assert_eq!(entry("params.targets", &list, 2).unwrap_err().field, "params.targets[2].distro");
        let many: Vec<_> = (0..=MAX_TARGETS).map(|i| SyncTarget::Folder { path: format!("/f{i}") }).collect();
        assert!(targets("t", &many).is_err());
        assert!(targets("t", &many[..MAX_TARGETS]).is_ok());
    }
}
