//! What the editor and the safety code need from a place that holds AWS files: read, replace
//! only if unchanged, write, remove, lock. The local `~/.aws` and every sync target implement
//! it, so a target is edited by exactly the code that edits the local config.

use std::path::{Path, PathBuf};

use crate::error::HostError;
use crate::safe_write::{FileLock, Mode};

pub trait Files {
    /// The file a path really names (a symlinked local config is written through).
    fn resolve(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }

    /// The file's bytes; `None` when it does not exist.
    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, HostError>;

    /// A small regular file (not a link, a FIFO or a directory), up to `max` bytes; `None`
    /// when it is missing or is something else. For the CLI's role-credential cache.
    fn read_regular(&self, path: &Path, max: u64) -> Result<Option<Vec<u8>>, HostError>;

    /// Replaces the file with `bytes` atomically if it still holds `expected` (`None`: still
    /// absent). `Ok(false)` when it changed and nothing was written; a place that cannot
    /// re-apply (a remote host) fails with [`HostError::RemoteChanged`] instead.
    fn replace(&self, path: &Path, expected: Option<&[u8]>, bytes: &[u8], mode: Mode) -> Result<bool, HostError>;

    /// Replaces the file with `bytes` atomically, creating its directory (0700) if needed.
    fn write(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<(), HostError>;

    /// Whether there is a file (or a link) at `path`.
    fn exists(&self, path: &Path) -> Result<bool, HostError>;

    /// Removes the file; `Ok(true)` when there was one.
    fn remove(&self, path: &Path) -> Result<bool, HostError>;

    /// Serialises read-modify-write cycles on `config` with other SSO Bridge hosts (held until
    /// dropped). A place without locks relies on [`Files::replace`]'s check alone.
    fn lock(&self, config: &Path) -> Result<Option<FileLock>, HostError>;

    /// Removes temp files a killed host left in `dir`. Call only while holding the lock.
    fn tidy(&self, _dir: &Path) {}
}
