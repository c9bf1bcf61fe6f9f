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

/// `body` with every value written as `secret`'s plain JSON literal replaced by a literal of the
/// same length in bytes that reads as another string (so a parser reports the same lines and
/// columns), keys left alone; `None` when the body holds no such literal (the secret is spelled
/// with escapes the literal does not use).
///
/// A control run on this body tells a leak from a coincidence: text that still shows the secret
/// when the body no longer holds it was not copied from it (a fixed word like `expires_at_ms`, or a
/// shown message's `Debug` escaping that happens to spell the secret).
pub fn with_canary(body: &str, secret: &str) -> Option<String> {
    let literal = serde_json::to_string(secret).ok()?;
    let filler = ['Q', 'Z', 'X', 'J', 'K'].into_iter().find(|c| !secret.contains(*c))?;
    let canary = format!("\"{}\"", filler.to_string().repeat(literal.len() - 2));
    let (mut out, mut rest, mut replaced) = (String::with_capacity(body.len()), body, false);
    while let Some(at) = rest.find(&literal) {
        let after = &rest[at + literal.len()..];
        let is_key = after.trim_start().starts_with(':');
        out.push_str(&rest[..at]);
        out.push_str(if is_key { &literal } else { &canary });
        replaced |= !is_key;
        rest = after;
    }
    out.push_str(rest);
    replaced.then_some(out)
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
