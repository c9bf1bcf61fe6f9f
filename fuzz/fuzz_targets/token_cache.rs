//! The token-cache reader (`token_cache::summarize`) and its timestamps.
//!
//! - What `summarize` reports agrees with the file as plain JSON: `expiresAt` parsed, and
//!   "refreshable" exactly when refresh token, client id, client secret are non-empty and the
//!   registration has not expired.
//! - `parse_timestamp` and `format_timestamp` invert each other; a record we write reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use ssobridge_core::secret::Secret;
use ssobridge_core::token_cache::{format_timestamp, parse_timestamp, summarize, CachedToken};

const NOW: i64 = 1_750_000_000;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed: Option<Value> = serde_json::from_str(text).ok();
    // Errors hold only `&'static str`s and unit variants, so they cannot show a value.
    if let Ok(summary) = summarize(text, NOW) {
        let file = parsed.expect("what summarize read is JSON");
        // serde also reads a struct from a JSON array, by position; the CLI never writes one.
        if file.is_array() {
            return;
        }
        let field = |k: &str| file.get(k).and_then(Value::as_str);
        let expires = field("expiresAt").expect("expiresAt is a string");
        assert_eq!(parse_timestamp(expires), Ok(summary.expires_at));
        let filled = |k: &str| field(k).is_some_and(|v| !v.is_empty());
        let registered = field("registrationExpiresAt").and_then(|t| parse_timestamp(t).ok()).is_some_and(|t| t > NOW);
        let expected = filled("refreshToken") && filled("clientId") && filled("clientSecret") && registered;
        assert_eq!(summary.refreshable, expected, "refreshable disagrees with the file");
    }

    // Timestamps: any text that parses formats back to itself (without fractional seconds).
    if let Ok(t) = parse_timestamp(text) {
        let whole = format!("{}Z", &text[..19]);
        assert_eq!(format_timestamp(t), whole);
    }
    // And any epoch second in range survives format → parse; a written record reads back.
    let mut raw = [0u8; 8];
    let n = data.len().min(8);
    raw[..n].copy_from_slice(&data[..n]);
    let epoch = i64::from_le_bytes(raw).clamp(-62_167_219_200, 253_402_300_799);
    assert_eq!(parse_timestamp(&format_timestamp(epoch)), Ok(epoch));
    let secret = |s: &str| Secret::new(s);
    let token = CachedToken {
        // Alphanumeric only, so Debug's escaping cannot make it look like a secret.
        start_url: text.chars().filter(char::is_ascii_alphanumeric).take(40).collect(),
        region: "us-east-1".into(),
        access_token: secret("access-token-value"),
        expires_at: epoch,
        client_id: if data.first() == Some(&b'x') { String::new() } else { "client".into() },
        client_secret: secret("client-secret-value"),
        registration_expires_at: epoch.saturating_add(1),
        refresh_token: (data.len() % 2 == 0).then(|| secret("refresh-token-value")),
    };
    let back = summarize(&token.to_json(), NOW).expect("a record we write reads back");
    assert_eq!(back.expires_at, epoch);
    let refreshable = token.refresh_token.is_some() && !token.client_id.is_empty() && epoch.saturating_add(1) > NOW;
    assert_eq!(back.refreshable, refreshable);
    let debug = format!("{token:?}");
    for s in ["access-token-value", "client-secret-value", "refresh-token-value"] {
        ssobridge_fuzz::assert_not_shown("CachedToken's Debug", &debug, s, &[]);
    }
});
