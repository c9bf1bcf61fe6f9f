//! Conversions between JS values and core types, and core errors as JS `Error`s with a `code`.
//!
//! Values cross as JSON text (`JSON.stringify` / `JSON.parse` on the JS side of the call)
//! decoded by serde_json: the core's types already go through serde_json, and a second serde
//! format (serde-wasm-bindgen) would duplicate every (de)serializer in the module (~30 KB).

use js_sys::JSON;
use serde::de::DeserializeOwned;
use serde::Serialize;
use ssobridge_core::error::Error;
use wasm_bindgen::prelude::*;

/// A JS value into a core type; a shape error becomes an `invalid_input` JS error. `undefined`
/// reads as `null`, so optional arguments may be left out.
///
/// Only the decoding itself is generic: the JS side and the error text are in non-inlined
/// helpers, so the ~20 instantiations do not each carry a copy (issue 3's size budget).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    let text = js_json(value, what)?;
    serde_json::from_str(&text).map_err(|e| invalid_input(what, &e))
}

/// `JSON.stringify(value)`, with `undefined` as `null`.
#[inline(never)]
fn js_json(value: JsValue, what: &str) -> Result<String, JsValue> {
    if value.is_undefined() {
        return Ok("null".to_string());
    }
    Ok(JSON::stringify(&value)
        .map_err(|_| js_error("invalid_input", &format!("invalid {what}: not JSON-serialisable"), &[]))?
        .as_string()
        .unwrap_or_else(|| "null".to_string()))
}

#[inline(never)]
fn invalid_input(what: &str, e: &serde_json::Error) -> JsValue {
    // serde's message names the field and the expected type; cut it short of echoing values.
    let detail = e.to_string();
    let detail = detail.split(" at line ").next().unwrap_or("");
    js_error("invalid_input", &format!("invalid {what}: {}", truncate(detail, 200)), &[])
}

/// A core value into a plain JS object.
pub fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsValue> {
    json_to_js(serde_json::to_string(value))
}

#[inline(never)]
fn json_to_js(text: Result<String, serde_json::Error>) -> Result<JsValue, JsValue> {
    let text = text.map_err(|e| js_error("internal", &e.to_string(), &[]))?;
    JSON::parse(&text).map_err(|_| js_error("internal", "JSON.parse failed", &[]))
}

/// `new Error(message)` with `name = "SsoBridgeError"`, `code`, and any extra properties.
pub fn js_error(code: &str, message: &str, extra: &[(&str, JsValue)]) -> JsValue {
    let err = js_sys::Error::new(message);
    err.set_name("SsoBridgeError");
    let _ = js_sys::Reflect::set(&err, &"code".into(), &code.into());
    for (k, v) in extra {
        let _ = js_sys::Reflect::set(&err, &(*k).into(), v);
    }
    err.into()
}

pub fn core_error(e: &Error) -> JsValue {
    let mut extra: Vec<(&str, JsValue)> = Vec::new();
    if let Error::InvalidInput { field, .. } = e {
        extra.push(("field", field.as_str().into()));
    }
    js_error(e.code(), &e.to_string(), &extra)
}

fn truncate(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}
