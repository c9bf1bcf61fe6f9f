//! One params struct and one result struct per action of protocol v1.
//!
//! Params are strict (`deny_unknown_fields`): a field this host does not know is an error that
//! names it, so an extension newer than its host fails loudly instead of being half-obeyed.
//! Results are lenient for readers, so a newer host may add result fields.

use serde::{Deserialize, Serialize};

use crate::secret::Secret;
pub use crate::targets::{SyncTarget, TargetResult};

/// A request's action together with its params, tagged the way they travel:
/// `{"action": "saveToken", "params": {...}}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "action", content = "params", rename_all = "camelCase")]
pub enum Action {
    Hello(HelloParams),
    SaveToken(SaveTokenParams),
    ApplyProfiles(ApplyProfilesParams),
    Status(StatusParams),
    Logout(LogoutParams),
    Undo(UndoParams),
    RemoveSession(RemoveSessionParams),
    DiscoverTargets(DiscoverTargetsParams),
}

impl Action {
    /// Every action name of protocol v1.
    pub const NAMES: [&'static str; 8] =
        ["hello", "saveToken", "applyProfiles", "status", "logout", "undo", "removeSession", "discoverTargets"];

    pub fn name(&self) -> &'static str {
        match self {
            Action::Hello(_) => "hello",
            Action::SaveToken(_) => "saveToken",
            Action::ApplyProfiles(_) => "applyProfiles",
            Action::Status(_) => "status",
            Action::Logout(_) => "logout",
            Action::Undo(_) => "undo",
            Action::RemoveSession(_) => "removeSession",
            Action::DiscoverTargets(_) => "discoverTargets",
        }
    }
}

/// `hello`: no params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct HelloParams {}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct HelloResult {
    /// Protocol version, [`super::PROTOCOL_VERSION`].
    pub protocol: u32,
    /// Host version (crate version).
    pub version: String,
    /// The config file the host edits (`AWS_CONFIG_FILE` or `~/.aws/config`).
    pub config_file: String,
    /// `~/.aws/sso/cache`.
    pub sso_cache_dir: String,
    /// `linux`, `macos` or `windows`.
    pub os: String,
}

/// `saveToken`: store a token for an sso-session and make sure its section exists.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SaveTokenParams {
    pub session_name: String,
    pub start_url: String,
    /// Region of the IAM Identity Center instance (`sso_region`).
    pub region: String,
    /// Registration scopes, written as `sso_registration_scopes` (omitted when empty).
    pub scopes: Vec<String>,
    pub token: TokenParams,
    /// The person confirmed that an existing `[sso-session NAME]` with another start URL or
    /// region is to be rewritten; without it such a request fails with `session_conflict`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub takeover: bool,
    /// Where else the same files are written (issue 15); each gets its own entry in the
    /// result's `targets`, and none of them can make the local write fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty", serialize_with = "crate::targets::serialize_list")]
    pub targets: Vec<SyncTarget>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The token as CreateToken returned it, with absolute expiry timestamps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TokenParams {
    pub access_token: Secret,
    /// `YYYY-MM-DDTHH:MM:SSZ` (fractional seconds accepted and dropped).
    pub expires_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<Secret>,
    pub client_id: String,
    pub client_secret: Secret,
    /// The client registration's `clientSecretExpiresAt`, same format as `expiresAt`.
    pub registration_expires_at: String,
}

/// What happened to a config section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum SectionChange {
    Added,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SaveTokenResult {
    /// Path of the token cache file written.
    pub cache_file: String,
    pub session_section: SectionChange,
    /// How many `~/.aws/cli/cache` SSO role-credential files were deleted.
    pub role_cache_removed: u32,
    /// One entry per requested target, in request order (absent when none was requested).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
}

