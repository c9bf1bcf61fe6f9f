//! Talking to AWS: HTTP through the platform, the OIDC and portal APIs, their endpoints and
//! regions, the adaptive rate limit, the account listing and the login flows. Depends on `error`
//! and `secret`; knows nothing of the browser or the files.

pub mod aws_error;
pub mod endpoints;
#[cfg(test)]
pub(crate) mod fake_platform;
pub mod http;
pub mod listing;
pub mod login;
pub mod oidc;
pub mod portal;
pub mod ratelimit;
pub mod regions;
pub mod sso_session;
