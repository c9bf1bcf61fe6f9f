//! Native-messaging protocol v1 between the extension and the native host.
//!
//! Serde types only (shared by the host and the wasm core); framing lives in the host. The
//! full contract, with an example of every message, is `PROTOCOL.md` at the repository root.

mod actions;
mod errors;
mod undo;
pub mod validate;

pub use actions::*;
pub use errors::*;
pub use undo::{sha256_hex, UndoToken};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The protocol version carried in every reply's `host.protocol`.
pub const PROTOCOL_VERSION: u32 = 1;

/// Largest message accepted in either direction (Chromium's limit for host → browser).
pub const MAX_MESSAGE_LEN: usize = 1024 * 1024;

/// The `id` of a request, echoed in its reply: a non-negative integer or a string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(untagged)]
pub enum RequestId {
    Number(u64),
    Text(String),
}

/// A decoded request: `{"id": 1, "action": "hello", "params": {}}`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Request {
    pub id: RequestId,
    #[serde(flatten)]
    pub action: Action,
}

/// `host` member of every reply.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct HostInfo {
    pub version: String,
    pub protocol: u32,
}

impl HostInfo {
    /// This build.
    pub fn current() -> Self {
        HostInfo { version: crate::VERSION.to_string(), protocol: PROTOCOL_VERSION }
    }
}

/// A reply: `id`, `host`, then `ok: true, result` or `ok: false, error`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
pub struct Reply {
    /// The request's id; `null` when the request was too broken to read one.
    pub id: Option<RequestId>,
    pub host: HostInfo,
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", tsify(type = "unknown"))]
    pub result: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorBody>,
}

impl Reply {
    pub fn success(id: RequestId, result: &impl Serialize) -> Reply {
        match serde_json::to_value(result) {
            Ok(value) => Reply { id: Some(id), host: HostInfo::current(), ok: true, result: Some(value), error: None },
            Err(e) => {
                Reply::failure(Some(id), ErrorBody::new(ErrorCode::InternalError, format!("cannot encode result: {e}")))
            }
        }
    }

    pub fn failure(id: Option<RequestId>, error: ErrorBody) -> Reply {
        Reply { id, host: HostInfo::current(), ok: false, result: None, error: Some(error) }
    }
}

/// Why a request could not be decoded, with the id when one was readable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    pub id: Option<RequestId>,
    pub error: ErrorBody,
}

impl DecodeError {
    fn new(id: Option<RequestId>, code: ErrorCode, message: impl Into<String>) -> Self {
        DecodeError { id, error: ErrorBody::new(code, message) }
    }

    fn at(mut self, field: impl Into<String>) -> Self {
        self.error.field = Some(field.into());
        self
    }
}

const ENVELOPE_FIELDS: [&str; 3] = ["id", "action", "params"];

