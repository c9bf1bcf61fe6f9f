//! Everything an action can fail with, and how each maps to a protocol error code.

use std::io;
use std::path::{Path, PathBuf};

use ssobridge_core::config::{ApplyError, ConfigParseError, SessionConflict};
use ssobridge_core::protocol::validate::FieldError;
use ssobridge_core::protocol::{ErrorBody, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Field(#[from] FieldError),
    #[error("{path}: {source}")]
    ConfigParse { path: PathBuf, source: ConfigParseError },
    #[error("{0}")]
    Apply(#[from] ApplyError),
    #[error("{0}")]
    SessionConflict(#[from] SessionConflict),
    /// `undo` cannot run; the reason says why. Nothing was changed.
    #[error("nothing was undone: {0}")]
    UndoUnavailable(&'static str),
    #[error("{path} kept changing while sso-bridge tried to update it; nothing was written")]
    Conflict { path: PathBuf },
    #[error("cannot {what} {path}: {source}")]
    Io { what: &'static str, path: PathBuf, source: io::Error },
    #[error("cannot find the home directory (HOME is not set)")]
    NoHome,
    /// A sync target that does not answer (SSH) or is not there (WSL); the text says why.
    #[error("{0}")]
    Unreachable(String),
    /// An SSH target's file changed between our read and our write; nothing was written there.
    #[error("{path} changed on the remote host while sso-bridge was updating it; nothing was written there")]
    RemoteChanged { path: PathBuf },
}

impl HostError {
    pub fn io<'a>(what: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> HostError + 'a {
        move |source| HostError::Io { what, path: path.to_path_buf(), source }
    }

    /// The protocol error for this failure.
    pub fn to_body(&self) -> ErrorBody {
        let message = self.to_string();
        match self {
            HostError::Field(e) => ErrorBody::new(ErrorCode::InvalidField, message).with_field(e.field.clone()),
            HostError::ConfigParse { .. } => ErrorBody::new(ErrorCode::ConfigParseError, message),
            HostError::Apply(e) => {
                let code = match e {
                    ApplyError::SessionNotFound(_) => ErrorCode::SessionNotFound,
                    ApplyError::NotManaged { .. } | ApplyError::NoSuchProfile { .. } => ErrorCode::ProfileNotManaged,
                    ApplyError::OwnedByOtherSession { .. } => ErrorCode::ProfileOwnedByOtherSession,
                };
                ErrorBody::new(code, message).with_field(e.field())
            }
            HostError::SessionConflict(c) => ErrorBody::new(ErrorCode::SessionConflict, message).with_field(c.field),
            HostError::UndoUnavailable(_) => {
                ErrorBody::new(ErrorCode::UndoUnavailable, message).with_field("params.undoToken")
            }
            HostError::Conflict { .. } => ErrorBody::new(ErrorCode::Conflict, message),
            HostError::Io { .. } | HostError::NoHome => ErrorBody::new(ErrorCode::IoError, message),
            HostError::Unreachable(_) => ErrorBody::new(ErrorCode::TargetUnreachable, message),
            HostError::RemoteChanged { .. } => ErrorBody::new(ErrorCode::RemoteChanged, message),
        }
    }
}
