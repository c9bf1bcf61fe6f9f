//! `applyProfiles`: upsert our profiles for a session, optionally prune, optionally dry-run.

use ssobridge_core::config::{apply_profiles, unified_diff};
use ssobridge_core::protocol::{ApplyProfilesParams, ApplyProfilesResult};

use super::{path_string, Context};
use crate::error::HostError;
use crate::store;

/// A diff longer than this is cut so the reply stays under the 1 MiB message limit.
const MAX_DIFF_LEN: usize = 512 * 1024;

/// Time after which the diff algorithm stops looking for the minimal diff.
const DIFF_TIME_BUDGET: std::time::Duration = std::time::Duration::from_millis(50);

pub fn run(ctx: &Context, p: &ApplyProfilesParams) -> Result<ApplyProfilesResult, HostError> {
    let path = &ctx.paths.config_file;
    let _lock = if p.dry_run { None } else { Some(store::lock_config(path)?) };
    let update =
        store::update_config(path, p.dry_run, |file| Ok(apply_profiles(file, &p.session_name, &p.profiles, p.prune)?))?;
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("config");
    let diff = p.dry_run.then(|| review_diff(&update.old, &update.new, name));
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
    })
}

/// The diff a person reviews before applying: bounded in time (it stays correct, only less
/// minimal) and in size, so the reply stays under the 1 MiB message limit.
fn review_diff(old: &str, new: &str, name: &str) -> String {
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
