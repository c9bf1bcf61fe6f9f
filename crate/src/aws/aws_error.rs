//! AWS error responses as [`Error`]s: the wire side of the error type, kept here so `error.rs`
//! knows nothing about HTTP (and `http` can depend on `error` without a cycle).

use crate::error::Error;
use crate::http::HttpResponse;

impl Error {
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
