//! The `idc-emulator` binary: the ready line, flags, config files, and bad configs.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_idc-emulator");

/// Kills the child even when an assertion fails.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn spawn(args: &[&str]) -> (Running, String) {
    let child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn idc-emulator");
    let mut running = Running(child);
    let mut line = String::new();
    BufReader::new(running.0.stdout.take().expect("stdout")).read_line(&mut line).expect("read ready line");
    let url =
        line.trim_end().strip_prefix("listening on ").unwrap_or_else(|| panic!("ready line: {line:?}")).to_string();
    assert!(url.starts_with("http://127.0.0.1:") && !url.ends_with('/'), "{url}");
    (running, url)
}

fn accounts(url: &str) -> Vec<serde_json::Value> {
    reqwest::blocking::get(format!("{url}/admin/accounts")).unwrap().json().unwrap()
}

#[test]
fn flags_shape_the_emulator() {
    let (_child, url) = spawn(&["--port", "0", "--accounts", "7", "--roles-per-account", "3", "--auto-approve"]);
    let list = accounts(&url);
    assert_eq!(list.len(), 7);
    assert_eq!(list[0]["roles"].as_array().unwrap().len(), 3);
    let config: serde_json::Value = reqwest::blocking::get(format!("{url}/admin/config")).unwrap().json().unwrap();
    assert_eq!(config["autoApprove"], true);
}

#[test]
fn config_file_is_read_and_flags_override_it() {
    let dir = std::env::temp_dir().join(format!("idc-emulator-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.json");
    let mut f = std::fs::File::create(&path).unwrap();
    write!(
        f,
        r#"{{"accounts": [{{"id": "111122223333", "name": "Prod 本番 (EU) #1", "roles": ["Admin"]}}],
            "pollIntervalSecs": 9, "throttle": {{"listingRps": 5}}}}"#
    )
    .unwrap();
    drop(f);
    let (_child, url) = spawn(&["--config", path.to_str().unwrap(), "--throttle-rps", "2"]);
    assert_eq!(accounts(&url)[0]["name"], "Prod 本番 (EU) #1");
    let config: serde_json::Value = reqwest::blocking::get(format!("{url}/admin/config")).unwrap().json().unwrap();
    assert_eq!(config["pollIntervalSecs"], 9);
    assert_eq!(config["throttle"]["listingRps"], 2.0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn bad_config_exits_with_a_message() {
    let dir = std::env::temp_dir().join(format!("idc-emulator-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.json");
    std::fs::write(&path, r#"{"acounts": 3}"#).unwrap();
    let out = Command::new(BIN).args(["--config", path.to_str().unwrap()]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty(), "nothing but the ready line ever goes to stdout");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("invalid config") && err.contains("acounts"), "{err}");

    let out = Command::new(BIN).args(["--config", "/nonexistent/idc.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let _ = std::fs::remove_dir_all(&dir);
}
