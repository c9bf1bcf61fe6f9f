//! A real OpenSSH server for the SSH sync-target tests: `/usr/sbin/sshd -D` on 127.0.0.1 and a
//! free port, a throw-away host key and client key, and a "remote" HOME of its own.
//!
//! The remote account is this machine's current user (a second local user is not needed):
//! `ForceCommand` runs a small wrapper that sets HOME to the remote HOME, `cd`s there and then
//! runs the command the client asked for, so the host's scripts see a home of their own exactly
//! as on another machine. The wrapper can also play a person editing the remote config between
//! the host's read and its write (see [`Sshd::change_config_before_next_write`]).

use std::io::Write;
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const SSHD: &str = "/usr/sbin/sshd";

/// What the wrapper appends to the remote config when asked to.
pub const THEIR_EDIT: &str = "[profile theirs]\nregion = eu-west-1\n";

pub struct Sshd {
    child: Child,
    pub dir: tempfile::TempDir,
    /// `ssh -F` file naming the hosts `target` (this server) and `nowhere` (a closed port).
    pub ssh_config: PathBuf,
    pub remote_home: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

fn keygen(path: &Path) {
    let status = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "sso-bridge-test", "-f"])
        .arg(path)
        .status()
        .expect("run ssh-keygen");
    assert!(status.success(), "ssh-keygen failed");
}

fn user() -> String {
    let out = Command::new("id").arg("-un").output().expect("id -un");
    String::from_utf8(out.stdout).expect("utf-8 user").trim().to_string()
}

impl Sshd {
    pub fn start() -> Sshd {
        assert!(
            Path::new(SSHD).exists(),
            "{SSHD} is missing: apt-get install -y --no-install-recommends openssh-server (cargo xtask test installs it)"
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        keygen(&d.join("host_key"));
        keygen(&d.join("id"));
        std::fs::copy(d.join("id.pub"), d.join("authorized_keys")).expect("authorized_keys");
        let remote_home = d.join("remote-home");
        std::fs::create_dir(&remote_home).expect("remote home");
        let wrapper = d.join("remote.sh");
        std::fs::write(
            &wrapper,
            format!(
                "#!/bin/sh\nHOME='{home}'; export HOME; cd \"$HOME\" || exit 1\n\
                 if [ -e '{d}/change-config' ]; then case \"$SSH_ORIGINAL_COMMAND\" in\n\
                 *\"'.aws/config' '\"[0-9a-f]*) printf '{edit}' >> .aws/config; rm -f '{d}/change-config';;\n\
                 esac; fi\nexec /bin/sh -c \"$SSH_ORIGINAL_COMMAND\"\n",
                home = remote_home.display(),
                d = d.display(),
                edit = THEIR_EDIT.replace('\n', "\\n"),
            ),
        )
        .expect("wrapper");
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&wrapper, std::fs::Permissions::from_mode(0o755)).expect("chmod wrapper");
        let port = free_port();
        std::fs::write(
            d.join("sshd_config"),
            format!(
                "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_key\nPidFile {d}/sshd.pid\n\
                 AuthorizedKeysFile {d}/authorized_keys\nStrictModes no\nPubkeyAuthentication yes\n\
                 PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n\
                 PermitRootLogin prohibit-password\nForceCommand {wrapper}\n",
                d = d.display(),
                wrapper = wrapper.display(),
            ),
        )
        .expect("sshd_config");
        let host_pub = std::fs::read_to_string(d.join("host_key.pub")).expect("host key");
        std::fs::write(d.join("known_hosts"), format!("[127.0.0.1]:{port} {host_pub}")).expect("known_hosts");
        let ssh_config = d.join("ssh_config");
        let common = format!(
            "  HostName 127.0.0.1\n  User {user}\n  IdentityFile {d}/id\n  IdentitiesOnly yes\n  \
             UserKnownHostsFile {d}/known_hosts\n  StrictHostKeyChecking yes\n  LogLevel ERROR\n",
            user = user(),
            d = d.display()
        );
        let closed = free_port();
        std::fs::write(
            &ssh_config,
            format!("Host target\n  Port {port}\n{common}Host nowhere\n  Port {closed}\n{common}"),
        )
        .expect("ssh_config");
        // Debian's sshd refuses to start without its privilege-separation directory.
        let _ = std::fs::create_dir_all("/run/sshd");
        let child = Command::new(SSHD)
            .arg("-D")
            .arg("-e")
            .arg("-f")
            .arg(d.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("sshd.log")).expect("sshd log"))
            .spawn()
            .expect("start sshd");
        let mut sshd = Sshd { child, dir, ssh_config, remote_home };
        let deadline = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = sshd.child.try_wait() {
                panic!("sshd exited with {status}: {}", sshd.log());
            }
            assert!(Instant::now() < deadline, "sshd did not listen on {port}: {}", sshd.log());
            std::thread::sleep(Duration::from_millis(50));
        }
        sshd
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
    }

    /// The next write of the remote config (the compare-and-rename) finds it changed: the
    /// wrapper appends [`THEIR_EDIT`] just before running that write.
    pub fn change_config_before_next_write(&self) {
        let mut f = std::fs::File::create(self.dir.path().join("change-config")).expect("flag");
        f.write_all(b"1").expect("flag");
    }

    pub fn remote_aws(&self) -> PathBuf {
        self.remote_home.join(".aws")
    }
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
