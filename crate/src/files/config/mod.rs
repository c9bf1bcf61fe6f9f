//! A lossless editor for `~/.aws/config`.
//!
//! People keep years of hand edits in this file, so parse → print returns the input byte for
//! byte (comments, blank lines, CRLF, a missing final newline, tabs, `key:value`, `s3 =` blocks,
//! `[services]` sections, keys we do not know), and an edit changes only the lines it must. A
//! file that AWS clients would read differently or fail on (duplicate section or key, a line
//! that is not INI) is refused with its line number, never repaired.

mod apply;
mod diff;
mod edit;
mod lint;
mod tree;

pub use apply::{
    apply_profiles, apply_request, session_conflict, upsert_session, ApplyError, ApplyOutcome, ProfileView,
    SessionConflict, SessionView, PROFILE_KEYS, SESSION_KEYS,
};
pub use diff::unified_diff;
pub use edit::{Change, MANAGED_MARKER};
pub use lint::{lint, Finding, FindingKind};
pub use tree::{ConfigFile, ConfigParseError, SectionId};

#[cfg(test)]
mod tests;