/// `applyProfiles`: make `[profile NAME]` sections for an existing sso-session.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApplyProfilesParams {
    pub session_name: String,
    pub profiles: Vec<ProfileSpec>,
    /// Remove the profiles sso-bridge made for this session that are not in `profiles`.
    #[serde(default)]
    pub prune: bool,
    /// Compute the result and the diff, write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Names in `profiles` of profiles sso-bridge manages for ANOTHER session that the person
    /// confirmed may be rebound to this one; any other such profile is refused with
    /// `profile_owned_by_other_session`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub takeover: Vec<String>,
    /// Exactly these profiles are removed; each must be one sso-bridge manages for this session.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// Where else the same files are written (issue 15); each gets its own entry in the
    /// result's `targets`, and none of them can make the local write fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty", serialize_with = "crate::targets::serialize_list")]
    pub targets: Vec<SyncTarget>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ProfileSpec {
    pub name: String,
    pub account_id: String,
    pub role_name: String,
    /// Client region (`region`); when absent an existing value is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// `output`; when absent an existing value is kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ApplyProfilesResult {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub unchanged: Vec<String>,
    pub removed: Vec<String>,
    /// Dry runs only: the unified diff of the config file, old → new (empty when nothing
    /// changes). A real apply leaves it out: the caller reviewed it in the dry run, and on a
    /// large config the diff costs more than the whole write.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// Where the previous config was kept; absent on a dry run, when nothing changed, or when
    /// there was no previous file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub backup_file: Option<String>,
    /// Real applies that changed the file: pass it to `undo` to restore the config as it was
    /// before this apply, as long as nothing has changed the file since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undo_token: Option<String>,
    /// One entry per requested target, in request order (absent when none was requested).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
}

/// `status`: no params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct StatusParams {}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct StatusResult {
    pub sessions: Vec<SessionStatus>,
    /// Names of the profiles that use no sso-session (static keys, assumed roles, `default`):
    /// names a new SSO Bridge profile must not take.
    #[serde(default)]
    pub other_profiles: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct SessionStatus {
    pub name: String,
    pub start_url: Option<String>,
    pub region: Option<String>,
    /// Created by sso-bridge (carries the `# managed by sso-bridge` marker).
    #[serde(default)]
    pub managed: bool,
    /// Present when a readable token cache file exists for the session.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenStatus>,
    pub profiles: Vec<ProfileStatus>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct TokenStatus {
    pub expires_at: String,
    /// The file holds what botocore and aws-sdk-rust need to refresh it themselves.
    pub refreshable: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct ProfileStatus {
    pub name: String,
    pub account_id: Option<String>,
    pub role_name: Option<String>,
    pub region: Option<String>,
    /// Made by sso-bridge (carries the marker), so `prune` may remove it.
    pub managed: bool,
}

/// `logout`: forget the token of a session (config sections stay).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LogoutParams {
    pub session_name: String,
    /// Where else the same files are written (issue 15); each gets its own entry in the
    /// result's `targets`, and none of them can make the local write fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty", serialize_with = "crate::targets::serialize_list")]
    pub targets: Vec<SyncTarget>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct LogoutResult {
    pub removed_files: Vec<String>,
    /// One entry per requested target, in request order (absent when none was requested).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
}

/// `undo`: restore the config as it was before the `applyProfiles` that returned the token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UndoParams {
    pub undo_token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct UndoResult {
    pub restored: bool,
    /// The unified diff of what the undo changed (the apply's diff, reversed).
    pub diff: String,
}

/// `removeSession`: forget a portal: its token and CLI role credentials, and, with
/// `removeProfiles`, the profiles sso-bridge made for it and its `[sso-session]`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RemoveSessionParams {
    pub session_name: String,
    #[serde(default)]
    pub remove_profiles: bool,
    /// Report what would be removed and the config diff, remove nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Where else the same files are written (issue 15); each gets its own entry in the
    /// result's `targets`, and none of them can make the local write fail.
    #[serde(default, skip_serializing_if = "Vec::is_empty", serialize_with = "crate::targets::serialize_list")]
    pub targets: Vec<SyncTarget>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RemoveSessionResult {
    /// The token cache file and CLI role-credential files removed (or, on a dry run, that would be).
    pub removed_files: Vec<String>,
    /// Profiles removed (would be): only those sso-bridge made for this session.
    pub removed_profiles: Vec<String>,
    /// The `[sso-session]` section was (would be) removed.
    pub session_removed: bool,
    /// Why the section stays when `removeProfiles` asked to remove it: these profiles, not made
    /// by sso-bridge, still use it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub session_kept_for: Vec<String>,
    /// Dry runs only: the unified diff of the config file (empty when it would not change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diff: Option<String>,
    /// One entry per requested target, in request order (absent when none was requested).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub targets: Vec<TargetResult>,
}

/// `discoverTargets`: no params.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(deny_unknown_fields)]
pub struct DiscoverTargetsParams {}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct DiscoverTargetsResult {
    /// The targets this machine offers without being told: its WSL distributions (Windows
    /// only; empty elsewhere). Folders and SSH hosts are the person's to add.
    pub targets: Vec<SyncTarget>,
}
