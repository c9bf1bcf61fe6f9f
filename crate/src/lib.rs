//! SSO Bridge core: everything SSO Bridge knows about IAM Identity Center and about the AWS files,
//! as pure Rust with no I/O. The extension runs it as WebAssembly (through `ssobridge-wasm`), the
//! native host links it directly, and both share the protocol types defined here.
//!
//! Three concerns, three folders: [`aws`] talks to AWS, [`session`] decides what happens to a
//! portal in the browser and what a sync writes, [`files`] knows the bytes of `~/.aws`. Beside
//! them: the error type, secrets, the field validators and the native-messaging protocol.

/// The version of this crate, reported by the extension and the native host.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

pub mod aws;
pub mod error;
pub mod error_codes;
pub mod fields;
pub mod files;
pub mod protocol;
pub mod secret;
pub mod session;

// The modules by their short names, as callers (the host, the wasm layer, the tests) name them.
#[cfg(test)]
use aws::fake_platform;
pub use aws::{endpoints, http, listing, login, oidc, portal, ratelimit, regions, sso_session};
pub use files::{config, names, naming, targets, token_cache};
pub use session::{install_hint, lifecycle, picker, plan, remember, setup};
