//! Writes that never leave a half-written file: temp file in the same directory, fsync, rename
//! over the target, fsync the directory. A crash leaves either the old or the new content (and
//! maybe a stale temp file, removed by the next write under the lock).

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

/// Prefix of our temp files, so stale ones can be recognised and removed.
pub const TEMP_MARK: &str = ".sso-bridge-tmp-";

/// File mode for the new file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Keep the existing file's permissions; 0600 for a new file (the config).
    KeepOr0600,
    /// Always 0600 (token files hold secrets, whatever mode the old file had).
    Always0600,
}

/// Replaces `path` with `bytes` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Mode) -> io::Result<()> {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("file");
    let temp =
        dir.join(format!(".{name}{TEMP_MARK}{}-{}", std::process::id(), COUNTER.fetch_add(1, Ordering::Relaxed)));
    let result = (|| {
        let mut file = create_private(&temp)?;
        file.write_all(bytes)?;
        if mode == Mode::KeepOr0600 {
            if let Ok(meta) = fs::metadata(path) {
                file.set_permissions(meta.permissions())?;
            }
        }
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)?;
        sync_dir(dir);
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}

/// Creates a new file readable only by its owner.
fn create_private(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Makes the rename durable (Unix; Windows has no directory handles for this).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// Creates `dir` and missing parents, each new one with mode 0700.
pub fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    if dir.is_dir() {
        return Ok(());
    }
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        ensure_private_dir(parent)?;
    }
    match fs::create_dir(dir) {
        Ok(()) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                fs::set_permissions(dir, fs::Permissions::from_mode(0o700))?;
            }
            Ok(())
        }
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Removes our temp files left in `dir` by a killed host. Call only while holding the lock.
pub fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        if entry.file_name().to_str().is_some_and(|n| n.starts_with('.') && n.contains(TEMP_MARK)) {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Reads a file, `None` if it does not exist. Anything but a regular file (a FIFO, a device)
/// is an error, found without blocking: the open never waits for a FIFO's writer.
pub fn read_optional(path: &Path) -> io::Result<Option<Vec<u8>>> {
    let file = match open_nonblocking(path, false) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Err(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file"));
    }
    read_all(file, u64::MAX).map(Some)
}

/// Reads a file that must be a regular file and not a symlink, up to `max` bytes; `None` when it
/// is missing or is something else (a FIFO, a link, a directory). Never blocks on the open.
pub fn read_regular(path: &Path, max: u64) -> io::Result<Option<Vec<u8>>> {
    let file = match open_nonblocking(path, true) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound || is_symlink_refusal(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    if !file.metadata()?.is_file() {
        return Ok(None);
    }
    read_all(file, max).map(Some)
}

fn read_all(file: File, max: u64) -> io::Result<Vec<u8>> {
    use std::io::Read;
    let mut bytes = Vec::new();
    file.take(max).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Opens for reading with `O_NONBLOCK` (a FIFO then opens at once instead of waiting for a
/// writer; regular files ignore the flag) and, with `no_follow`, `O_NOFOLLOW`.
fn open_nonblocking(path: &Path, no_follow: bool) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | if no_follow { libc::O_NOFOLLOW } else { 0 });
    }
    #[cfg(not(unix))]
    let _ = no_follow;
    options.open(path)
}

/// `O_NOFOLLOW` on a symlink fails with `ELOOP`.
fn is_symlink_refusal(e: &io::Error) -> bool {
    #[cfg(unix)]
    return e.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    {
        let _ = e;
        false
    }
}

/// The file a path really names: a symlinked `~/.aws/config` (dotfile repositories) is
/// written through, not replaced by a regular file.
pub fn resolve(path: &Path) -> PathBuf {
    match fs::symlink_metadata(path) {
        Ok(meta) if meta.file_type().is_symlink() => fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf()),
        _ => path.to_path_buf(),
    }
}

/// An exclusive lock on `<file>.sso-bridge.lock`, held until dropped, so two hosts (two
/// browsers) never interleave read-modify-write cycles. The lock file stays (empty) on disk.
pub struct FileLock {
    _file: File,
}

impl FileLock {
    pub fn lock_path(target: &Path) -> PathBuf {
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("file");
        target.with_file_name(format!("{name}.sso-bridge.lock"))
    }

    /// Blocks until the lock is ours. The lock file is never followed through a symlink (one
    /// planted there would make us create or open a file elsewhere) and must be a regular file;
    /// the open itself never blocks (`O_NONBLOCK`, in case a FIFO was planted).
    pub fn acquire(target: &Path) -> io::Result<FileLock> {
        let path = Self::lock_path(target);
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600).custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let refused = |what: &str| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("{} {what}; refusing to use it as the lock", path.display()),
            )
        };
        let file =
            options.open(&path).map_err(|e| if is_symlink_refusal(&e) { refused("is a symbolic link") } else { e })?;
        if !file.metadata()?.is_file() {
            return Err(refused("is not a regular file"));
        }
        file.lock()?;
        Ok(FileLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn atomic_write_creates_0600_and_keeps_an_existing_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config");
        write_atomic(&path, b"a", Mode::KeepOr0600).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"a");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
            fs::set_permissions(&path, fs::Permissions::from_mode(0o640)).unwrap();
            write_atomic(&path, b"b", Mode::KeepOr0600).unwrap();
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o640);
            write_atomic(&path, b"c", Mode::Always0600).unwrap();
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names.len(), 1, "no temp file left: {names:?}");
    }

    #[cfg(unix)]
    #[test]
    fn writes_through_a_symlink() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("dotfiles-config");
        fs::write(&real, "old").unwrap();
        let link = dir.path().join("config");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let target = resolve(&link);
        write_atomic(&target, b"new", Mode::KeepOr0600).unwrap();
        assert!(fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn private_dirs_and_stale_temps() {
        let dir = tempfile::tempdir().unwrap();
        let deep = dir.path().join("a/b/c");
        ensure_private_dir(&deep).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&deep).unwrap().permissions().mode() & 0o777, 0o700);
        }
        fs::write(deep.join(format!(".config{TEMP_MARK}1-0")), "x").unwrap();
        fs::write(deep.join("config"), "y").unwrap();
        remove_stale_temps(&deep);
        assert_eq!(fs::read_dir(&deep).unwrap().count(), 1);
    }
}