/// Decodes one message body (the bytes after the length prefix). Never echoes field values in
/// error messages, because a value may be a token.
pub fn decode_request(body: &[u8]) -> Result<Request, DecodeError> {
    let text = std::str::from_utf8(body).map_err(|e| {
        DecodeError::new(None, ErrorCode::InvalidMessage, format!("message is not UTF-8 (byte {})", e.valid_up_to()))
    })?;
    let value: Value = serde_json::from_str(text).map_err(|e| {
        DecodeError::new(
            None,
            ErrorCode::InvalidMessage,
            format!("message is not JSON (line {}, column {})", e.line(), e.column()),
        )
    })?;
    let Value::Object(mut object) = value else {
        return Err(DecodeError::new(None, ErrorCode::InvalidMessage, "message is not a JSON object"));
    };
    let bad_id = || {
        DecodeError::new(None, ErrorCode::InvalidMessage, "`id` must be a non-negative integer or a string").at("id")
    };
    let id_value = match object.remove("id") {
        Some(Value::String(s)) => RequestId::Text(s),
        Some(Value::Number(n)) => RequestId::Number(n.as_u64().ok_or_else(bad_id)?),
        Some(_) => return Err(bad_id()),
        None => return Err(DecodeError::new(None, ErrorCode::InvalidMessage, "missing field `id`").at("id")),
    };
    let id = Some(id_value.clone());
    if let Some(unknown) = object.keys().find(|k| !ENVELOPE_FIELDS.contains(&k.as_str())) {
        let unknown = shorten(unknown);
        return Err(DecodeError::new(id, ErrorCode::UnknownField, format!("unknown field `{unknown}`")).at(unknown));
    }
    let action = match object.remove("action") {
        Some(Value::String(s)) => s,
        Some(_) => {
            return Err(DecodeError::new(id, ErrorCode::InvalidMessage, "`action` must be a string").at("action"))
        }
        None => return Err(DecodeError::new(id, ErrorCode::InvalidMessage, "missing field `action`").at("action")),
    };
    if !Action::NAMES.contains(&action.as_str()) {
        // The action is a value the caller sent: name what this host knows instead.
        let known = Action::NAMES.join(", ");
        return Err(DecodeError::new(
            id,
            ErrorCode::UnknownAction,
            format!("unknown action (this host knows {known})"),
        )
        .at("action"));
    }
    // An action without parameters may leave `params` out.
    let params = object.remove("params").unwrap_or_else(|| Value::Object(Default::default()));
    let tagged = serde_json::json!({ "action": action, "params": params });
    let action: Action = serde_path_to_error::deserialize(tagged).map_err(|e| params_error(id.clone(), e))?;
    Ok(Request { id: id_value, action })
}

/// Turns a serde error inside `params` into `unknown_field` / `invalid_field` with a JSON path.
fn params_error(id: Option<RequestId>, e: serde_path_to_error::Error<serde_json::Error>) -> DecodeError {
    let path = e.path().to_string();
    let message = e.inner().to_string();
    // serde's text is "unknown field `x`, expected ..." / "missing field `x`"; the path then
    // points at the object, so add the field's own name to it.
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(str::to_string);
    // serde_path_to_error already ends the path with an unknown field's name, not a missing one's.
    let join = |name: &str| {
        if path == name || path.ends_with(&format!(".{name}")) {
            path.clone()
        } else if path == "." || path.is_empty() {
            name.to_string()
        } else {
            format!("{path}.{name}")
        }
    };
    if let Some(name) = named("unknown field `") {
        let field = join(&name);
        return DecodeError::new(id, ErrorCode::UnknownField, format!("unknown field `{field}`")).at(field);
    }
    if let Some(name) = named("missing field `") {
        let field = join(&name);
        return DecodeError::new(id, ErrorCode::InvalidField, format!("missing field `{field}`")).at(field);
    }
    let reason = expected_type(&message);
    DecodeError::new(id, ErrorCode::InvalidField, format!("`{path}`: {reason}")).at(path)
}

/// What a type or value error expected, rebuilt from serde's message without any part of the
/// value: serde_json writes `invalid type: string "<value>", expected ...` and a value may hold
/// escaped quotes, so nothing between the kind and `, expected` is ever copied (issue 10 #8).
fn expected_type(message: &str) -> String {
    let message = message.split(" at line ").next().unwrap_or(message);
    // The expectation comes last and is the type's own description (`a string`, `struct X`).
    let expected = message.rfind(", expected ").map(|at| &message[at + ", expected ".len()..]);
    let found = message.strip_prefix("invalid type: ").and_then(|rest| {
        ["string", "integer", "floating point", "boolean", "null", "map", "sequence", "unit", "char", "bytes"]
            .into_iter()
            .find(|kind| rest.starts_with(kind))
    });
    match (expected, found) {
        (Some(expected), Some(found)) => format!("expected {expected}, found {found}"),
        (Some(expected), None) => format!("expected {expected}"),
        _ => "has the wrong type or value".to_string(),
    }
}

/// A caller-chosen name (action, field) cut to a length fit for a log line.
fn shorten(name: &str) -> String {
    match name.char_indices().nth(64) {
        Some((at, _)) => format!("{}…", &name[..at]),
        None => name.to_string(),
    }
}

#[cfg(test)]
mod tests;
