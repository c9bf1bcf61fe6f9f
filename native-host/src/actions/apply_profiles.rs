//! `applyProfiles`: upsert our profiles for a session, remove the ones named, optionally prune,
//! optionally dry-run. A real apply that changes the file keeps the previous content for `undo`.

use ssobridge_core::config::{apply_request, unified_diff, ApplyOutcome};
use ssobridge_core::protocol::{ApplyProfilesParams, ApplyProfilesResult, UndoToken};

use super::{path_string, Context};
use crate::error::HostError;
use crate::paths::AwsPaths;
use crate::safe_write::{self, Mode};
use crate::store::{self, Update};
use crate::targets::{self, Files, LocalFiles};

/// A diff longer than this is cut so the reply stays under the 1 MiB message limit.
const MAX_DIFF_LEN: usize = 512 * 1024;

/// Time after which the diff algorithm stops looking for the minimal diff.
const DIFF_TIME_BUDGET: std::time::Duration = std::time::Duration::from_millis(50);

pub fn run(ctx: &Context, p: &ApplyProfilesParams) -> Result<ApplyProfilesResult, HostError> {
    let mut result = local(ctx, p)?;
    if !p.dry_run {
        result.targets = targets::each(&p.targets, |files, paths| apply(files, paths, p).map(|_| ()));
    }
    Ok(result)
}

/// The request's edit in one place; a real apply must hold that place's lock.
fn apply(files: &dyn Files, paths: &AwsPaths, p: &ApplyProfilesParams) -> Result<Update<ApplyOutcome>, HostError> {
    store::update_config_in(files, &paths.config_file, p.dry_run, |file| Ok(apply_request(file, p)?))
}

fn local(ctx: &Context, p: &ApplyProfilesParams) -> Result<ApplyProfilesResult, HostError> {
    let path = &ctx.paths.config_file;
    let _lock = if p.dry_run { None } else { Some(store::lock_config(path)?) };
    let update = apply(&LocalFiles, &ctx.paths, p)?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config");
    let diff = p.dry_run.then(|| review_diff(&update.old, &update.new, name));
    // Only a write over an existing file can be undone (applyProfiles needs a session, so in
    // practice there always is one).
    let undo_token = match (&update.backup, update.written) {
        (Some(_), true) => {
            // The profiles are written by now; failing to keep the undo copy only means no undo.
            let undo = store::undo_path(&update.target);
            match safe_write::write_atomic(&undo, update.old.as_bytes(), Mode::Always0600) {
                Ok(()) => Some(UndoToken::new(update.new.as_bytes(), update.old.as_bytes()).encode()),
                Err(e) => {
                    tracing::warn!(file = %undo.display(), "cannot keep the undo copy: {e}");
                    None
                }
            }
        }
        _ => None,
    };
    let outcome = update.value;
    tracing::info!(session = %p.session_name, added = outcome.added.len(), updated = outcome.updated.len(),
                   removed = outcome.removed.len(), dry_run = p.dry_run, "profiles applied");
    Ok(ApplyProfilesResult {
        added: outcome.added,
        updated: outcome.updated,
        unchanged: outcome.unchanged,
        removed: outcome.removed,
        diff,
        backup_file: update.backup.as_deref().map(path_string),
        undo_token,
        targets: Vec::new(),
    })
}

/// The diff a person reviews before applying: bounded in time (it stays correct, only less
/// minimal) and in size, so the reply stays under the 1 MiB message limit.
pub(super) fn review_diff(old: &str, new: &str, name: &str) -> String {
    let deadline = std::time::Instant::now() + DIFF_TIME_BUDGET;
    let mut diff = unified_diff(old, new, name, Some(deadline));
    if diff.len() > MAX_DIFF_LEN {
        let mut cut = MAX_DIFF_LEN;
        while !diff.is_char_boundary(cut) {
            cut -= 1;
        }
        diff.truncate(cut);
        diff.push_str("\n… diff truncated\n");
    }
    diff
}
