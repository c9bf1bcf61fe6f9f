//! Helpers shared by the host's integration tests: spawn the real binary in a temporary HOME and
//! talk native messaging to it.
#![allow(dead_code)]

pub mod aws_cli;
pub mod idc;
pub mod sshd;

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

pub const HOST: &str = env!("CARGO_BIN_EXE_ssobridge-host");
pub const CHROME_ORIGIN: &str = "chrome-extension://gfjggkhhfllfodkgihkkjigdbliapmgc/";

pub fn frame(body: &[u8]) -> Vec<u8> {
    let mut out = (body.len() as u32).to_ne_bytes().to_vec();
    out.extend_from_slice(body);
    out
}

/// A command for the host as Chromium would start it, with `home` as HOME.
pub fn host_command(home: &Path) -> Command {
    let mut cmd = Command::new(HOST);
    cmd.arg(CHROME_ORIGIN)
        .env_clear()
        .env("HOME", home)
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    cmd
}

/// Output of one host run.
pub struct Run {
    pub replies: Vec<Value>,
    pub status: i32,
    pub stderr: String,
    /// Bytes after the last complete frame (must be empty).
    pub trailing: Vec<u8>,
}

/// Sends `input` (already framed) to a fresh host, closes stdin, collects every reply.
pub fn run_raw(home: &Path, input: &[u8]) -> Run {
    run_command(host_command(home), input)
}

/// [`run_raw`] with a command made by [`host_command`] and then given more environment.
pub fn run_command(mut command: Command, input: &[u8]) -> Run {
    let mut child = command.spawn().expect("spawn host");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_vec();
    // Write from a thread so a host that answers early cannot deadlock us.
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait host");
    writer.join().expect("writer thread");
    let (replies, trailing) = parse_frames(&out.stdout);
    Run {
        replies,
        status: out.status.code().unwrap_or(-1),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        trailing,
    }
}

/// Sends JSON requests, one frame each.
pub fn run_json(home: &Path, requests: &[Value]) -> Run {
    let input: Vec<u8> = requests.iter().flat_map(|r| frame(r.to_string().as_bytes())).collect();
    run_raw(home, &input)
}

/// Splits a stdout capture into JSON replies.
pub fn parse_frames(mut bytes: &[u8]) -> (Vec<Value>, Vec<u8>) {
    let mut replies = Vec::new();
    while bytes.len() >= 4 {
        let len = u32::from_ne_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]) as usize;
        if bytes.len() < 4 + len {
            break;
        }
        replies.push(serde_json::from_slice(&bytes[4..4 + len]).expect("reply is JSON"));
        bytes = &bytes[4 + len..];
    }
    (replies, bytes.to_vec())
}

/// A long-lived host for request/response tests.
pub struct Session {
    child: Child,
}

impl Session {
    pub fn start(home: &Path) -> Session {
        Session { child: host_command(home).stderr(Stdio::inherit()).spawn().expect("spawn host") }
    }

    pub fn request(&mut self, request: &Value) -> Value {
        self.request_raw(request.to_string().as_bytes())
    }

    /// Sends a body as is (it need not be JSON) and reads one reply.
    pub fn request_raw(&mut self, body: &[u8]) -> Value {
        let stdin = self.child.stdin.as_mut().expect("stdin");
        stdin.write_all(&frame(body)).expect("write request");
        stdin.flush().expect("flush");
        let stdout = self.child.stdout.as_mut().expect("stdout");
        let mut len = [0u8; 4];
        stdout.read_exact(&mut len).expect("reply length");
        let mut body = vec![0u8; u32::from_ne_bytes(len) as usize];
        stdout.read_exact(&mut body).expect("reply body");
        serde_json::from_slice(&body).expect("reply JSON")
    }

    pub fn finish(mut self) -> i32 {
        drop(self.child.stdin.take());
        self.child.wait().expect("wait").code().unwrap_or(-1)
    }
}

pub fn temp_home() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

pub fn config_path(home: &Path) -> PathBuf {
    home.join(".aws").join("config")
}

/// A valid `saveToken` request.
pub fn save_token(id: u64, session: &str, start_url: &str, access_token: &str, expires_at: &str) -> Value {
    serde_json::json!({"id": id, "action": "saveToken", "params": {
        "sessionName": session, "startUrl": start_url, "region": "us-east-1", "scopes": ["sso:account:access"],
        "token": {"accessToken": access_token, "expiresAt": expires_at, "refreshToken": "aorRefresh",
                  "clientId": "client-id", "clientSecret": "client-secret", "registrationExpiresAt": "2099-01-01T00:00:00Z"}}})
}

pub fn apply(id: u64, session: &str, profiles: Value, prune: bool) -> Value {
    serde_json::json!({"id": id, "action": "applyProfiles", "params": {"sessionName": session, "profiles": profiles, "prune": prune}})
}
