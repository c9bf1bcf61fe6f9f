//! The native-messaging request decoder (`protocol::decode_request`) and the validation behind it.
//!
//! - A decoded request encodes and decodes back to itself.
//! - `Debug` of a request never depends on its secrets (tokens, client secret).
//! - No error (decode or validation) shows any part of a value: the input is decoded a second
//!   time with every value except `action` wrapped in a marker, and no message may contain it.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value};
use ssobridge_core::protocol::validate::validate_action;
use ssobridge_core::protocol::{decode_request, Action, Request};
use ssobridge_core::secret::Secret;

/// Wraps values; chosen so it is no key, action name or error word.
const MARK: &str = "\u{2603}mark";

fuzz_target!(|data: &[u8]| {
    check(data);
    let Ok(Value::Object(object)) = serde_json::from_slice::<Value>(data) else { return };
    if object.keys().any(|k| k.contains(MARK)) {
        return;
    }
    let marked: Map<String, Value> =
        object.into_iter().map(|(k, v)| if k == "action" { (k, v) } else { (k, mark(v)) }).collect();
    if marked.get("action").is_some_and(|a| a.to_string().contains(MARK)) {
        return;
    }
    let bytes = serde_json::to_vec(&Value::Object(marked)).expect("a Value encodes");
    let shown = check(&bytes);
    assert!(!shown.contains(MARK), "an error shows part of a value: {shown}");
});

/// Decodes, checks the round trip and secret-free Debug; returns every error text shown.
fn check(data: &[u8]) -> String {
    match decode_request(data) {
        Ok(request) => {
            let encoded = serde_json::to_vec(&request).expect("a request encodes");
            let again =
                decode_request(&encoded).unwrap_or_else(|e| panic!("re-encoded request does not decode: {e:?}"));
            assert_eq!(again, request, "decode → encode → decode changed the request");
            assert_eq!(format!("{request:?}"), format!("{:?}", without_secrets(&request)), "Debug shows a secret");
            match validate_action(&request.action) {
                Ok(()) => String::new(),
                Err(e) => format!("{e} {}", e.field),
            }
        }
        Err(e) => format!("{} {:?}", e.error.message, e.error.field),
    }
}

fn mark(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{MARK}{s}{MARK}")),
        Value::Array(items) => Value::Array(items.into_iter().map(mark).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().filter(|(k, _)| !k.contains(MARK)).map(|(k, v)| (k, mark(v))).collect())
        }
        other => other,
    }
}

fn without_secrets(request: &Request) -> Request {
    let mut r = request.clone();
    if let Action::SaveToken(p) = &mut r.action {
        p.token.access_token = Secret::new("A");
        p.token.client_secret = Secret::new("C");
        p.token.refresh_token = p.token.refresh_token.as_ref().map(|_| Secret::new("R"));
    }
    r
}
