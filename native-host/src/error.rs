//! Everything an action can fail with, and how each maps to a protocol error code.

use std::io;
use std::path::{Path, PathBuf};

use ssobridge_core::config::{ApplyError, ConfigParseError};
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
    #[error("{path} kept changing while sso-bridge tried to update it; nothing was written")]
    Conflict { path: PathBuf },
    #[error("cannot {what} {path}: {source}")]
    Io { what: &'static str, path: PathBuf, source: io::Error },
    #[error("cannot find the home directory (HOME is not set)")]
    NoHome,
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
            HostError::Apply(ApplyError::SessionNotFound(_)) => {
                ErrorBody::new(ErrorCode::SessionNotFound, message).with_field("params.sessionName")
            }
            HostError::Apply(ApplyError::NotManaged { index, .. }) => {
                ErrorBody::new(ErrorCode::ProfileNotManaged, message)
                    .with_field(format!("params.profiles[{index}].name"))
            }
            HostError::Conflict { .. } => ErrorBody::new(ErrorCode::Conflict, message),
            HostError::Io { .. } | HostError::NoHome => ErrorBody::new(ErrorCode::IoError, message),
        }
    }
}
