//! The one error type of the login flows and the listing, with a stable code per variant.
//!
//! `code()` is what the extension branches on and shows translated text for; the codes are
//! append-only. Messages never carry secrets: tokens, client secrets, device codes and verifiers
//! live in [`crate::secret::Secret`] and are never formatted into an error.

use crate::http::HttpResponse;

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

    /// Classifies a non-2xx AWS response.
    ///
    /// The error type comes from `x-amzn-ErrorType` (text before the first `:`, after the last
    /// `#`), as botocore reads it; without the header from the body's `__type`, `code`/`Code`, then
    /// the OAuth `error` field. The HTTP status decides when no type is recognised.
    pub fn from_response(response: &HttpResponse) -> Self {
        let body: ErrorBody = serde_json::from_str(&response.body).unwrap_or_default();
        let kind = response
            .header("x-amzn-errortype")
            .map(str::to_string)
            .or(body.type_)
            .or(body.code)
            .or(body.code_upper)
            .or(body.error)
            .map(|raw| short_error_type(&raw).to_string())
            .unwrap_or_default();
        let message = body.error_description.or(body.message).or(body.message_upper).unwrap_or_default();
        let message = truncate(&message, 300);
        let status = response.status;
        match kind.as_str() {
            "AuthorizationPendingException" | "authorization_pending" => Error::AuthorizationPending,
            "SlowDownException" | "slow_down" => Error::SlowDown,
            "ExpiredTokenException" | "expired_token" => Error::ExpiredToken,
            "AccessDeniedException" | "access_denied" => Error::AccessDenied(message),
            "InvalidGrantException" | "invalid_grant" => Error::InvalidGrant(message),
            "InvalidClientException" | "invalid_client" | "UnauthorizedClientException" | "unauthorized_client" => {
                Error::InvalidClient(message)
            }
            "UnauthorizedException" => Error::Unauthorized(message),
            "TooManyRequestsException" | "ThrottlingException" => Error::Throttled,
            "InternalServerException" | "server_error" => Error::ServerError { status, message },
            _ if status == 429 => Error::Throttled,
            _ if status >= 500 => Error::ServerError { status, message },
            _ if status == 401 => Error::Unauthorized(message),
            "" => Error::Service { status, kind: format!("HTTP {status}"), message },
            _ => Error::Service { status, kind, message },
        }
    }
}

/// The fields an AWS or OAuth error body may carry. Other fields are ignored; a body that is not
/// JSON, or has a non-string in one of these, reads as empty (the header and status still count).
#[derive(Default, serde::Deserialize)]
struct ErrorBody {
    #[serde(rename = "__type")]
    type_: Option<String>,
    code: Option<String>,
    #[serde(rename = "Code")]
    code_upper: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
    message: Option<String>,
    #[serde(rename = "Message")]
    message_upper: Option<String>,
}

/// `TooManyRequestsException:http://internal...` or `aws.protocols#Foo` → the bare name.
fn short_error_type(raw: &str) -> &str {
    let before_colon = raw.split(':').next().unwrap_or(raw);
    before_colon.rsplit('#').next().unwrap_or(before_colon).trim()
}

fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resp(status: u16, header: Option<&str>, body: &str) -> HttpResponse {
        let headers = header.map(|h| vec![("X-Amzn-ErrorType".to_string(), h.to_string())]).unwrap_or_default();
        HttpResponse { status, headers, body: body.to_string() }
    }

    #[test]
    fn classifies_recorded_oidc_errors() {
        // Captured in aws/aws-cli#5878 and #8561 (see reference/aws-sso-interop.md §1.2).
        let pending = resp(
            400,
            Some("AuthorizationPendingException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"),
            r#"{"error":"authorization_pending","error_description":"Authorization is still pending"}"#,
        );
        assert_eq!(Error::from_response(&pending), Error::AuthorizationPending);
        let grant = resp(
            400,
            Some("InvalidGrantException:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"),
            r#"{"error":"invalid_grant","error_description":"Invalid refresh token provided"}"#,
        );
        assert_eq!(Error::from_response(&grant), Error::InvalidGrant("Invalid refresh token provided".into()));
    }

    #[test]
    fn falls_back_to_body_then_status() {
        assert_eq!(
            Error::from_response(&resp(400, None, r#"{"__type":"com.amazon#SlowDownException"}"#)),
            Error::SlowDown
        );
        assert_eq!(Error::from_response(&resp(400, None, r#"{"error":"expired_token"}"#)), Error::ExpiredToken);
        assert_eq!(Error::from_response(&resp(429, None, "")), Error::Throttled);
        assert_eq!(
            Error::from_response(&resp(
                401,
                Some("UnauthorizedException"),
                r#"{"message":"Session token not found or invalid"}"#
            )),
            Error::Unauthorized("Session token not found or invalid".into())
        );
        assert_eq!(Error::from_response(&resp(503, None, "<html>")).code(), "server_error");
        let other = Error::from_response(&resp(404, Some("ResourceNotFoundException"), r#"{"message":"nope"}"#));
        assert_eq!(other.code(), "service_error");
        assert_eq!(other.to_string(), "ResourceNotFoundException (HTTP 404): nope");
    }
}
