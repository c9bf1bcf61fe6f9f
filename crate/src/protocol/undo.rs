//! The `undoToken` of `applyProfiles`: `v1.<sha256(config as written)>.<sha256(config before)>`.
//!
//! The host keeps the previous content on disk; the token only lets it check that the file is
//! still exactly what that apply wrote and that the kept copy is the one from that apply.

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UndoToken {
    /// Hex SHA-256 of the config as the apply wrote it.
    pub written: String,
    /// Hex SHA-256 of the config before the apply.
    pub previous: String,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

impl UndoToken {
    pub fn new(written: &[u8], previous: &[u8]) -> Self {
        UndoToken { written: sha256_hex(written), previous: sha256_hex(previous) }
    }

    /// Reads a token; `None` when it is not one [`UndoToken::encode`] made.
    pub fn parse(token: &str) -> Option<Self> {
        let (written, previous) = token.strip_prefix("v1.")?.split_once('.')?;
        let hex = |d: &str| d.len() == 64 && d.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        (hex(written) && hex(previous))
            .then(|| UndoToken { written: written.to_string(), previous: previous.to_string() })
    }

    pub fn encode(&self) -> String {
        format!("v1.{}.{}", self.written, self.previous)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_anything_else() {
        let token = UndoToken::new(b"new", b"old");
        assert_eq!(UndoToken::parse(&token.encode()), Some(token.clone()));
        assert_eq!(token.written, sha256_hex(b"new"));
        for bad in [
            "",
            "v1.",
            "v2.a.b",
            &token.encode().to_uppercase(),
            &format!("{}.x", token.encode()),
            &token.encode()[..100],
        ] {
            assert_eq!(UndoToken::parse(bad), None, "{bad:?}");
        }
    }
}
