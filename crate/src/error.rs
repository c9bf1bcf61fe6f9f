//! The one error type of the login flows and the listing, with a stable code per variant.
//!
//! `code()` is what the extension branches on and shows translated text for; the codes are
//! append-only. Messages never carry secrets: tokens, client secrets, device codes and verifiers
//! live in [`crate::secret::Secret`] and are never formatted into an error.

/// Everything a login, a refresh or a listing can fail with.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// The person has not approved the device code yet. Internal: the poll loop consumes it.
    #[error("authorization is still pending")]
    AuthorizationPending,
    /// The service asked the poll loop to slow down. Internal: the poll loop consumes it.
    #[error("the service asked to poll more slowly")]
    SlowDown,
    #[error("the login expired before it was approved")]
    ExpiredToken,
    #[error("the login was denied{}", suffix(.0))]
    AccessDenied(String),
    #[error("the login was cancelled")]
    Cancelled,
    #[error("the grant was rejected{}", suffix(.0))]
    InvalidGrant(String),
    #[error("the client registration was rejected{}", suffix(.0))]
    InvalidClient(String),
    #[error("the client registration has expired")]
    RegistrationExpired,
    #[error("the token has no refresh token, so it cannot be refreshed")]
    NotRefreshable,
    #[error("the access token was not accepted; sign in again{}", suffix(.0))]
    Unauthorized(String),
    #[error("the service is throttling requests")]
    Throttled,
    #[error("network error: {0}")]
    Network(String),
    #[error("server error (HTTP {status}){}", suffix(.message))]
    ServerError { status: u16, message: String },
    /// An AWS error this crate has no variant for, with its error type as the service named it.
    #[error("{kind} (HTTP {status}){}", suffix(.message))]
    Service { status: u16, kind: String, message: String },
    #[error("unexpected response: {0}")]
    InvalidResponse(String),
    #[error("the callback does not belong to this login (state mismatch)")]
    StateMismatch,
    #[error("invalid region {0:?}")]
    InvalidRegion(String),
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: String, reason: String },
    /// The device page link from StartDeviceAuthorization is not on a host this login expects.
    #[error("the sign-in service sent a verification link to an unexpected site; it was not opened")]
    UntrustedVerificationUri,
}

fn suffix(message: &str) -> String {
    if message.is_empty() {
        String::new()
    } else {
        format!(": {message}")
    }
}

impl Error {
    /// The stable snake_case code of this error (append-only; the extension maps it to text).
    pub fn code(&self) -> &'static str {
        match self {
            Error::AuthorizationPending => "authorization_pending",
            Error::SlowDown => "slow_down",
            Error::ExpiredToken => "expired_token",
            Error::AccessDenied(_) => "access_denied",
            Error::Cancelled => "cancelled",
            Error::InvalidGrant(_) => "invalid_grant",
            Error::InvalidClient(_) => "invalid_client",
            Error::RegistrationExpired => "registration_expired",
            Error::NotRefreshable => "not_refreshable",
            Error::Unauthorized(_) => "unauthorized",
            Error::Throttled => "throttled",
            Error::Network(_) => "network",
            Error::ServerError { .. } => "server_error",
            Error::Service { .. } => "service_error",
            Error::InvalidResponse(_) => "invalid_response",
            Error::StateMismatch => "state_mismatch",
            Error::InvalidRegion(_) => "invalid_region",
            Error::InvalidInput { .. } => "invalid_input",
            Error::UntrustedVerificationUri => "untrusted_verification_uri",
        }
    }

    /// Worth retrying the same call later: throttling, 5xx and network failures.
    pub fn is_transient(&self) -> bool {
        matches!(self, Error::Throttled | Error::ServerError { .. } | Error::Network(_))
    }

    /// Rebuilds an error from its code and message (a `failed` login state stores only those).
    pub fn from_code(code: &str, message: &str) -> Self {
        let m = message.to_string();
        match code {
            "expired_token" => Error::ExpiredToken,
            "access_denied" => Error::AccessDenied(m),
            "cancelled" => Error::Cancelled,
            "invalid_grant" => Error::InvalidGrant(m),
            "invalid_client" => Error::InvalidClient(m),
            "registration_expired" => Error::RegistrationExpired,
            "not_refreshable" => Error::NotRefreshable,
            "unauthorized" => Error::Unauthorized(m),
            "throttled" => Error::Throttled,
            "network" => Error::Network(m),
            "server_error" => Error::ServerError { status: 500, message: m },
            "invalid_response" => Error::InvalidResponse(m),
            "state_mismatch" => Error::StateMismatch,
            "invalid_region" => Error::InvalidRegion(m),
            "invalid_input" => Error::InvalidInput { field: String::new(), reason: m },
            "untrusted_verification_uri" => Error::UntrustedVerificationUri,
            _ => Error::Service { status: 0, kind: code.to_string(), message: m },
        }
    }

    pub(crate) fn invalid_input(field: &str, reason: impl Into<String>) -> Self {
        Error::InvalidInput { field: field.to_string(), reason: reason.into() }
    }
}
