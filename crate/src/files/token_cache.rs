//! The SSO token cache record, `~/.aws/sso/cache/<sha1-hex(session name)>.json`, as AWS CLI v2
//! writes it and as botocore, aws-sdk-rust and aws-sdk-go-v2 read it.
//!
//! Timestamps are written exactly `YYYY-MM-DDTHH:MM:SSZ`: aws-sdk-rust rejects offsets such as
//! `+00:00` and a bad `registrationExpiresAt` makes it drop the whole file.

use serde::{Deserialize, Serialize};
use sha1::{Digest, Sha1};

use crate::secret::Secret;

/// File name of the token cache entry for an sso-session: lowercase hex SHA-1 of the UTF-8
/// session name, plus `.json` (the name as written in `sso_session`, untrimmed, like Go does).
pub fn cache_file_name(session_name: &str) -> String {
    hex_sha1(session_name.as_bytes())
}

/// File name AWS CLI v2 uses in `~/.aws/cli/cache` for an sso-session role's credentials:
/// SHA-1 hex of compact, key-sorted JSON `{"accountId":..,"roleName":..,"sessionName":..}`.
pub fn role_cache_file_name(account_id: &str, role_name: &str, session_name: &str) -> String {
    let mut key = std::collections::BTreeMap::new();
    key.insert("accountId", account_id);
    key.insert("roleName", role_name);
    key.insert("sessionName", session_name);
    // Serialising a map of strings cannot fail.
    let json = serde_json::to_string(&key).unwrap_or_default();
    hex_sha1(json.as_bytes())
}

fn hex_sha1(bytes: &[u8]) -> String {
    let digest = Sha1::digest(bytes);
    let mut name = String::with_capacity(45);
    for byte in digest {
        name.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        name.push(char::from_digit(u32::from(byte & 0xf), 16).unwrap_or('0'));
    }
    name.push_str(".json");
    name
}

/// The record written for an sso-session.
#[derive(Clone, PartialEq, Eq)]
pub struct CachedToken {
    pub start_url: String,
    /// `sso_region`; `aws sso logout` calls Logout there.
    pub region: String,
    pub access_token: Secret,
    /// Seconds since the Unix epoch.
    pub expires_at: i64,
    pub client_id: String,
    pub client_secret: Secret,
    pub registration_expires_at: i64,
    pub refresh_token: Option<Secret>,
}

impl std::fmt::Debug for CachedToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedToken")
            .field("start_url", &self.start_url)
            .field("region", &self.region)
            .field("access_token", &"** redacted **")
            .field("expires_at", &format_timestamp(self.expires_at))
            .field("client_id", &self.client_id)
            .field("client_secret", &"** redacted **")
            .field("registration_expires_at", &format_timestamp(self.registration_expires_at))
            .field("refresh_token", &self.refresh_token.as_ref().map(|_| "** redacted **"))
            .finish()
    }
}

/// Key order is the CLI's; `refreshToken` is left out when there is none, as botocore does.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Wire {
    #[serde(default)]
    start_url: Option<String>,
    #[serde(default)]
    region: Option<String>,
    access_token: Secret,
    expires_at: String,
    #[serde(default)]
    client_id: Option<String>,
    #[serde(default)]
    client_secret: Option<Secret>,
    #[serde(default)]
    registration_expires_at: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<Secret>,
}

impl CachedToken {
    /// The file's content (pretty JSON with a final newline).
    pub fn to_json(&self) -> String {
        let wire = Wire {
            start_url: Some(self.start_url.clone()),
            region: Some(self.region.clone()),
            access_token: self.access_token.clone(),
            expires_at: format_timestamp(self.expires_at),
            client_id: Some(self.client_id.clone()),
            client_secret: Some(self.client_secret.clone()),
            registration_expires_at: Some(format_timestamp(self.registration_expires_at)),
            refresh_token: self.refresh_token.clone(),
        };
        // Serialising plain strings cannot fail.
        let mut json = serde_json::to_string_pretty(&wire).unwrap_or_default();
        json.push('\n');
        json
    }
}

