//! Read-modify-write of `~/.aws/config` under the lock, with a backup of the previous content
//! and a re-read before the rename so an edit made meanwhile (a person's editor, the AWS CLI)
//! is re-applied on, not clobbered.

use std::path::{Path, PathBuf};

use ssobridge_core::config::ConfigFile;

use crate::error::HostError;
use crate::safe_write::Mode;
use crate::targets::{Files, LocalFiles};

/// How many times an edit is re-applied when the file changes under us.
const MAX_ATTEMPTS: usize = 5;

/// Outcome of [`update_config`].
#[derive(Debug)]
pub struct Update<T> {
    pub value: T,
    pub old: String,
    pub new: String,
    /// Where the previous content was kept (set only when something was written over a file).
    pub backup: Option<PathBuf>,
    /// The file it edited (a symlinked config resolved).
    pub target: PathBuf,
    /// Whether the file was written.
    pub written: bool,
}

/// `config` → `config.sso-bridge.bak` (one rolling backup, the content before our last write).
pub fn backup_path(target: &Path) -> PathBuf {
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("config");
    target.with_file_name(format!("{name}.sso-bridge.bak"))
}

/// `config` → `config.sso-bridge.undo`: the content before the last `applyProfiles` that
/// changed the file, kept apart from the rolling backup (which `saveToken` also rewrites).
pub fn undo_path(target: &Path) -> PathBuf {
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("config");
    target.with_file_name(format!("{name}.sso-bridge.undo"))
}

/// Reads and parses the config (a missing file is empty).
pub fn read_config(path: &Path) -> Result<(Option<Vec<u8>>, ConfigFile), HostError> {
    read_config_in(&LocalFiles, path)
}

/// [`read_config`] from any place that holds AWS files.
pub fn read_config_in(files: &dyn Files, path: &Path) -> Result<(Option<Vec<u8>>, ConfigFile), HostError> {
    let bytes = files.read(path)?;
    let file = match &bytes {
        Some(b) => {
            ConfigFile::parse_bytes(b).map_err(|source| HostError::ConfigParse { path: path.to_path_buf(), source })?
        }
        None => ConfigFile::empty(),
    };
    Ok((bytes, file))
}

/// Applies `edit` to the config. With `dry_run` nothing is locked or written. The caller must
/// hold the lock from [`lock_config`] otherwise.
pub fn update_config<T>(
    path: &Path,
    dry_run: bool,
    edit: impl FnMut(&mut ConfigFile) -> Result<T, HostError>,
) -> Result<Update<T>, HostError> {
    update_config_in(&LocalFiles, path, dry_run, edit)
}

/// [`update_config`] in any place that holds AWS files (a sync target): the same edit, the same
/// backup, the same check that nobody wrote the file between our read and our write.
pub fn update_config_in<T>(
    files: &dyn Files,
    path: &Path,
    dry_run: bool,
    mut edit: impl FnMut(&mut ConfigFile) -> Result<T, HostError>,
) -> Result<Update<T>, HostError> {
    let target = files.resolve(path);
    for _ in 0..MAX_ATTEMPTS {
        let (bytes, mut file) = read_config_in(files, &target)?;
        let old = file.to_string();
        let value = edit(&mut file)?;
        let new = file.to_string();
        if dry_run || new == old {
            return Ok(Update { value, old, new, backup: None, target, written: false });
        }
        let backup = match &bytes {
            Some(previous) => {
                let backup = backup_path(&target);
                files.write(&backup, previous, Mode::Always0600)?;
                Some(backup)
            }
            None => None,
        };
        if !files.replace(&target, bytes.as_deref(), new.as_bytes(), Mode::KeepOr0600)? {
            // Someone wrote the file since we read it: start over from what is there now.
            tracing::info!(path = %target.display(), "config changed while editing; re-applying");
            continue;
        }
        return Ok(Update { value, old, new, backup, target, written: true });
    }
    Err(HostError::Conflict { path: target })
}

pub use crate::targets::lock_config;

#[cfg(test)]
mod tests {
    use super::*;
    use ssobridge_core::config::{upsert_session, SectionId};

    #[test]
    fn an_edit_made_meanwhile_is_re_applied_not_clobbered() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "[default]\nregion = eu-west-1\n").unwrap();
        let _lock = lock_config(&path).unwrap();
        let mut calls = 0;
        let update = update_config(&path, false, |file| {
            calls += 1;
            if calls == 1 {
                // A person's editor saves while we compute our edit.
                std::fs::write(&path, "[default]\nregion = eu-west-1\n[profile theirs]\nregion = us-east-1\n").unwrap();
            }
            Ok(upsert_session(file, "corp", "https://d-1.awsapps.com/start", "us-east-1", &[]))
        })
        .unwrap();
        assert_eq!(calls, 2);
        let text = std::fs::read_to_string(&path).unwrap();
        let file = ConfigFile::parse(&text).unwrap();
        assert!(file.contains(&SectionId::Profile("theirs".into())), "{text}");
        assert!(file.contains(&SectionId::SsoSession("corp".into())), "{text}");
        assert_eq!(
            std::fs::read_to_string(update.backup.unwrap()).unwrap(),
            "[default]\nregion = eu-west-1\n[profile theirs]\nregion = us-east-1\n"
        );
    }

    #[test]
    fn a_file_that_never_settles_is_a_conflict_and_nothing_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        std::fs::write(&path, "[a]\n").unwrap();
        let mut n = 0;
        let err = update_config(&path, false, |file| {
            n += 1;
            std::fs::write(&path, format!("[a]\nk = {n}\n")).unwrap();
            Ok(upsert_session(file, "s", "https://x.example", "us-east-1", &[]))
        })
        .unwrap_err();
        assert!(matches!(err, HostError::Conflict { .. }), "{err}");
        assert!(!std::fs::read_to_string(&path).unwrap().contains("sso-session"));
    }

    #[test]
    fn dry_run_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        let update =
            update_config(&path, true, |file| Ok(upsert_session(file, "s", "https://x.example", "us-east-1", &[])))
                .unwrap();
        assert!(update.new.contains("[sso-session s]"));
        assert!(!path.exists());
    }
}
