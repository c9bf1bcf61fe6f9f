//! The AWS files: the lossless `~/.aws/config` editor, the SSO token cache record, the names
//! that may go into the config and the profile-name templates. No I/O: the native host reads and
//! writes, this decides the bytes.

pub mod config;
pub mod names;
pub mod naming;
pub mod targets;
pub mod token_cache;
