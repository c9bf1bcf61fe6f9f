//! An SSH host's `~/.aws`, reached with the system `ssh` in batch mode: the person's own keys,
//! agent and `~/.ssh/config`, never a password (there is nobody to type it). Files are read
//! with `cat`, edited here by the same editor as the local config, and written back by a small
//! `sh` script that writes a temp file in the same directory and renames it over the file only
//! if the file still hashes to what we read: otherwise it fails with `remote_changed` and the
//! remote change stays.
//!
//! The remote side must have a POSIX `sh` (Linux, macOS, BSD, a dev container); a Windows
//! OpenSSH server's `cmd` is not supported.
//!
//! Every remote command is `sh -c '<fixed script>' sso-bridge '<arg>'...`: the scripts are
//! constants and the arguments are our own relative paths and hashes, so nothing a person or a
//! page typed reaches the remote shell. The destination travels after `--`, validated so it can
//! never be an option.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use ssobridge_core::protocol::sha256_hex;

use super::Files;
use crate::error::HostError;
use crate::safe_write::{FileLock, Mode};

/// An `ssh_config` file to use instead of `~/.ssh/config` (`ssh -F`). For the tests, which run
/// their own `sshd`; a person's setup never needs it.
pub const CONFIG_ENV: &str = "SSOBRIDGE_SSH_CONFIG";

/// Exit statuses of the remote scripts (ssh's own failures are 255).
const EXIT_NO_HOME: i32 = 90;
const EXIT_NOT_REGULAR: i32 = 91;
const EXIT_MISSING: i32 = 92;
const EXIT_WRITE: i32 = 93;
const EXIT_CHANGED: i32 = 94;
const EXIT_LINK: i32 = 95;
const EXIT_SSH: i32 = 255;

/// `$1`: path relative to the remote HOME.
const READ: &str =
    r#"cd || exit 90; if [ -f "$1" ]; then exec cat -- "$1"; elif [ -e "$1" ]; then exit 91; else exit 92; fi"#;

/// `$1`: path; prints `yes` when the file (or a link) is there.
const EXISTS: &str = r#"cd || exit 90; if [ -e "$1" ] || [ -L "$1" ]; then echo yes; fi"#;

/// `$1`: path; `$2`: `-` (write whatever is there), `absent` or the SHA-256 the file must still
/// have; `$3`: `keep` (keep the file's mode) or `private` (0600). The new content is stdin.
/// umask 077 makes new directories 0700 and the temp file 0600. A symlinked file (a dotfiles
/// repository) is written through, as locally; where `readlink -f` is missing that fails (95)
/// rather than replace the link with a plain file.
const WRITE: &str = r#"cd || exit 90; umask 077; p="$1"; if [ -L "$p" ]; then p=$(readlink -f -- "$p") || exit 95; fi; d=$(dirname -- "$p"); mkdir -p -- "$d" || exit 93; t="$d/.$(basename -- "$p").sso-bridge-tmp-$$"; cat > "$t" || { rm -f -- "$t"; exit 93; }; if [ "$2" != - ]; then h=absent; if [ -e "$p" ]; then if command -v sha256sum >/dev/null 2>&1; then h=$(sha256sum < "$p"); else h=$(shasum -a 256 < "$p"); fi; h=${h%% *}; fi; if [ "$h" != "$2" ]; then rm -f -- "$t"; exit 94; fi; fi; if [ "$3" = keep ] && [ -f "$p" ]; then m=$(stat -c %a -- "$p" 2>/dev/null || stat -f %Lp -- "$p" 2>/dev/null) && chmod "$m" "$t"; fi; mv -f -- "$t" "$p" || { rm -f -- "$t"; exit 93; }"#;

/// `$1`: path; prints `removed` when there was a file.
const REMOVE: &str = r#"cd || exit 90; if [ -e "$1" ] || [ -L "$1" ]; then rm -f -- "$1" || exit 93; echo removed; fi"#;

pub struct SshFiles {
    destination: String,
}

impl SshFiles {
    /// `destination` must have passed `ssobridge_core::targets::ssh_destination`.
    pub fn new(destination: &str) -> Self {
        SshFiles { destination: destination.to_string() }
    }

    /// Where the files are: relative paths, from the remote HOME.
    pub fn aws_dir() -> PathBuf {
        PathBuf::from(".aws")
    }

