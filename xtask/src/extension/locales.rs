//! Build check: every error code a person can meet has a message in `_locales/en` and `ja`.
//!
//! The popup, options page and portal panel show `chrome.i18n.getMessage("err_" + code)` and fall
//! back to the English developer message when there is none, so a code without a message shows
//! English to a Japanese reader. The codes come from their one source each: the core's
//! `error_codes::ALL_CODES` (its own tests keep it equal to `Error::code()`, the protocol's
//! `ErrorCode::ALL` and the waits' codes), and the codes the extension's JS throws
//! (`new CodedError(...)`, `new DomainError(...)`, `code: ...` / `code = ...`).
use crate::sh::{root, Result};
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

const LOCALES: [&str; 2] = ["en", "ja"];
const PREFIX: &str = "err_";

pub fn check() -> Result {
    let mut codes = BTreeSet::new();
    codes.extend(ssobridge_core::error_codes::ALL_CODES.iter().map(|c| c.to_string()));
    codes.extend(js_codes(&root().join("extension/src"))?);
    let mut missing = Vec::new();
    for locale in LOCALES {
        let path = root().join("extension/_locales").join(locale).join("messages.json");
        let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let messages: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        for code in &codes {
            let message = messages[format!("{PREFIX}{code}")]["message"].as_str().unwrap_or("");
            if message.trim().is_empty() {
                missing.push(format!("{locale}: {PREFIX}{code}"));
            }
        }
    }
    missing.extend(developer_text(&root().join("extension/src"))?);
    if missing.is_empty() {
        eprintln!(
            "locales: all {} error codes have en and ja messages; no page shows an error's own text",
            codes.len()
        );
        Ok(())
    } else {
        Err(format!("error codes without a message in extension/_locales (add them):\n  {}", missing.join("\n  ")))
    }
}

/// The pages a person reads (popup, options) show an error through `errorText`/`fieldErrorText`
/// (its `err_<code>` message), never the error's `.message`: that is English written for logs.
const VIEW_SCRIPTS: [&str; 3] = ["popup.js", "options.js", "popup"];

fn developer_text(src: &Path) -> Result<Vec<String>> {
    let mut found = Vec::new();
    for name in VIEW_SCRIPTS {
        let path = src.join(name);
        let files = if path.is_dir() {
            fs::read_dir(&path)
                .map_err(|e| format!("{}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect()
        } else {
            vec![path]
        };
        for file in files.iter().filter(|f| f.extension().is_some_and(|e| e == "js")) {
            let text = fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
            found.extend(
                shown_messages(&text)
                    .into_iter()
                    .map(|line| format!("{}:{line}: shows an error's `.message` (use errorText)", file.display())),
            );
        }
    }
    Ok(found)
}

/// Line numbers that read an error's `.message` (not `messages`, not `chrome.i18n.getMessage`).
fn shown_messages(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| {
            line.match_indices(".message")
                .any(|(i, _)| !line[i + ".message".len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        })
        .map(|(i, _)| i + 1)
        .collect()
}

/// Codes in the extension's JS: the first argument of `new XxxError(` (not the built-in error
/// classes) and whatever is assigned to a `code`.
fn js_codes(dir: &Path) -> Result<Vec<String>> {
    let mut codes = Vec::new();
    for entry in fs::read_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))? {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            codes.extend(js_codes(&path)?);
        } else if path.extension().is_some_and(|e| e == "js") {
            let text = fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            codes.extend(codes_in_js(&text));
        }
    }
    Ok(codes)
}

fn codes_in_js(text: &str) -> Vec<String> {
    const BUILT_IN: [&str; 5] = ["", "Type", "Range", "Syntax", "Reference"];
    let mut out = Vec::new();
    for (at, _) in text.match_indices("Error(") {
        let before = &text[..at];
        let class_start = before.rfind(|c: char| !c.is_alphanumeric() && c != '_').map_or(0, |i| i + 1);
        if !before[..class_start].ends_with("new ") || BUILT_IN.contains(&&before[class_start..]) {
            continue;
        }
        let args = &text[at + "Error(".len()..];
        let first = &args[..args.find([',', ')']).unwrap_or(args.len())];
        out.extend(quoted(first, '\'').into_iter().filter(|s| is_code(s)));
    }
    let mut rest = text;
    while let Some(i) = rest.find("code") {
        let after = rest[i + 4..].trim_start();
        let preceded = rest[..i].chars().next_back().is_some_and(|c| c.is_alphanumeric() || c == '_');
        let assigned = after.starts_with(':') || (after.starts_with('=') && !after.starts_with("=="));
        if assigned && !preceded && !rest[i + 4..].starts_with(|c: char| c.is_alphanumeric() || c == '_') {
            let value = &after[1..];
            let value = &value[..value.find([';', ',', '}', '\n']).unwrap_or(value.len())];
            out.extend(values_in(value));
        }
        rest = &rest[i + 4..];
    }
    out
}

/// The string literals an expression may evaluate to: not those passed to a call
/// (`el('code', ...)` is not a code).
fn values_in(expr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts = expr.split('\'');
    let mut before = parts.next().unwrap_or("");
    while let (Some(literal), Some(after)) = (parts.next(), parts.next()) {
        if !before.trim_end().ends_with('(') && is_code(literal) {
            out.push(literal.to_string());
        }
        before = after;
    }
    out
}

fn is_code(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_') && !s.starts_with('_')
}

/// The texts between pairs of `q`.
fn quoted(s: &str, q: char) -> Vec<String> {
    s.split(q).skip(1).step_by(2).map(str::to_string).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_error_text_shown_on_a_page() {
        let js = "slot.textContent = err.message;\nconst t = chrome.i18n.getMessage('x');\nfor (const m of e.messages) {}\nok(errorText(e));\n";
        assert_eq!(shown_messages(js), [1]);
    }

    #[test]
    fn finds_the_codes_js_throws() {
        let js = "throw new CodedError('not_listed', 'list first');\n\
                  reject(new CodedError(err.code ?? 'host_error', 'x'));\n\
                  throw new Error('boom');\n\
                  const code = /x/.test(why) ? 'host_missing' : 'host_disconnected';\n\
                  Object.assign(e, { code: reply?.error?.code ?? 'no_answer' });\n\
                  if (e.code === 'ignored') {}\n\
                  const code = el('code', {}, [c]);\n";
        let mut got = codes_in_js(js);
        got.sort();
        assert_eq!(got, ["host_disconnected", "host_error", "host_missing", "no_answer", "not_listed"]);
    }
}
