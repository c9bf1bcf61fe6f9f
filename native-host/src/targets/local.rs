//! Files on a disk this process sees: the local `~/.aws`, a folder target, a WSL distribution
//! through `\\wsl.localhost`. All of [`crate::safe_write`]'s care applies.

use std::path::{Path, PathBuf};

use super::Files;
use crate::error::HostError;
use crate::safe_write::{self, FileLock, Mode};

pub struct LocalFiles;

impl Files for LocalFiles {
    fn resolve(&self, path: &Path) -> PathBuf {
        safe_write::resolve(path)
    }

    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, HostError> {
        safe_write::read_optional(path).map_err(HostError::io("read", path))
    }

    fn read_regular(&self, path: &Path, max: u64) -> Result<Option<Vec<u8>>, HostError> {
        safe_write::read_regular(path, max).map_err(HostError::io("read", path))
    }

    fn replace(&self, path: &Path, expected: Option<&[u8]>, bytes: &[u8], mode: Mode) -> Result<bool, HostError> {
        // Under the lock only a program that ignores it (an editor, the AWS CLI) can write
        // meanwhile; the caller then re-applies its edit on what is there now.
        if self.read(path)?.as_deref() != expected {
            return Ok(false);
        }
        safe_write::write_atomic(path, bytes, mode).map_err(HostError::io("write", path))?;
        Ok(true)
    }

    fn write(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<(), HostError> {
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        safe_write::ensure_private_dir(dir).map_err(HostError::io("create", dir))?;
        safe_write::write_atomic(path, bytes, mode).map_err(HostError::io("write", path))
    }

    fn exists(&self, path: &Path) -> Result<bool, HostError> {
        Ok(std::fs::symlink_metadata(path).is_ok())
    }

    fn tidy(&self, dir: &Path) {
        safe_write::remove_stale_temps(dir);
    }

    fn remove(&self, path: &Path) -> Result<bool, HostError> {
        match std::fs::remove_file(path) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(HostError::Io { what: "remove", path: path.to_path_buf(), source: e }),
        }
    }

    fn lock(&self, config: &Path) -> Result<Option<FileLock>, HostError> {
        lock_config(config).map(Some)
    }
}

/// Takes the config lock (creating the `.aws` folder 0700 if needed) and removes stale temp files.
pub fn lock_config(config: &Path) -> Result<FileLock, HostError> {
    let target = safe_write::resolve(config);
    let dir = target.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    safe_write::ensure_private_dir(dir).map_err(HostError::io("create", dir))?;
    let lock = FileLock::acquire(&target).map_err(HostError::io("lock", &target))?;
    safe_write::remove_stale_temps(dir);
    Ok(lock)
}
