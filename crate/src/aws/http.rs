//! The transport boundary: plain request/response values and the [`Platform`] trait the flows are
//! written against. The wasm layer implements it with `fetch` and timers, host tests with reqwest
//! and tokio, unit tests with a scripted fake. Nothing in the core does I/O by itself.

use serde::de::DeserializeOwned;

use crate::error::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// One HTTP request. `Debug` shows only the method, URL and header names: bodies and the bearer
/// header carry secrets.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<String>,
}

impl HttpRequest {
    pub fn get(url: impl Into<String>) -> Self {
        HttpRequest { method: Method::Get, url: url.into(), headers: Vec::new(), body: None }
    }

    /// A rest-json POST, as the OIDC operations are sent.
    pub fn post_json(url: impl Into<String>, body: &impl serde::Serialize) -> Self {
        HttpRequest {
            method: Method::Post,
            url: url.into(),
            headers: vec![("content-type".into(), "application/json".into())],
            // Serialising plain structs of strings cannot fail; an empty body would be refused
            // by the service, never sent silently wrong.
            body: Some(serde_json::to_string(body).unwrap_or_default()),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("headers", &names)
            .field("body", &self.body.as_ref().map(|b| format!("<{} bytes>", b.len())))
            .finish()
    }
}

/// One HTTP response; the body is text because every API here speaks JSON.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl HttpResponse {
    /// The first header of that name, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        find_header(&self.headers, name)
    }
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("body", &format!("<{} bytes>", self.body.len()))
            .finish()
    }
}

fn find_header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
}

/// The request never got an HTTP response (DNS, connection, CORS, aborted fetch...).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct TransportError(pub String);

/// What the flows need from the outside world.
///
/// Futures are not `Send`: wasm futures never are, and host tests run a current-thread runtime.
#[allow(async_fn_in_trait)] // deliberately no Send bound, see above
pub trait Platform {
    /// Sends one request and returns whatever HTTP response came back (any status).
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError>;
    /// Waits `ms` milliseconds.
    async fn sleep(&self, ms: u64);
    /// Waits `ms` milliseconds to the platform's finest timer, never less. The pacing's waits
    /// are fractions: rounded up to whole ms and then to a timer's 1 ms tick they came out up to
    /// 2 ms long.
    async fn sleep_precise(&self, ms: f64) {
        self.sleep(ms.max(0.0).ceil() as u64).await
    }
    /// Milliseconds since the Unix epoch.
    fn now_ms(&self) -> u64;
    /// [`Self::now_ms`] with the platform's finest precision (the browser's `performance` clock,
    /// the system clock natively). Pacing calls to a strict rate limit needs it: with whole
    /// milliseconds every gap came out ~2 ms longer than the interval asked for (rounded up to be
    /// safe, then the timer's own lateness), 4 % of the throughput at 20 calls/s.
    fn precise_now_ms(&self) -> f64 {
        self.now_ms() as f64
    }
    /// Fills `buf` from a cryptographically secure source (PKCE verifier, `state`, jitter).
    fn random_bytes(&self, buf: &mut [u8]);
}

/// Sends a request and decodes a 2xx JSON body; any other status becomes a classified [`Error`].
pub(crate) async fn send_json<P: Platform, T: DeserializeOwned>(
    platform: &P,
    request: HttpRequest,
) -> Result<T, Error> {
    let response = platform.send(request).await.map_err(|e| Error::Network(e.0))?;
    if !(200..300).contains(&response.status) {
        return Err(Error::from_response(&response));
    }
    serde_json::from_str(&response.body).map_err(|e| decode_error(response.status, &e))
}

/// A decode error that never quotes the body: serde's "invalid type" messages can echo a value,
/// and a value here may be a token.
pub(crate) fn decode_error(status: u16, e: &serde_json::Error) -> Error {
    let text = e.to_string();
    let detail = if text.starts_with("missing field") {
        text
    } else {
        format!("{:?} error at line {} column {}", e.classify(), e.line(), e.column())
    };
    Error::InvalidResponse(format!("HTTP {status}: {detail}"))
}

/// A random u64 from the platform, for jitter.
pub(crate) fn random_u64<P: Platform>(platform: &P) -> u64 {
    let mut buf = [0u8; 8];
    platform.random_bytes(&mut buf);
    u64::from_le_bytes(buf)
}

/// RFC 3986 unreserved characters stay; everything else is percent-encoded (as botocore and
/// the CLI encode query values).
const QUERY_VALUE: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// `base?k1=v1&k2=v2` with every key and value percent-encoded.
pub fn url_with_query(base: &str, params: &[(&str, &str)]) -> String {
    let mut url = base.to_string();
    for (i, (k, v)) in params.iter().enumerate() {
        url.push(if i == 0 { '?' } else { '&' });
        url.extend(percent_encoding::utf8_percent_encode(k, QUERY_VALUE));
        url.push('=');
        url.extend(percent_encoding::utf8_percent_encode(v, QUERY_VALUE));
    }
    url
}

/// The decoded `key=value` pairs of a URL's query (`+` means space, as in forms).
pub fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = match url.split_once('?') {
        Some((_, q)) => q.split('#').next().unwrap_or(""),
        None => return Vec::new(),
    };
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_encoding::percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_round_trip() {
        let url = url_with_query(
            "http://h/p",
            &[("redirect_uri", "http://127.0.0.1:54321/oauth/callback"), ("scopes", "sso:account:access a")],
        );
        assert_eq!(url, "http://h/p?redirect_uri=http%3A%2F%2F127.0.0.1%3A54321%2Foauth%2Fcallback&scopes=sso%3Aaccount%3Aaccess%20a");
        assert_eq!(
            query_pairs(&url),
            vec![
                ("redirect_uri".into(), "http://127.0.0.1:54321/oauth/callback".into()),
                ("scopes".into(), "sso:account:access a".into())
            ]
        );
        assert!(query_pairs("http://h/p").is_empty());
    }

    #[test]
    fn debug_hides_bodies_and_header_values() {
        let r = HttpRequest::post_json("http://h/token", &serde_json::json!({"refreshToken": "sekrit"}))
            .with_header("x-amz-sso_bearer_token", "tok3n");
        let d = format!("{r:?}");
        assert!(!d.contains("sekrit") && !d.contains("tok3n"), "{d}");
    }
}
