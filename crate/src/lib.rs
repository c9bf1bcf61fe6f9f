//! SSO Bridge core: everything SSO Bridge knows about IAM Identity Center and about the AWS files,
//! as pure Rust with no I/O. The extension runs it as WebAssembly (through `ssobridge-wasm`), the
//! native host links it directly, and both share the protocol types defined here.

/// The version of this crate, reported by the extension and the native host.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod names;
pub mod fields;
pub mod secret;
pub mod error;
pub mod http;
pub mod endpoints;
pub mod oidc;
pub mod login;
#[cfg(test)]
mod fake_platform;
pub mod protocol;
pub mod token_cache;
pub mod config;
pub mod ratelimit;
pub mod portal;
pub mod listing;
pub mod naming;
pub mod setup;
pub mod regions;
pub mod plan;
pub mod lifecycle;
