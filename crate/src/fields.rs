//! One validator per field that a person, a page or a request can set: region, start URL,
//! endpoint base URL, portal origin, output format, session and profile names, account id, role
//! name. Setup, the options, the endpoints and the host's protocol validation all call these, so
//! no two copies of a rule can disagree (issue 9).
//!
//! Every validator takes the field's path (`params.startUrl`, `portalDomains[0].origin`) and
//! answers a [`FieldError`] whose reason never repeats the value: a value may be a token pasted
//! into the wrong box, or attacker-controlled text headed for a log line.

use crate::endpoints::partition_of;
use crate::names::{check_name, NameError};

/// A field that failed validation: its path and a sentence saying what is expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{field}` {reason}")]
pub struct FieldError {
    pub field: String,
    pub reason: String,
}

pub(crate) fn fail(field: impl Into<String>, reason: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), reason: reason.into() }
}

impl From<FieldError> for crate::error::Error {
    fn from(e: FieldError) -> Self {
        crate::error::Error::InvalidInput { field: e.field, reason: e.reason }
    }
}

/// Longest URL accepted (start URLs, endpoint overrides, origins).
pub const MAX_URL_LEN: usize = 2048;

/// The `output` values the AWS CLI accepts.
pub const OUTPUT_FORMATS: [&str; 5] = ["json", "yaml", "yaml-stream", "text", "table"];

/// The only hosts plain `http://` may name: the emulator and private test setups on this machine.
/// Compared with the whole host, never as a prefix (`127.0.0.1.evil.com` is not loopback).
const LOOPBACK_HOSTS: [&str; 3] = ["127.0.0.1", "localhost", "[::1]"];

/// An IAM Identity Center (or client) region: one the core can place in a partition.
pub fn region(field: &str, value: &str) -> Result<(), FieldError> {
    partition_of(value).map(|_| ()).map_err(|_| fail(field, "is not an AWS region such as us-east-1"))
}

/// An access-portal start URL: `https://HOST[:PORT][/path][?query][#fragment]`, or `http://`
/// to an exact loopback host. No credentials, whitespace or control characters: aws-sdk-rust
/// cuts a value at ` #`/` ;` (an inline comment) and botocore does not, so without whitespace
/// both read the same URL, including a portal URL copied with its `#/` fragment.
pub fn start_url(field: &str, value: &str) -> Result<(), FieldError> {
    parse_url(field, value).map(|_| ())
}

/// An endpoint override (OIDC or portal API): like [`start_url`] but without query or fragment.
/// Returns the URL without its trailing `/`, the form paths are appended to.
pub fn base_url(field: &str, value: &str) -> Result<String, FieldError> {
    let url = parse_url(field, value)?;
    if url.rest.contains(['?', '#']) {
        return Err(fail(field, "must be a plain base URL (no query or fragment)"));
    }
    Ok(value.trim_end_matches('/').to_string())
}

/// A custom portal domain's origin: `https://HOST[:PORT]`, optionally `https://*.DOMAIN` for
/// every subdomain, or a loopback `http://` origin; no path (a trailing `/` is tolerated).
pub fn origin(field: &str, value: &str) -> Result<(), FieldError> {
    const EXPECTED: &str = "must be an origin such as https://sso.example.com (no path)";
    let wildcard = value.split_once("://").is_some_and(|(_, rest)| rest.starts_with("*."));
    let plain = if wildcard { value.replacen("://*.", "://", 1) } else { value.to_string() };
    let url = parse_url(field, &plain)?;
    if !url.rest.is_empty() && url.rest != "/" {
        return Err(fail(field, EXPECTED));
    }
    if wildcard && (!url.https || !url.host.contains('.') || url.host.starts_with('[')) {
        return Err(fail(field, "may use `*.` only before an https domain such as *.example.com"));
    }
    Ok(())
}

