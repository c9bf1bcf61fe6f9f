//! Oracles the fuzz targets share: an independent reading of `~/.aws/config` lines, a scripted
//! HTTP platform, and a bounded reader of the fuzzer's control bytes.

pub mod config_lines;
pub mod control;
pub mod platform;

/// Panics when `text` contains `secret` (long enough to mean something) unless the secret also
/// sits in a value that may legitimately be shown (`allowed`), e.g. an AWS error message.
pub fn assert_not_shown(what: &str, text: &str, secret: &str, allowed: &[&str]) {
    if secret.len() < 8 || allowed.iter().any(|a| a.contains(secret)) {
        return;
    }
    assert!(!text.contains(secret), "{what} shows a secret value: {text}");
}

/// Every string value inside a JSON value, depth first.
pub fn strings_in(value: &serde_json::Value, out: &mut Vec<String>) {
    match value {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(items) => items.iter().for_each(|v| strings_in(v, out)),
        serde_json::Value::Object(map) => map.values().for_each(|v| strings_in(v, out)),
        _ => {}
    }
}