/// What `status` needs from a cache file that may have been rewritten by botocore or
/// aws-sdk-rust since we wrote it (fractional seconds, missing optional keys).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSummary {
    pub expires_at: i64,
    /// Refresh token, client id/secret and an unexpired registration are all present: what
    /// botocore and aws-sdk-rust require before they refresh on their own.
    pub refreshable: bool,
}

/// Why a cache file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CacheFileError {
    #[error("cached SSO token file is not valid JSON or lacks `accessToken`/`expiresAt`")]
    Malformed,
    #[error("invalid `{field}` in cached SSO token file: {source}")]
    InvalidTimestamp { field: &'static str, source: TimestampError },
}

/// Reads a cache file's expiry and refreshability (never its secrets into errors).
pub fn summarize(json: &str, now: i64) -> Result<TokenSummary, CacheFileError> {
    let wire: Wire = serde_json::from_str(json).map_err(|_| CacheFileError::Malformed)?;
    let expires_at = parse_timestamp(&wire.expires_at)
        .map_err(|source| CacheFileError::InvalidTimestamp { field: "expiresAt", source })?;
    let registration = match &wire.registration_expires_at {
        Some(s) => Some(
            parse_timestamp(s)
                .map_err(|source| CacheFileError::InvalidTimestamp { field: "registrationExpiresAt", source })?,
        ),
        None => None,
    };
    let refreshable = wire.refresh_token.is_some_and(|t| !t.expose().is_empty())
        && wire.client_id.is_some_and(|c| !c.is_empty())
        && wire.client_secret.is_some_and(|c| !c.expose().is_empty())
        && registration.is_some_and(|r| r > now);
    Ok(TokenSummary { expires_at, refreshable })
}

/// A timestamp that is not `YYYY-MM-DDTHH:MM:SS[.fff]Z`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    #[error("must look like 2026-01-31T12:00:00Z (UTC, ending in Z)")]
    Format,
    #[error("is not a valid date and time")]
    OutOfRange,
}

