//! SSO Bridge core: everything SSO Bridge knows about IAM Identity Center and about the AWS files,
//! as pure Rust with no I/O. The extension runs it as WebAssembly (through `ssobridge-wasm`), the
//! native host links it directly, and both share the protocol types defined here.

/// The version of this crate, reported by the extension and the native host.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod config;
pub mod endpoints;
pub mod error;
#[cfg(test)]
mod fake_platform;
pub mod fields;
pub mod http;
pub mod lifecycle;
pub mod listing;
pub mod login;
pub mod names;
pub mod naming;
pub mod oidc;
pub mod plan;
pub mod portal;
pub mod protocol;
pub mod ratelimit;
pub mod regions;
pub mod secret;
pub mod setup;
pub mod token_cache;
