//! Every request/response example in PROTOCOL.md, run in order through the real binary in one
//! temporary HOME. Placeholders: `<HOME>` (the temp home, in requests too), `<VERSION>` (host
//! version), the string `"<any>"` (any value), and in requests `<undoToken>` (the last
//! `undoToken` a reply carried). An `ini config` block is written to `~/.aws/config` first.

mod common;

use serde_json::Value;

enum Step {
    Config(String),
    Exchange { request: String, response: String, line: usize },
}

fn steps(doc: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut pending_request: Option<(String, usize)> = None;
    let mut lines = doc.lines().enumerate();
    while let Some((number, line)) = lines.next() {
        let kind = match line.trim_end() {
            "```json request" => "request",
            "```json response" => "response",
            "```ini config" => "config",
            _ => continue,
        };
        let mut block = String::new();
        for (_, l) in lines.by_ref() {
            if l.trim_end() == "```" {
                break;
            }
            block.push_str(l);
            block.push('\n');
        }
        match kind {
            "config" => steps.push(Step::Config(block)),
            "request" => {
                assert!(pending_request.is_none(), "PROTOCOL.md line {}: request without a response", number + 1);
                pending_request = Some((block, number + 1));
            }
            _ => {
                let (request, line) = pending_request
                    .take()
                    .unwrap_or_else(|| panic!("PROTOCOL.md line {}: response without a request", number + 1));
                steps.push(Step::Exchange { request, response: block, line });
            }
        }
    }
    assert!(pending_request.is_none(), "last request has no response");
    steps
}

/// `expected` matches `actual`, with placeholders substituted.
fn matches(expected: &Value, actual: &Value, home: &str) -> bool {
    match (expected, actual) {
        (Value::String(e), _) if e == "<any>" => true,
        (Value::String(e), Value::String(a)) => {
            e.replace("<HOME>", home).replace("<VERSION>", ssobridge_core::VERSION) == *a
        }
        (Value::Object(e), Value::Object(a)) => {
            e.len() == a.len() && e.iter().all(|(k, v)| a.get(k).is_some_and(|av| matches(v, av, home)))
        }
        (Value::Array(e), Value::Array(a)) => e.len() == a.len() && e.iter().zip(a).all(|(x, y)| matches(x, y, home)),
        _ => expected == actual,
    }
}

#[test]
fn every_protocol_md_example_holds() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../PROTOCOL.md")).expect("read PROTOCOL.md");
    let steps = steps(&doc);
    let exchanges = steps.iter().filter(|s| matches!(s, Step::Exchange { .. })).count();
    assert!(exchanges >= 27, "expected every action and error example, found {exchanges}");
    let home = common::temp_home();
    let home_str = home.path().to_str().expect("utf-8 temp path").to_string();
    let mut session = common::Session::start(home.path());
    let mut failures = Vec::new();
    let mut undo_token = String::new();
    for step in &steps {
        match step {
            Step::Config(text) => {
                let path = common::config_path(home.path());
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(&path, text).unwrap();
            }
            Step::Exchange { request, response, line } => {
                let expected: Value = serde_json::from_str(response)
                    .unwrap_or_else(|e| panic!("PROTOCOL.md line {line}: response is not JSON: {e}"));
                // Requests go out byte for byte (one example is deliberately not JSON).
                let request = request.trim().replace("<undoToken>", &undo_token).replace("<HOME>", &home_str);
                let actual = send_raw(&mut session, request.as_bytes());
                if let Some(token) = actual["result"]["undoToken"].as_str() {
                    undo_token = token.to_string();
                }
                if !matches(&expected, &actual, &home_str) {
                    failures.push(format!(
                        "PROTOCOL.md request at line {line}:\n  expected {expected}\n  actual   {actual}"
                    ));
                }
            }
        }
    }
    assert_eq!(session.finish(), 0);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn send_raw(session: &mut common::Session, body: &[u8]) -> Value {
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => session.request(&value),
        Err(_) => session.request_raw(body),
    }
}
