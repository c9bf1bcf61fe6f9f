//! Framing edge cases against the spawned binary.

mod common;

use common::{frame, run_json, run_raw, temp_home};
use serde_json::json;

fn hello(id: u64) -> Vec<u8> {
    frame(json!({"id": id, "action": "hello", "params": {}}).to_string().as_bytes())
}

#[test]
fn several_messages_in_one_pipe_then_clean_exit() {
    let home = temp_home();
    let mut input = hello(1);
    input.extend(hello(2));
    input.extend(frame(br#"{"id":"three","action":"status"}"#));
    let run = run_raw(home.path(), &input);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let ids: Vec<_> = run.replies.iter().map(|r| r["id"].clone()).collect();
    assert_eq!(ids, [json!(1), json!(2), json!("three")]);
    assert!(run.replies.iter().all(|r| r["ok"] == true && r["host"]["protocol"] == 1));
    assert!(run.trailing.is_empty());
}

#[test]
fn empty_input_exits_zero_without_output() {
    let home = temp_home();
    let run = run_raw(home.path(), b"");
    assert_eq!((run.status, run.replies.len()), (0, 0));
}

#[test]
fn truncated_length_gets_an_error_reply_and_exit_1() {
    let home = temp_home();
    let mut input = hello(1);
    input.extend([5, 0]);
    let run = run_raw(home.path(), &input);
    assert_eq!(run.status, 1);
    assert_eq!(run.replies.len(), 2);
    assert_eq!(run.replies[1]["error"]["code"], "invalid_message");
    assert_eq!(run.replies[1]["id"], serde_json::Value::Null);
}

#[test]
fn short_body_gets_an_error_reply_and_exit_1() {
    let home = temp_home();
    let mut input = frame(br#"{"id":1,"action":"hello"}"#);
    input.truncate(input.len() - 3);
    let run = run_raw(home.path(), &input);
    assert_eq!(run.status, 1);
    assert_eq!(run.replies.len(), 1);
    assert_eq!(run.replies[0]["error"]["code"], "invalid_message");
    assert!(run.replies[0]["error"]["message"].as_str().unwrap().contains("body"));
}

#[test]
fn oversize_message_is_refused_and_the_next_one_still_served() {
    let home = temp_home();
    let big = format!(r#"{{"id":1,"action":"hello","params":{{}},"pad":"{}"}}"#, "x".repeat(1024 * 1024));
    let mut input = frame(big.as_bytes());
    input.extend(hello(2));
    let run = run_raw(home.path(), &input);
    assert_eq!(run.status, 0);
    assert_eq!(run.replies[0]["error"]["code"], "message_too_large");
    assert_eq!(run.replies[1]["id"], 2);
    assert_eq!(run.replies[1]["ok"], true);
}

#[test]
fn exactly_one_mebibyte_is_accepted() {
    let home = temp_home();
    let head = r#"{"id":1,"action":"hello","params":{}}"#;
    // Pad with JSON whitespace up to the limit.
    let body = format!("{head}{}", " ".repeat(1024 * 1024 - head.len()));
    let run = run_raw(home.path(), &frame(body.as_bytes()));
    assert_eq!(run.replies[0]["ok"], true, "{}", run.replies[0]);
}

#[test]
fn invalid_utf8_and_invalid_json_get_error_replies_and_serving_continues() {
    let home = temp_home();
    let mut input = frame(b"{\"id\":1,\"action\":\"he\xffllo\"}");
    input.extend(frame(b"{not json"));
    input.extend(frame(b"42"));
    input.extend(hello(4));
    let run = run_raw(home.path(), &input);
    assert_eq!(run.status, 0);
    let codes: Vec<_> = run.replies.iter().map(|r| r["error"]["code"].clone()).collect();
    assert_eq!(
        codes,
        [json!("invalid_message"), json!("invalid_message"), json!("invalid_message"), serde_json::Value::Null]
    );
    assert_eq!(run.replies[3]["ok"], true);
}

#[test]
fn unknown_action_and_unknown_field_name_what_is_wrong() {
    let home = temp_home();
    let run = run_json(
        home.path(),
        &[
            json!({"id": 1, "action": "deleteEverything", "params": {}}),
            json!({"id": 2, "action": "hello", "params": {"verbose": true}}),
            json!({"id": 3, "action": "hello", "params": {}, "extra": 1}),
            json!({"id": 4, "action": "logout", "params": {"sessionName": "a b"}}),
        ],
    );
    let got: Vec<_> = run
        .replies
        .iter()
        .map(|r| (r["id"].clone(), r["error"]["code"].clone(), r["error"]["field"].clone()))
        .collect();
    assert_eq!(
        got,
        [
            (json!(1), json!("unknown_action"), json!("action")),
            (json!(2), json!("unknown_field"), json!("params.verbose")),
            (json!(3), json!("unknown_field"), json!("extra")),
            (json!(4), json!("invalid_field"), json!("params.sessionName")),
        ]
    );
}

#[test]
fn refuses_other_extensions_before_reading_anything() {
    let home = temp_home();
    for args in [vec!["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"], vec!["/tmp/x.json", "evil@example.com"]]
    {
        let out = std::process::Command::new(common::HOST).args(&args).env("HOME", home.path()).output().unwrap();
        assert_eq!(out.status.code(), Some(3));
        assert!(out.stdout.is_empty());
        assert!(String::from_utf8_lossy(&out.stderr).contains("refusing extension"));
    }
    // Firefox with the right id is served.
    let mut child = std::process::Command::new(common::HOST)
        .args(["/home/u/.mozilla/native-messaging-hosts/com.ssobridge.host.json", "ssobridge@ssobridge.dev"])
        .env("HOME", home.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(&hello(7)).unwrap();
    let out = child.wait_with_output().unwrap();
    let (replies, _) = common::parse_frames(&out.stdout);
    assert_eq!(replies[0]["id"], 7);
}

#[test]
fn version_flag_works_for_people() {
    let out = std::process::Command::new(common::HOST).arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains(ssobridge_core::VERSION));
}
