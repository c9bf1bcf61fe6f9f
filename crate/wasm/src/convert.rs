//! Conversions between JS values and core types (serde-wasm-bindgen, no JSON text), and core
//! errors as JS `Error`s with a `code`.
//!
//! One converter per type: `from_js::<T>` / `to_js::<T>` are the only generic parts, so each
//! boundary type carries one (de)serializer, shared by every export that takes or returns it.
//! The JS side and the error texts live in non-inlined helpers that every type shares.

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_wasm_bindgen::{Deserializer, Serializer};
use ssobridge_core::error::Error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Plain JSON-compatible objects, because the service worker keeps these values in
/// `chrome.storage.session` and passes them back after a restart: maps (and `#[serde(flatten)]`
/// structs, which serialise as maps) become objects, not `Map`s; `None` becomes `null`, not
/// `undefined`; integers stay numbers (a u64 above 2^53 is an error, never a BigInt).
const SERIALIZER: Serializer = Serializer::json_compatible();

/// A JS value into a core type. `undefined` and `null` read as `None`, so optional arguments may
/// be left out. A shape error is an `invalid_input` error naming the argument, the missing field
/// or the expected type. Unknown fields are ignored (serde-wasm-bindgen reads only the fields a
/// type has).
///
/// No field paths (serde_path_to_error): tracking them wrapped every boundary type's decoder and
/// cost about 20 KB gzip once the sync plan's types crossed the boundary, for errors only a
/// broken caller (never a person) can cause.
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    T::deserialize(Deserializer::from(value)).map_err(|e| shape_error(what, e))
}

/// A core value into a plain JS object.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    value.serialize(&SERIALIZER).map_err(encode_error)
}

#[inline(never)]
fn encode_error(e: serde_wasm_bindgen::Error) -> JsValue {
    js_error("internal", &format!("cannot convert a value for JavaScript: {}", message_of(e.into())), &[])
}

/// `invalid_input` for a value of the wrong shape: `invalid session: `registration.clientId`:
/// invalid type: expected a string`, with `field` set to the path. Never echoes a value (it may
/// be a token): serde's "invalid type: string "…"" and "unknown variant `…`" lose the value.
#[inline(never)]
fn shape_error(what: &str, e: serde_wasm_bindgen::Error) -> JsValue {
    let detail = message_of(e.into());
    let detail = detail.as_str();
    // "missing field `x`": name the field.
    if let Some(name) = detail.strip_prefix("missing field `").and_then(|rest| rest.split('`').next()) {
        return js_error("invalid_input", &format!("invalid {what}: `{name}` is missing"), &[("field", name.into())]);
    }
    let detail = if let Some((head, expected)) = detail.split_once(", expected ") {
        let kind = head.split(':').next().unwrap_or("invalid value");
        let kind = if kind.starts_with("unknown variant") { "unknown variant" } else { kind };
        format!("{kind}: expected {expected}")
    } else {
        detail.to_string()
    };
    js_error("invalid_input", &format!("invalid {what}: {}", truncate(&detail, 200)), &[])
}

/// The message of a JS `Error` (serde-wasm-bindgen's errors are JS `Error`s).
fn message_of(value: JsValue) -> String {
    match value.dyn_ref::<js_sys::Error>() {
        Some(err) => err.message().into(),
        None => value.as_string().unwrap_or_default(),
    }
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