/// What a person typed for a custom portal domain (`sso.example.com`,
/// `https://sso.example.com/start`, `http://127.0.0.1:4000`, `*.example.com`) as the origin the
/// settings keep: `https://` when no scheme is given, scheme and host lower-cased, the default
/// port, path, query and fragment dropped; then checked by [`origin`]. A host without a dot
/// (other than `localhost`) is refused: it is a typo, not a portal.
pub fn normalize_origin(field: &str, input: &str) -> Result<String, FieldError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(fail(field, "is empty; enter a domain such as sso.example.com"));
    }
    let (scheme, rest) = match text.split_once("://") {
        Some((scheme, rest)) => (scheme.to_ascii_lowercase(), rest),
        None => ("https".to_string(), text),
    };
    if scheme != "https" && scheme != "http" {
        return Err(fail(field, "must be an http or https domain"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("").to_ascii_lowercase();
    let (wildcard, authority) = match authority.strip_prefix("*.") {
        Some(a) => ("*.", a.to_string()),
        None => ("", authority),
    };
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let authority = authority.strip_suffix(default_port).unwrap_or(&authority);
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    if !host.contains('.') && host != "localhost" && !host.starts_with('[') {
        return Err(fail(field, "is not a domain: enter a host name such as sso.example.com"));
    }
    let normalized = format!("{scheme}://{wildcard}{authority}");
    origin(field, &normalized)?;
    Ok(normalized)
}

/// The browser match pattern that grants an origin checked by [`origin`]:
/// `https://sso.example.com/*`, `https://*.example.com/*`. Match patterns have no port, so
/// `http://127.0.0.1:4000` gives `http://127.0.0.1/*`.
pub fn match_pattern(field: &str, value: &str) -> Result<String, FieldError> {
    origin(field, value)?;
    let (scheme, rest) = value.split_once("://").ok_or_else(|| fail(field, "is not an origin"))?;
    let authority = rest.trim_end_matches('/');
    let host = if authority.starts_with('[') {
        authority.split_inclusive(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    Ok(format!("{scheme}://{host}/*"))
}

/// An `output` format the AWS CLI accepts.
pub fn output(field: &str, value: &str) -> Result<(), FieldError> {
    if OUTPUT_FORMATS.contains(&value) {
        Ok(())
    } else {
        Err(fail(field, format!("must be one of {}", OUTPUT_FORMATS.join(", "))))
    }
}

/// An sso-session name (the `[sso-session NAME]` header).
pub fn session_name(field: &str, value: &str) -> Result<(), FieldError> {
    name(field, value)
}

/// A profile name (the `[profile NAME]` header).
pub fn profile_name(field: &str, value: &str) -> Result<(), FieldError> {
    name(field, value)
}

fn name(field: &str, value: &str) -> Result<(), FieldError> {
    check_name(value).map_err(|e| match e {
        // The offending character stays out of the reason, like every other part of a value.
        NameError::BadChar(_) => fail(field, "may contain only letters, digits, '-', '_', '.', '@' and '+'"),
        other => fail(field, other.to_string()),
    })
}

/// Exactly 12 ASCII digits.
pub fn account_id(field: &str, value: &str) -> Result<(), FieldError> {
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(fail(field, "must be exactly 12 digits"))
    }
}

/// IAM role names: 1–64 of `[A-Za-z0-9+=,.@_-]`. None of them can end a line, start a comment
/// (`#`/`;` need a preceding space in aws-sdk-rust) or a section.
pub fn role_name(field: &str, value: &str) -> Result<(), FieldError> {
    let ok_char = |c: char| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c);
    if value.is_empty() || value.len() > 64 || !value.chars().all(ok_char) {
        return Err(fail(field, "must be 1 to 64 of letters, digits and + = , . @ _ -"));
    }
    Ok(())
}

/// Whether two start URLs name the same portal: equal up to the case of the scheme and host, a
/// trailing `/` and a `#` fragment (a portal URL is often copied as `.../start/#/`).
pub fn same_start_url(a: &str, b: &str) -> bool {
    fn key(url: &str) -> String {
        let url = url.split('#').next().unwrap_or("").trim_end_matches('/');
        let split = url.find("://").map_or(0, |at| at + 3);
        let end = url[split..].find(['/', '?']).map_or(url.len(), |at| split + at);
        format!("{}{}", url[..end].to_ascii_lowercase(), &url[end..])
    }
    key(a) == key(b)
}

/// The parts of a URL the rules look at.
struct Url<'a> {
    https: bool,
    /// Lower-case not applied; IPv6 literals keep their brackets.
    host: &'a str,
    /// Everything after the authority: path, query, fragment (may be empty).
    rest: &'a str,
}

/// The one URL reader behind every rule above: scheme, then an authority that is exactly
/// `host[:port]` (no `user@`), with http allowed only for an exact loopback host.
fn parse_url<'a>(field: &str, value: &'a str) -> Result<Url<'a>, FieldError> {
    if value.len() > MAX_URL_LEN {
        return Err(fail(field, format!("is longer than {MAX_URL_LEN} characters")));
    }
    if value.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(fail(field, "contains whitespace or control characters"));
    }
    let (https, after) = if let Some(r) = value.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = value.strip_prefix("http://") {
        (false, r)
    } else {
        return Err(fail(field, "must be an https:// URL"));
    };
    let end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let (authority, rest) = after.split_at(end);
    if authority.contains('@') {
        return Err(fail(field, "must not carry a user name or password"));
    }
    let (host, port) = match authority.strip_prefix('[') {
        Some(v6) => {
            let close = v6.find(']').ok_or_else(|| fail(field, "has an unterminated IPv6 address"))?;
            let ok =
                !v6[..close].is_empty() && v6[..close].chars().all(|c| c.is_ascii_hexdigit() || c == ':' || c == '.');
            if !ok {
                return Err(fail(field, "has an invalid IPv6 address"));
            }
            (&authority[..close + 2], &v6[close + 1..])
        }
        None => {
            let at = authority.find(':').unwrap_or(authority.len());
            let host = &authority[..at];
            let ok_char = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '.';
            if host.is_empty() || !host.chars().all(ok_char) || host.starts_with('.') || host.contains("..") {
                return Err(fail(field, "has no valid host name (letters, digits, '-' and '.')"));
            }
            (host, &authority[at..])
        }
    };
    if !port.is_empty() {
        let digits = port.strip_prefix(':').unwrap_or("x");
        if digits.is_empty()
            || digits.len() > 5
            || !digits.bytes().all(|b| b.is_ascii_digit())
            || digits.parse::<u32>().map_or(true, |p| p > 65535)
        {
            return Err(fail(field, "has an invalid port"));
        }
    }
    if !https && !LOOPBACK_HOSTS.iter().any(|h| h.eq_ignore_ascii_case(host)) {
        return Err(fail(field, "must use https (plain http only to 127.0.0.1, localhost or [::1])"));
    }
    Ok(Url { https, host, rest })
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE_URLS: [&str; 14] = [
        "http://127.0.0.1.evil.com/start",
        "http://localhost.evil.example/start",
        "http://evil.example",
        "http://127.0.0.1@evil.com/",
        "https://user:pw@d-1.awsapps.com/start",
        "http://127.0.0.1\\@evil.com/",
        "http://[::1].evil.com/",
        "https://a b.example/",
        "https://x.example/\n[profile p]",
        "https://x.example/ #frag",
        "javascript:alert(1)",
        "ftp://x.example",
        "https://",
        "https://%65vil.example/",
    ];

    #[test]
    fn regions_delegate_to_the_partition_rules() {
        for ok in ["us-east-1", "us-gov-west-1", "cn-north-1", "ap-southeast-4", "eu-central-2"] {
            assert_eq!(region("r", ok), Ok(()), "{ok}");
        }
        for bad in [
            "us-east-123",
            "us-east-9x",
            "",
            "us-east",
            "US-east-1",
            "us-east-1 ",
            "us--1",
            "us-east-1\n[x]",
            "u-east-1",
            "us-iso-east-1",
        ] {
            assert_eq!(region("params.region", bad).unwrap_err().field, "params.region", "{bad:?}");
        }
    }

    #[test]
    fn start_urls_allow_http_only_for_an_exact_loopback_host() {
        for ok in [
            "https://d-1234567890.awsapps.com/start",
            "https://d-1234567890.awsapps.com/start/#/",
            "https://ssoins-1.portal.eu-west-1.app.aws",
            "http://127.0.0.1:8080/start",
            "http://localhost/x",
            "http://LOCALHOST:1/",
            "http://[::1]:4000/start",
        ] {
            assert_eq!(start_url("u", ok), Ok(()), "{ok}");
        }
        for bad in HOSTILE_URLS.iter().copied().chain([
            "http://127.0.0.1:/",
            "http://127.0.0.1:99999/",
            &format!("https://x.example/{}", "a".repeat(MAX_URL_LEN)),
        ]) {
            assert!(start_url("u", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn base_urls_are_plain_and_trimmed() {
        assert_eq!(base_url("e", "http://127.0.0.1:9/").unwrap(), "http://127.0.0.1:9");
        assert_eq!(
            base_url("e", "https://oidc.eu-west-1.amazonaws.com").unwrap(),
            "https://oidc.eu-west-1.amazonaws.com"
        );
        assert_eq!(base_url("e", "https://proxy.example/oidc/").unwrap(), "https://proxy.example/oidc");
        for bad in HOSTILE_URLS.iter().copied().chain(["https://x.example?y", "https://x.example/#f"]) {
            assert!(base_url("e", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn origins_have_no_path() {
        for ok in [
            "https://sso.example.com",
            "https://sso.example.com/",
            "https://*.example.com",
            "http://127.0.0.1:4567",
            "https://sso.example.com:8443",
        ] {
            assert_eq!(origin("o", ok), Ok(()), "{ok}");
        }
        for bad in HOSTILE_URLS.iter().copied().chain([
            "https://sso.example.com/start",
            "https://sso.example.com?x",
            "https://*.com",
            "http://*.localhost",
            "https://*.*.example.com",
            "https://sso.*.example.com",
        ]) {
            assert!(origin("o", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn typed_domains_become_origins() {
        for (typed, want) in [
            ("sso.example.com", "https://sso.example.com"),
            ("  https://SSO.Example.com/start#/  ", "https://sso.example.com"),
            ("https://sso.example.com:443/", "https://sso.example.com"),
            ("https://sso.example.com:8443/x", "https://sso.example.com:8443"),
            ("http://127.0.0.1:4000", "http://127.0.0.1:4000"),
            ("HTTP://localhost:80/start", "http://localhost"),
            ("*.example.com", "https://*.example.com"),
            ("http://[::1]:4000/", "http://[::1]:4000"),
        ] {
            assert_eq!(normalize_origin("domain", typed).as_deref(), Ok(want), "{typed:?}");
        }
        for bad in [
            "",
            "   ",
            "intranet",
            "ftp://sso.example.com",
            "javascript:alert(1)",
            "http://sso.example.com",
            "http://127.0.0.1.evil.com",
            "https://user@sso.example.com",
            "*.com",
            "http://*.example.com",
            "sso.example.com:99999",
            "bad host.example.com",
        ] {
            assert_eq!(normalize_origin("domain", bad).unwrap_err().field, "domain", "{bad:?}");
        }
    }

    #[test]
    fn match_patterns_drop_the_port() {
        for (origin, want) in [
            ("https://sso.example.com", "https://sso.example.com/*"),
            ("https://sso.example.com:8443/", "https://sso.example.com/*"),
            ("https://*.example.com", "https://*.example.com/*"),
            ("http://127.0.0.1:4000", "http://127.0.0.1/*"),
            ("http://[::1]:4000", "http://[::1]/*"),
        ] {
            assert_eq!(match_pattern("origin", origin).as_deref(), Ok(want), "{origin}");
        }
        for bad in ["https://sso.example.com/start", "http://evil.example", "sso.example.com", ""] {
            assert!(match_pattern("origin", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn same_start_url_ignores_only_case_slash_and_fragment() {
        assert!(same_start_url("https://d-1.awsapps.com/start", "https://D-1.awsapps.com/start/#/"));
        assert!(same_start_url("http://127.0.0.1:9/start", "http://127.0.0.1:9/start/"));
        assert!(!same_start_url("https://d-1.awsapps.com/start", "https://d-2.awsapps.com/start"));
        assert!(!same_start_url("https://d-1.awsapps.com/start", "https://d-1.awsapps.com/START"));
        assert!(!same_start_url("https://d-1.awsapps.com/start", "https://d-1.awsapps.com/start/x"));
    }

    #[test]
    fn outputs_names_accounts_roles() {
        assert!(output("o", "yaml-stream").is_ok());
        assert!(output("o", "xml").is_err());
        assert!(output("o", "").is_err());
        assert!(session_name("s", "corp").is_ok());
        assert!(session_name("s", "co]rp").is_err());
        assert!(profile_name("p", "prod.Admin").is_ok());
        assert!(profile_name("p", "a b").is_err());
        assert!(account_id("a", "111122223333").is_ok());
        for bad in ["11112222333", "1111222233334", "11112222333x", "１１１１２２２２３３３３", ""] {
            assert!(account_id("a", bad).is_err(), "{bad:?}");
        }
        for ok in ["AdministratorAccess", "a+b=c,d.e@f_g-h"] {
            assert!(role_name("r", ok).is_ok());
        }
        for bad in ["", "a b", "a;b", "a#b", "a]b", "a\nb", &"x".repeat(65)] {
            assert!(role_name("r", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn reasons_never_repeat_the_value() {
        let secret = "LEAKED_TOKEN_PART";
        for err in [
            region("f", secret).unwrap_err(),
            start_url("f", &format!("http://{secret}.example/")).unwrap_err(),
            start_url("f", &format!("https://{secret}@x.example/")).unwrap_err(),
            base_url("f", &format!("https://x.example/?{secret}")).unwrap_err(),
            origin("f", &format!("https://x.example/{secret}")).unwrap_err(),
            output("f", secret).unwrap_err(),
            account_id("f", secret).unwrap_err(),
            role_name("f", &format!("{secret} ")).unwrap_err(),
        ] {
            assert!(!err.to_string().contains(secret), "{err}");
            assert_eq!(err.field, "f");
        }
    }
}
