//! Error codes of protocol v1 and the error body of a reply.

use serde::{Deserialize, Serialize};

/// Machine-readable error codes. APPEND-ONLY: never rename, reorder or reuse a code, because the
/// extension maps each one to a translated sentence and a remedial action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// The message is not a JSON object with `id`, `action` and `params`, not UTF-8, not JSON, or
    /// its framing is broken (truncated length or body).
    InvalidMessage,
    /// The message is longer than [`super::MAX_MESSAGE_LEN`].
    MessageTooLarge,
    /// `action` names no action this host knows (an older host: update it).
    UnknownAction,
    /// An object carries a field this host does not know; `field` is its JSON path.
    UnknownField,
    /// A field is missing, has the wrong type, or fails validation; `field` is its JSON path.
    InvalidField,
    /// `~/.aws/config` cannot be parsed, or has a duplicate section or key; the message carries
    /// the line number. The host never repairs such a file.
    ConfigParseError,
    /// The named sso-session has no `[sso-session NAME]` section (run `saveToken` first).
    SessionNotFound,
    /// A profile of that name exists but was written by someone else (no sso-bridge marker).
    ProfileNotManaged,
    /// The config kept changing under us while we tried to write it.
    Conflict,
    /// Reading or writing a file failed; the message names the file.
    IoError,
    /// A bug in the host.
    InternalError,
    /// `applyProfiles` would rebind (or remove) a profile sso-bridge manages for another
    /// sso-session; the message names that session. Pass the name in `takeover` once the person
    /// confirmed it.
    ProfileOwnedByOtherSession,
    /// `undo`: the config changed since that apply (or a later apply replaced its undo data);
    /// nothing was changed.
    UndoUnavailable,
    /// `saveToken`: `[sso-session NAME]` exists with another start URL or region; the message
    /// names the existing start URL. Another session name, or `takeover: true`, resolves it.
    SessionConflict,
    /// A sync target could not be reached (an SSH host that does not answer or refuses the
    /// key, a WSL distribution that is not there); only in a result's `targets[].error`.
    TargetUnreachable,
    /// An SSH target's file changed between our read and our write; nothing was written there
    /// and the change is kept. Only in a result's `targets[].error`; the next sync retries.
    RemoteChanged,
    /// Never sent: what an older reader sees for a code added after it was built.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Every code a host may send, in the order they were added.
    pub const ALL: [ErrorCode; 16] = [
        ErrorCode::InvalidMessage,
        ErrorCode::MessageTooLarge,
        ErrorCode::UnknownAction,
        ErrorCode::UnknownField,
        ErrorCode::InvalidField,
        ErrorCode::ConfigParseError,
        ErrorCode::SessionNotFound,
        ErrorCode::ProfileNotManaged,
        ErrorCode::Conflict,
        ErrorCode::IoError,
        ErrorCode::InternalError,
        ErrorCode::ProfileOwnedByOtherSession,
        ErrorCode::UndoUnavailable,
        ErrorCode::SessionConflict,
        ErrorCode::TargetUnreachable,
        ErrorCode::RemoteChanged,
    ];

    /// The wire spelling, e.g. `invalid_field`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidMessage => "invalid_message",
            ErrorCode::MessageTooLarge => "message_too_large",
            ErrorCode::UnknownAction => "unknown_action",
            ErrorCode::UnknownField => "unknown_field",
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::ConfigParseError => "config_parse_error",
            ErrorCode::SessionNotFound => "session_not_found",
            ErrorCode::ProfileNotManaged => "profile_not_managed",
            ErrorCode::Conflict => "conflict",
            ErrorCode::IoError => "io_error",
            ErrorCode::InternalError => "internal_error",
            ErrorCode::ProfileOwnedByOtherSession => "profile_owned_by_other_session",
            ErrorCode::UndoUnavailable => "undo_unavailable",
            ErrorCode::SessionConflict => "session_conflict",
            ErrorCode::TargetUnreachable => "target_unreachable",
            ErrorCode::RemoteChanged => "remote_changed",
            ErrorCode::Unknown => "unknown",
        }
    }
}

/// The `error` member of a failed reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct ErrorBody {
    pub code: ErrorCode,
    /// One English sentence for logs and bug reports; the UI shows its own text for `code`.
    pub message: String,
    /// JSON path of the offending request field, e.g. `params.profiles[3].name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

impl ErrorBody {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ErrorBody { code, message: message.into(), field: None }
    }

    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialise_snake_case_and_as_str_agrees() {
        for code in ErrorCode::ALL {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
            assert_eq!(serde_json::from_str::<ErrorCode>(&json).unwrap(), code);
        }
        let future: ErrorCode = serde_json::from_str("\"added_in_v9\"").unwrap();
        assert_eq!(future, ErrorCode::Unknown);
    }
}
