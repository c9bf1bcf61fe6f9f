//! Issue 10 #7 and #8 against the real binary in a temporary HOME: hostile local files (a
//! planted lock-file symlink, a FIFO in the CLI cache) and a hostile request whose value must not
//! come back in the reply or on stderr.

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use common::{apply, config_path, frame, run_json, run_raw, save_token, temp_home};
use serde_json::{json, Value};

const CORP: &str = "https://corp.awsapps.com/start";

/// Sends one request to a fresh host and waits at most `limit` for the reply; a host that
/// blocks is killed and the test fails instead of hanging.
fn request_within(home: &Path, request: &Value, limit: Duration) -> Value {
    let mut child = common::host_command(home).spawn().expect("spawn host");
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(&frame(request.to_string().as_bytes())).unwrap();
    drop(stdin);
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        let _ = stdout.read_to_end(&mut out);
        let _ = tx.send(out);
    });
    match rx.recv_timeout(limit) {
        Ok(out) => {
            child.wait().unwrap();
            let (replies, _) = common::parse_frames(&out);
            replies.into_iter().next().expect("one reply")
        }
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            panic!("the host blocked for {limit:?}");
        }
    }
}

#[cfg(unix)]
#[test]
fn a_planted_lock_symlink_is_never_followed() {
    let home = temp_home();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(&aws).unwrap();
    let elsewhere = home.path().join("elsewhere");
    std::os::unix::fs::symlink(&elsewhere, aws.join("config.sso-bridge.lock")).unwrap();
    let run = run_json(home.path(), &[save_token(1, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z")]);
    let reply = &run.replies[0];
    assert_eq!(reply["error"]["code"], "io_error", "{reply}");
    assert!(reply["error"]["message"].as_str().unwrap().contains("symbolic link"), "{reply}");
    assert!(!elsewhere.exists(), "the host created a file through the planted link");
    assert!(!config_path(home.path()).exists(), "nothing was written without the lock");

    // An existing target is not truncated or locked through the link either.
    std::fs::write(&elsewhere, "precious").unwrap();
    let run = run_json(home.path(), &[apply(2, "corp", json!([]), false)]);
    assert_eq!(run.replies[0]["error"]["code"], "io_error");
    assert_eq!(std::fs::read_to_string(&elsewhere).unwrap(), "precious");
}

#[cfg(unix)]
#[test]
fn a_fifo_in_the_cli_cache_never_blocks_the_host() {
    use ssobridge_core::token_cache::role_cache_file_name;
    let home = temp_home();
    let aws = home.path().join(".aws");
    std::fs::create_dir_all(aws.join("cli/cache")).unwrap();
    std::fs::write(
        config_path(home.path()),
        format!("[sso-session corp]\nsso_start_url = {CORP}\nsso_region = us-east-1\n[profile dev]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\n"),
    )
    .unwrap();
    let fifo = aws.join("cli/cache").join(role_cache_file_name("111122223333", "Admin", "corp"));
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");

    let limit = Duration::from_secs(10);
    let reply = request_within(home.path(), &save_token(1, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z"), limit);
    assert_eq!(reply["ok"], true, "{reply}");
    assert_eq!(reply["result"]["roleCacheRemoved"], 0);
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo(), "the FIFO is left alone");
    // The lock was released: a second host gets through, and logout/removeSession skip it too.
    let reply =
        request_within(home.path(), &json!({"id": 2, "action": "logout", "params": {"sessionName": "corp"}}), limit);
    assert_eq!(reply["ok"], true, "{reply}");
    let reply = request_within(
        home.path(),
        &json!({"id": 3, "action": "removeSession", "params": {"sessionName": "corp", "removeProfiles": true, "dryRun": true}}),
        limit,
    );
    assert_eq!(reply["ok"], true, "{reply}");

    // A FIFO in place of a token file: `status` reports the session without a token.
    let token = aws.join("sso/cache").join(ssobridge_core::token_cache::cache_file_name("corp"));
    std::fs::remove_file(&token).unwrap_or_default();
    let c_path = std::ffi::CString::new(token.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0, "mkfifo");
    let reply = request_within(home.path(), &json!({"id": 4, "action": "status"}), limit);
    assert_eq!(reply["ok"], true, "{reply}");
    assert!(reply["result"]["sessions"][0].get("token").is_none(), "{reply}");
}

#[test]
fn a_malformed_request_never_echoes_its_value() {
    let home = temp_home();
    // A value with escaped quotes around the secret part, in places expecting other types.
    let hostile = "aoa\"LEAKED_TOKEN_PART\"x\\\"LEAKED_TOKEN_PART";
    let mut token_as_string = save_token(1, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z");
    token_as_string["params"]["token"] = json!(hostile);
    let mut secret_as_number = save_token(2, "corp", CORP, "aoaX", "2099-01-01T00:00:00Z");
    secret_as_number["params"]["token"]["clientSecret"] = json!([hostile]);
    let requests = [
        token_as_string,
        secret_as_number,
        json!({"id": 3, "action": "applyProfiles", "params": {"sessionName": "corp", "profiles": [], "prune": hostile}}),
        json!({"id": 4, "action": hostile, "params": {}}),
        json!({"id": 5, "action": "undo", "params": {"undoToken": hostile}}),
        json!({"id": 6, "action": "saveToken", "params": {"sessionName": "corp", "startUrl": format!("https://x.example/{hostile}"), "region": "us-east-1",
               "scopes": [], "token": {"accessToken": "a", "expiresAt": hostile, "clientId": "c", "clientSecret": "s", "registrationExpiresAt": hostile}}}),
    ];
    let mut input = Vec::new();
    for r in &requests {
        input.extend(frame(r.to_string().as_bytes()));
    }
    let mut cmd_run = run_raw(home.path(), &input);
    // Run once more with debug logging, where a leak would be likeliest.
    let mut cmd = common::host_command(home.path());
    cmd.env("SSOBRIDGE_LOG", "debug");
    let mut child = cmd.spawn().unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let out = child.wait_with_output().unwrap();
    cmd_run.stderr.push_str(&String::from_utf8_lossy(&out.stderr));
    assert_eq!(cmd_run.replies.len(), requests.len());
    let expected = [
        ("params.token", "`params.token`: expected struct TokenParams, found string"),
        ("params.token.clientSecret", "`params.token.clientSecret`: expected a string, found sequence"),
        ("params.prune", "`params.prune`: expected a boolean, found string"),
        ("action", ""),
        ("params.undoToken", ""),
        ("params.token.expiresAt", ""),
    ];
    for (reply, (field, message)) in cmd_run.replies.iter().zip(expected) {
        assert_eq!(reply["ok"], false, "{reply}");
        assert!(!reply.to_string().contains("LEAKED"), "the reply echoed the value: {reply}");
        assert_eq!(reply["error"]["field"], field, "{reply}");
        if !message.is_empty() {
            assert_eq!(reply["error"]["message"], message);
        }
    }
    assert!(!cmd_run.stderr.contains("LEAKED"), "stderr echoed the value: {}", cmd_run.stderr);
    assert!(!String::from_utf8_lossy(&out.stdout).contains("LEAKED"));
}
