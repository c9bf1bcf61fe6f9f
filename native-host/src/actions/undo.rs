//! `undo`: put back the config as it was before an `applyProfiles`, but only while the file is
//! still byte for byte what that apply wrote; anything else (an editor, `saveToken`, a later
//! apply) makes the undo unavailable and changes nothing.

use ssobridge_core::protocol::{sha256_hex, UndoParams, UndoResult, UndoToken};

use super::apply_profiles::review_diff;
use super::Context;
use crate::error::HostError;
use crate::safe_write::{self, Mode};
use crate::store;

pub fn run(ctx: &Context, p: &UndoParams) -> Result<UndoResult, HostError> {
    // Validation already checked the shape; a token that still does not parse is unavailable.
    let token = UndoToken::parse(&p.undo_token).ok_or(HostError::UndoUnavailable("the token is not an undo token"))?;
    let path = &ctx.paths.config_file;
    let _lock = store::lock_config(path)?;
    let target = safe_write::resolve(path);
    let undo = store::undo_path(&target);
    let previous = safe_write::read_optional(&undo).map_err(HostError::io("read", &undo))?;
    let Some(previous) = previous.filter(|bytes| sha256_hex(bytes) == token.previous) else {
        return Err(HostError::UndoUnavailable("that apply was already undone or a later apply replaced it"));
    };
    let current = safe_write::read_optional(&target).map_err(HostError::io("read", &target))?.unwrap_or_default();
    if sha256_hex(&current) != token.written {
        return Err(HostError::UndoUnavailable("the config changed since that apply"));
    }
    let backup = store::backup_path(&target);
    safe_write::write_atomic(&backup, &current, Mode::Always0600).map_err(HostError::io("write", &backup))?;
    safe_write::write_atomic(&target, &previous, Mode::KeepOr0600).map_err(HostError::io("write", &target))?;
    // One undo per apply: the kept copy has served.
    let _ = std::fs::remove_file(&undo);
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("config");
    let diff = review_diff(&String::from_utf8_lossy(&current), &String::from_utf8_lossy(&previous), name);
    tracing::info!("apply undone");
    Ok(UndoResult { restored: true, diff })
}