/// Formats epoch seconds as `YYYY-MM-DDTHH:MM:SSZ` (years 0000–9999; others are clamped).
pub fn format_timestamp(epoch: i64) -> String {
    // 0000-01-01 .. 9999-12-31T23:59:59
    let epoch = epoch.clamp(-62_167_219_200, 253_402_300_799);
    let days = epoch.div_euclid(86_400);
    let secs = epoch.rem_euclid(86_400);
    let (y, m, d) = civil_from_days(days);
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

/// Parses `YYYY-MM-DDTHH:MM:SSZ`, with optional `.fraction` before the `Z` (dropped). Offsets,
/// a space separator and lowercase letters are refused: aws-sdk-rust refuses them too.
pub fn parse_timestamp(s: &str) -> Result<i64, TimestampError> {
    let b = s.as_bytes();
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[b.len() - 1] != b'Z'
    {
        return Err(TimestampError::Format);
    }
    let fraction = &b[19..b.len() - 1];
    if !fraction.is_empty()
        && (fraction[0] != b'.' || fraction.len() < 2 || !fraction[1..].iter().all(u8::is_ascii_digit))
    {
        return Err(TimestampError::Format);
    }
    let num = |range: std::ops::Range<usize>| -> Result<i64, TimestampError> {
        let digits = &b[range];
        if !digits.iter().all(u8::is_ascii_digit) {
            return Err(TimestampError::Format);
        }
        Ok(digits.iter().fold(0i64, |acc, d| acc * 10 + i64::from(d - b'0')))
    };
    let (y, mo, d, h, mi, se) = (num(0..4)?, num(5..7)?, num(8..10)?, num(11..13)?, num(14..16)?, num(17..19)?);
    if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || se > 59 {
        return Err(TimestampError::OutOfRange);
    }
    Ok(days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + se)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's civil calendar algorithms (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { yoe + era * 400 + 1 } else { yoe + era * 400 }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn file_name_is_sha1_of_the_session_name() {
        // Vector from aws-sso-interop.md §4.1 (checked against botocore).
        assert_eq!(cache_file_name("my-sso"), "0ad374308c5a4e22f723adf10145eafad7c4031c.json");
        // Vector from aws-sso-interop.md §5.4 (CLI v2 role-credential cache).
        assert_eq!(
            role_cache_file_name("111122223333", "Admin", "my-sso"),
            "360f093cdc0bddf23eecc38b9cb6222fca5a195a.json"
        );
    }

    #[test]
    fn timestamps_known_values() {
        assert_eq!(format_timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(format_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(format_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(parse_timestamp("2023-11-14T22:13:20Z"), Ok(1_700_000_000));
        assert_eq!(parse_timestamp("2023-11-14T22:13:20.123Z"), Ok(1_700_000_000));
        for bad in [
            "2023-11-14T22:13:20+00:00",
            "2023-11-14 22:13:20Z",
            "2023-11-14T22:13:20",
            "1700000000",
            "2023-11-14T22:13:20.Z",
            "2023-11-14t22:13:20z",
            "2023-1-14T22:13:20Z",
            "+023-11-14T22:13:20Z",
        ] {
            assert_eq!(parse_timestamp(bad), Err(TimestampError::Format), "{bad}");
        }
        for bad in ["2023-02-29T00:00:00Z", "2023-13-01T00:00:00Z", "2023-11-14T24:00:00Z", "2023-11-00T00:00:00Z"] {
            assert_eq!(parse_timestamp(bad), Err(TimestampError::OutOfRange), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn timestamps_round_trip(epoch in -62_167_219_200i64..=253_402_300_799) {
            let text = format_timestamp(epoch);
            prop_assert_eq!(text.len(), 20);
            prop_assert_eq!(parse_timestamp(&text), Ok(epoch));
        }
    }

    fn sample() -> CachedToken {
        CachedToken {
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "us-east-1".into(),
            access_token: Secret::new("aoaAAAAccessSecret"),
            expires_at: 1_700_000_000,
            client_id: "client-123".into(),
            client_secret: Secret::new("ClientSecretValue"),
            registration_expires_at: 1_707_776_000,
            refresh_token: Some(Secret::new("aorRefreshSecret")),
        }
    }

    #[test]
    fn record_has_exact_keys_and_formats() {
        let json = sample().to_json();
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        let keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = [
            "startUrl",
            "region",
            "accessToken",
            "expiresAt",
            "clientId",
            "clientSecret",
            "registrationExpiresAt",
            "refreshToken",
        ];
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(value["expiresAt"], "2023-11-14T22:13:20Z");
        assert_eq!(value["registrationExpiresAt"], "2024-02-12T22:13:20Z");
        assert_eq!(value["accessToken"], "aoaAAAAccessSecret");

        let mut no_refresh = sample();
        no_refresh.refresh_token = None;
        assert!(!no_refresh.to_json().contains("refreshToken"));
    }

    #[test]
    fn debug_redacts_every_secret() {
        let text = format!("{:?}", sample());
        for secret in ["aoaAAAAccessSecret", "ClientSecretValue", "aorRefreshSecret"] {
            assert!(!text.contains(secret), "{text}");
        }
        assert!(text.contains("client-123"));
    }

    #[test]
    fn summary_reads_files_other_clients_rewrote() {
        let now = 1_700_000_000 - 60;
        assert_eq!(
            summarize(&sample().to_json(), now),
            Ok(TokenSummary { expires_at: 1_700_000_000, refreshable: true })
        );
        // aws-sdk-rust may write fractional seconds; botocore drops refreshToken when none came back.
        let rust = r#"{"accessToken":"a","expiresAt":"2023-11-14T22:13:20.5Z","clientId":"c","clientSecret":"s","registrationExpiresAt":"2024-02-12T22:13:20Z","region":"us-east-1","startUrl":"u"}"#;
        assert_eq!(summarize(rust, now), Ok(TokenSummary { expires_at: 1_700_000_000, refreshable: false }));
        let expired_registration = sample().to_json();
        assert_eq!(summarize(&expired_registration, 1_800_000_000).map(|s| s.refreshable), Ok(false));
        assert_eq!(summarize("{}", now), Err(CacheFileError::Malformed));
        let bad = r#"{"accessToken":"a","expiresAt":"2023-11-14T22:13:20+00:00"}"#;
        assert!(matches!(summarize(bad, now), Err(CacheFileError::InvalidTimestamp { field: "expiresAt", .. })));
    }
}
