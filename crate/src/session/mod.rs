//! A portal's life in the browser and what it writes: setup (portals, settings), the lifecycle
//! decisions the service worker acts on, and the sync plan that says what an apply adds, keeps
//! and removes. Uses `aws` (listings, sessions) and `files` (names) and the protocol's types.

pub mod install_hint;
pub mod lifecycle;
pub mod picker;
pub mod plan;
pub mod remember;
pub mod setup;
