//! Errors in the three wire shapes AWS uses: OIDC (OAuth body + namespaced `x-amzn-ErrorType`),
//! the portal (`{"message"}` + bare `x-amzn-ErrorType`) and STS (query-protocol XML).
//!
//! botocore classifies rest-json errors by the `x-amzn-ErrorType` header only, so every JSON
//! error sets it.

use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

const OIDC_NAMESPACE: &str = "http://internal.amazon.com/coral/com.amazonaws.sso.oidc/";

/// An SSO OIDC error (aws-sso-interop.md §1.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {description}")]
pub struct OidcError {
    pub kind: OidcErrorKind,
    pub description: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidcErrorKind {
    AuthorizationPending,
    SlowDown,
    ExpiredToken,
    AccessDenied,
    InvalidGrant,
    InvalidClient,
    UnauthorizedClient,
    UnsupportedGrantType,
    InvalidScope,
    InvalidRequest,
    InvalidClientMetadata,
    InvalidRedirectUri,
    InternalServer,
}

impl OidcErrorKind {
    fn parts(self) -> (StatusCode, &'static str, &'static str) {
        use OidcErrorKind::*;
        match self {
            AuthorizationPending => (StatusCode::BAD_REQUEST, "AuthorizationPendingException", "authorization_pending"),
            SlowDown => (StatusCode::BAD_REQUEST, "SlowDownException", "slow_down"),
            ExpiredToken => (StatusCode::BAD_REQUEST, "ExpiredTokenException", "expired_token"),
            AccessDenied => (StatusCode::BAD_REQUEST, "AccessDeniedException", "access_denied"),
            InvalidGrant => (StatusCode::BAD_REQUEST, "InvalidGrantException", "invalid_grant"),
            InvalidClient => (StatusCode::UNAUTHORIZED, "InvalidClientException", "invalid_client"),
            UnauthorizedClient => (StatusCode::BAD_REQUEST, "UnauthorizedClientException", "unauthorized_client"),
            UnsupportedGrantType => {
                (StatusCode::BAD_REQUEST, "UnsupportedGrantTypeException", "unsupported_grant_type")
            }
            InvalidScope => (StatusCode::BAD_REQUEST, "InvalidScopeException", "invalid_scope"),
            InvalidRequest => (StatusCode::BAD_REQUEST, "InvalidRequestException", "invalid_request"),
            InvalidClientMetadata => {
                (StatusCode::BAD_REQUEST, "InvalidClientMetadataException", "invalid_client_metadata")
            }
            InvalidRedirectUri => (StatusCode::BAD_REQUEST, "InvalidRedirectUriException", "invalid_redirect_uri"),
            InternalServer => (StatusCode::INTERNAL_SERVER_ERROR, "InternalServerException", "server_error"),
        }
    }

    /// The exception name, e.g. `AuthorizationPendingException`.
    pub fn name(self) -> &'static str {
        self.parts().1
    }
}

impl OidcError {
    pub fn new(kind: OidcErrorKind, description: impl Into<String>) -> Self {
        OidcError { kind, description: description.into() }
    }
}

impl IntoResponse for OidcError {
    fn into_response(self) -> Response {
        let (status, name, code) = self.kind.parts();
        let body = serde_json::json!({ "error": code, "error_description": self.description });
        json_error(status, &format!("{name}:{OIDC_NAMESPACE}"), body)
    }
}

/// An SSO portal error (aws-sso-interop.md §3).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct PortalError {
    pub kind: PortalErrorKind,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalErrorKind {
    InvalidRequest,
    Unauthorized,
    /// Not in the botocore model (so it surfaces as a plain ClientError), but it is what the
    /// real service answers for a role the person is not assigned: "No access".
    Forbidden,
    ResourceNotFound,
    TooManyRequests,
    InternalServer,
}

impl PortalErrorKind {
    fn parts(self) -> (StatusCode, &'static str) {
        use PortalErrorKind::*;
        match self {
            InvalidRequest => (StatusCode::BAD_REQUEST, "InvalidRequestException"),
            Unauthorized => (StatusCode::UNAUTHORIZED, "UnauthorizedException"),
            Forbidden => (StatusCode::FORBIDDEN, "ForbiddenException"),
            ResourceNotFound => (StatusCode::NOT_FOUND, "ResourceNotFoundException"),
            TooManyRequests => (StatusCode::TOO_MANY_REQUESTS, "TooManyRequestsException"),
            InternalServer => (StatusCode::INTERNAL_SERVER_ERROR, "InternalServerException"),
        }
    }
}

impl PortalError {
    pub fn new(kind: PortalErrorKind, message: impl Into<String>) -> Self {
        PortalError { kind, message: message.into() }
    }

    pub fn unauthorized() -> Self {
        Self::new(PortalErrorKind::Unauthorized, "Session token not found or invalid")
    }
}

impl IntoResponse for PortalError {
    fn into_response(self) -> Response {
        let (status, name) = self.kind.parts();
        json_error(status, name, serde_json::json!({ "message": self.message }))
    }
}

fn json_error(status: StatusCode, error_type: &str, body: serde_json::Value) -> Response {
    let mut resp = (status, [("content-type", "application/json")], body.to_string()).into_response();
    if let Ok(v) = HeaderValue::from_str(error_type) {
        resp.headers_mut().insert("x-amzn-ErrorType", v);
    }
    resp
}

/// An STS error in the query protocol's XML shape.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct StsError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: &'static str,
}

impl StsError {
    pub fn invalid_client_token_id() -> Self {
        StsError {
            status: StatusCode::FORBIDDEN,
            code: "InvalidClientTokenId",
            message: "The security token included in the request is invalid.",
        }
    }
    pub fn expired_token() -> Self {
        StsError {
            status: StatusCode::BAD_REQUEST,
            code: "ExpiredToken",
            message: "The security token included in the request is expired",
        }
    }
    pub fn missing_authentication() -> Self {
        StsError {
            status: StatusCode::FORBIDDEN,
            code: "MissingAuthenticationToken",
            message: "Request is missing Authentication Token",
        }
    }
    pub fn invalid_action() -> Self {
        StsError {
            status: StatusCode::BAD_REQUEST,
            code: "InvalidAction",
            message: "Could not find operation for this emulator (only GetCallerIdentity is emulated)",
        }
    }
}

impl IntoResponse for StsError {
    fn into_response(self) -> Response {
        let body = format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    \
             <Type>Sender</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  \
             <RequestId>{}</RequestId>\n</ErrorResponse>\n",
            self.code,
            self.message,
            crate::state::request_id()
        );
        (self.status, [("content-type", "text/xml")], body).into_response()
    }
}
