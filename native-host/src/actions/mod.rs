//! One module per protocol action; `dispatch` runs a decoded, validated request.

mod apply_profiles;
mod discover_targets;
mod hello;
mod logout;
mod remove_session;
mod role_cache;
mod save_token;
mod status;
mod undo;

use serde_json::Value;
use ssobridge_core::protocol::{validate::validate_action, Action};

use crate::error::HostError;
use crate::paths::AwsPaths;

/// What actions need from the outside world.
pub struct Context {
    pub paths: AwsPaths,
    /// Seconds since the Unix epoch.
    pub now: fn() -> i64,
}

impl Context {
    pub fn from_env() -> Result<Self, HostError> {
        Ok(Context { paths: AwsPaths::from_env()?, now: system_now })
    }
}

pub fn system_now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
}

/// Validates, then runs the action; returns its `result` object.
pub fn dispatch(ctx: &Context, action: &Action) -> Result<Value, HostError> {
    validate_action(action)?;
    let encode = |r: Result<Value, serde_json::Error>| {
        r.map_err(|e| HostError::Io { what: "encode", path: "result".into(), source: std::io::Error::other(e) })
    };
    match action {
        Action::Hello(_) => encode(serde_json::to_value(hello::run(ctx))),
        Action::SaveToken(p) => encode(serde_json::to_value(save_token::run(ctx, p)?)),
        Action::ApplyProfiles(p) => encode(serde_json::to_value(apply_profiles::run(ctx, p)?)),
        Action::Status(_) => encode(serde_json::to_value(status::run(ctx)?)),
        Action::Logout(p) => encode(serde_json::to_value(logout::run(ctx, p)?)),
        Action::Undo(p) => encode(serde_json::to_value(undo::run(ctx, p)?)),
        Action::RemoveSession(p) => encode(serde_json::to_value(remove_session::run(ctx, p)?)),
        Action::DiscoverTargets(_) => encode(serde_json::to_value(discover_targets::run())),
    }
}

/// Paths go to the extension as strings (lossy only for non-UTF-8 paths).
fn path_string(path: &std::path::Path) -> String {
    path.to_string_lossy().into_owned()
}
