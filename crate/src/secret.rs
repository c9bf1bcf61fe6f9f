//! A wrapper for values that must never reach a log line or an error message.

use serde::{Deserialize, Serialize};

/// An access token, refresh token, client secret, device code or PKCE verifier.
///
/// `Debug` prints `Secret(** redacted **)` and there is no `Display`, so a secret can only leave
/// through [`Secret::expose`] or serialisation. Serialisation is transparent on purpose: the
/// extension persists login state in `chrome.storage.session` and hands tokens to the native host.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The secret value; call sites are the places a secret legitimately leaves the core.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(** redacted **)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_and_serde_is_transparent() {
        let s = Secret::new("aoaAAAtoken");
        assert!(!format!("{s:?}").contains("aoaAAAtoken"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"aoaAAAtoken\"");
        let back: Secret = serde_json::from_str("\"x\"").unwrap();
        assert_eq!(back.expose(), "x");
    }
}