    fn run(&self, script: &str, args: &[&str], stdin: Option<&[u8]>) -> Result<Output, HostError> {
        let mut remote = format!("sh -c '{script}' sso-bridge");
        for arg in args {
            // Our own paths and hashes; a quote would be a bug, not an input.
            debug_assert!(!arg.contains('\''));
            remote.push_str(&format!(" '{arg}'"));
        }
        let mut command = Command::new("ssh");
        if let Some(config) = std::env::var_os(CONFIG_ENV).filter(|v| !v.is_empty()) {
            command.arg("-F").arg(config);
        }
        command
            .args(["-T", "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "ServerAliveInterval=5"])
            .args(["-o", "ServerAliveCountMax=3", "-o", "ClearAllForwardings=yes", "-o", "RequestTTY=no"])
            .arg("--")
            .arg(&self.destination)
            .arg(remote)
            .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(windows)]
        {
            // No console window flashes up for each remote command (the host has no console).
            use std::os::windows::process::CommandExt;
            command.creation_flags(0x0800_0000);
        }
        let mut child = command.spawn().map_err(|e| HostError::Unreachable(format!("cannot run ssh: {e}")))?;
        if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
            // The remote may fail before reading; its status then says why, not this pipe.
            let _ = pipe.write_all(bytes);
        }
        let output = child.wait_with_output().map_err(|e| HostError::Unreachable(format!("ssh failed: {e}")))?;
        let stderr = String::from_utf8_lossy(&output.stderr);
        let reason =
            stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("").trim().chars().take(300).collect();
        Ok(Output { status: output.status.code().unwrap_or(EXIT_SSH), stdout: output.stdout, reason })
    }

    /// The failure an exit status stands for.
    fn failure(&self, output: Output, what: &'static str, path: &Path) -> HostError {
        let io = |reason: String| HostError::Io {
            what,
            path: path.to_path_buf(),
            source: std::io::Error::other(format!("on {}: {reason}", self.destination)),
        };
        match output.status {
            EXIT_SSH => HostError::Unreachable(format!("ssh {} failed: {}", self.destination, output.reason)),
            EXIT_CHANGED => HostError::RemoteChanged { path: path.to_path_buf() },
            EXIT_NO_HOME => io("no home directory".into()),
            EXIT_NOT_REGULAR => io("not a regular file".into()),
            EXIT_LINK => io("a symbolic link that `readlink -f` cannot resolve".into()),
            EXIT_WRITE => io(format!("cannot write there {}", output.reason)),
            status => io(format!("exit status {status} {}", output.reason)),
        }
    }
}

struct Output {
    status: i32,
    stdout: Vec<u8>,
    reason: String,
}

fn arg(path: &Path) -> String {
    // Remote paths are POSIX whatever this machine is.
    path.to_string_lossy().replace('\\', "/")
}

impl Files for SshFiles {
    fn read(&self, path: &Path) -> Result<Option<Vec<u8>>, HostError> {
        let output = self.run(READ, &[&arg(path)], None)?;
        match output.status {
            0 => Ok(Some(output.stdout)),
            EXIT_MISSING => Ok(None),
            _ => Err(self.failure(output, "read", path)),
        }
    }

    fn read_regular(&self, path: &Path, max: u64) -> Result<Option<Vec<u8>>, HostError> {
        match self.read(path) {
            Ok(Some(mut bytes)) => {
                bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
                Ok(Some(bytes))
            }
            Err(HostError::Io { .. }) => Ok(None),
            other => other,
        }
    }

    fn replace(&self, path: &Path, expected: Option<&[u8]>, bytes: &[u8], mode: Mode) -> Result<bool, HostError> {
        let hash = expected.map_or_else(|| "absent".to_string(), sha256_hex);
        self.put(path, &hash, bytes, mode).map(|()| true)
    }

    fn write(&self, path: &Path, bytes: &[u8], mode: Mode) -> Result<(), HostError> {
        self.put(path, "-", bytes, mode)
    }

    fn remove(&self, path: &Path) -> Result<bool, HostError> {
        let output = self.run(REMOVE, &[&arg(path)], None)?;
        match output.status {
            0 => Ok(output.stdout.starts_with(b"removed")),
            _ => Err(self.failure(output, "remove", path)),
        }
    }

    fn exists(&self, path: &Path) -> Result<bool, HostError> {
        let output = self.run(EXISTS, &[&arg(path)], None)?;
        match output.status {
            0 => Ok(output.stdout.starts_with(b"yes")),
            _ => Err(self.failure(output, "read", path)),
        }
    }

    fn lock(&self, _config: &Path) -> Result<Option<FileLock>, HostError> {
        Ok(None)
    }
}

impl SshFiles {
    fn put(&self, path: &Path, expected: &str, bytes: &[u8], mode: Mode) -> Result<(), HostError> {
        let mode = if mode == Mode::KeepOr0600 { "keep" } else { "private" };
        let output = self.run(WRITE, &[&arg(path), expected, mode], Some(bytes))?;
        match output.status {
            0 => Ok(()),
            _ => Err(self.failure(output, "write", path)),
        }
    }
}
