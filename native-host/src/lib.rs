//! SSO Bridge native host: the only part of SSO Bridge that touches the disk. It serves the
//! native-messaging protocol v1 (see `PROTOCOL.md`) to the extension and, run by a person,
//! installs itself into the browsers and diagnoses `~/.aws`.
#![deny(clippy::print_stdout)]

pub mod actions;
pub mod caller;
pub mod doctor;
pub mod error;
pub mod framing;
pub mod install;
pub mod install_places;
pub mod install_policy;
pub mod install_self;
pub mod paths;
pub mod safe_write;
pub mod serve;
pub mod store;
pub mod targets;
