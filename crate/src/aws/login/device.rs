//! The device-code login as a resumable state machine.
//!
//! The extension's service worker owns the loop: it calls [`step`] and persists each state it gets
//! back (JSON, in `chrome.storage.session`). If the worker is stopped, it reloads the last state
//! and calls [`step`] again; a `waitingForUser` state carries the device code, so polling goes on
//! where it stopped. [`run`] is the same loop for callers that hold the whole login in one future.
//!
//! Registering → (RegisterClient or reuse, StartDeviceAuthorization, one immediate CreateToken)
//! → WaitingForUser → (CreateToken every `interval`; +5 s per `slow_down`) → Done | Failed.

use serde::{Deserialize, Serialize};

use crate::endpoints::{device_page_host, signin_host, Endpoints};
use crate::error::Error;
use crate::http::Platform;
use crate::login::{ensure_registration, Flow, LoginResult, Registration, SessionConfig};
use crate::oidc::{self, Grant};
use crate::secret::Secret;

/// RFC 8628 §3.5: the poll interval when the service names none, and the `slow_down` increment.
pub const DEFAULT_INTERVAL_SECS: u64 = 5;
pub const SLOW_DOWN_STEP_SECS: u64 = 5;
/// Network errors, throttling and 5xx while polling are retried this many times in a row.
pub const MAX_TRANSIENT_POLL_FAILURES: u32 = 5;

/// Where a device login stands. Serialised with a `state` tag (`registering`, `waitingForUser`,
/// `done`, `failed`) and camelCase fields, so the extension can store it and show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(tag = "state", rename_all = "camelCase", try_from = "wire::StateWire")]
#[allow(clippy::large_enum_variant)] // one value per login, moved a handful of times
pub enum DeviceLoginState {
    /// Not started yet; the next step registers (or reuses `registration`) and starts.
    #[serde(rename_all = "camelCase")]
    Registering {
        session: SessionConfig,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registration: Option<Registration>,
    },
    /// The person has to approve `user_code` at `verification_uri_complete`.
    WaitingForUser(Box<WaitingForUser>),
    Done(Box<LoginResult>),
    Failed {
        code: String,
        message: String,
    },
}

/// A device authorization waiting for approval, with everything needed to keep polling.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WaitingForUser {
    pub session: SessionConfig,
    pub registration: Registration,
    /// True when `registration` is new and should be stored for the next login.
    pub new_registration: bool,
    pub device_code: Secret,
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: String,
    /// Epoch ms after which the device code is dead.
    pub expires_at_ms: u64,
    pub interval_secs: u64,
    /// Epoch ms of the next CreateToken; [`step`] waits until then.
    pub next_poll_at_ms: u64,
    #[serde(default)]
    pub transient_failures: u32,
}

impl DeviceLoginState {
    /// A login about to start; pass the stored registration of this session, if any.
    pub fn new(session: SessionConfig, registration: Option<Registration>) -> Self {
        DeviceLoginState::Registering { session, registration }
    }

    /// `done` or `failed`: stepping further does nothing.
    pub fn is_terminal(&self) -> bool {
        matches!(self, DeviceLoginState::Done(_) | DeviceLoginState::Failed { .. })
    }

    fn failed(e: &Error) -> Self {
        DeviceLoginState::Failed { code: e.code().to_string(), message: e.to_string() }
    }
}

/// Deserialisation through a flat struct instead of serde's internally-tagged enum support,
/// which buffers the input and costs ~15 KB of gzipped wasm. The JSON shape is the same.
mod wire {
    use serde::Deserialize;

    use super::{DeviceLoginState, WaitingForUser};
    use crate::login::{LoginResult, Registration, SessionConfig, Token};
    use crate::secret::Secret;

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    enum Kind {
        Registering,
        WaitingForUser,
        Done,
        Failed,
    }

    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase", deny_unknown_fields)]
    pub struct StateWire {
        state: Kind,
        session: Option<SessionConfig>,
        registration: Option<Registration>,
        new_registration: Option<bool>,
        device_code: Option<Secret>,
        user_code: Option<String>,
        verification_uri: Option<String>,
        verification_uri_complete: Option<String>,
        expires_at_ms: Option<u64>,
        interval_secs: Option<u64>,
        next_poll_at_ms: Option<u64>,
        transient_failures: Option<u32>,
        token: Option<Token>,
        code: Option<String>,
        message: Option<String>,
    }

    fn need<T>(v: Option<T>, field: &str) -> Result<T, String> {
        v.ok_or_else(|| format!("missing field `{field}`"))
    }

    impl TryFrom<StateWire> for DeviceLoginState {
        type Error = String;

        fn try_from(w: StateWire) -> Result<Self, String> {
            Ok(match w.state {
                Kind::Registering => {
                    DeviceLoginState::Registering { session: need(w.session, "session")?, registration: w.registration }
                }
                Kind::WaitingForUser => DeviceLoginState::WaitingForUser(Box::new(WaitingForUser {
                    session: need(w.session, "session")?,
                    registration: need(w.registration, "registration")?,
                    new_registration: w.new_registration.unwrap_or(false),
                    device_code: need(w.device_code, "deviceCode")?,
                    user_code: need(w.user_code, "userCode")?,
                    verification_uri: need(w.verification_uri, "verificationUri")?,
                    verification_uri_complete: need(w.verification_uri_complete, "verificationUriComplete")?,
                    expires_at_ms: need(w.expires_at_ms, "expiresAtMs")?,
                    interval_secs: need(w.interval_secs, "intervalSecs")?,
                    next_poll_at_ms: need(w.next_poll_at_ms, "nextPollAtMs")?,
                    transient_failures: w.transient_failures.unwrap_or(0),
                })),
                Kind::Done => DeviceLoginState::Done(Box::new(LoginResult {
                    session: need(w.session, "session")?,
                    registration: need(w.registration, "registration")?,
                    token: need(w.token, "token")?,
                })),
                Kind::Failed => {
                    DeviceLoginState::Failed { code: need(w.code, "code")?, message: w.message.unwrap_or_default() }
                }
            })
        }
    }
}

/// Cancels a login: any state but `done` becomes `failed` with code `cancelled`.
pub fn cancel(state: DeviceLoginState) -> DeviceLoginState {
    match state {
        DeviceLoginState::Done(_) | DeviceLoginState::Failed { .. } => state,
        _ => DeviceLoginState::failed(&Error::Cancelled),
    }
}

/// Advances the login by one step (see the module docs). Never fails: a failure is the `failed`
/// state with a stable code. A terminal state is returned unchanged.
pub async fn step<P: Platform>(platform: &P, state: DeviceLoginState) -> DeviceLoginState {
    match advance(platform, state).await {
        Ok(next) => next,
        Err(e) => DeviceLoginState::failed(&e),
    }
}

/// Runs the login to the end. `on_state` sees every state and returns `false` to cancel.
pub async fn run<P: Platform>(
    platform: &P,
    mut state: DeviceLoginState,
    mut on_state: impl FnMut(&DeviceLoginState) -> bool,
) -> Result<LoginResult, Error> {
    loop {
        match state {
            DeviceLoginState::Done(result) => return Ok(*result),
            DeviceLoginState::Failed { code, message } => return Err(Error::from_code(&code, &message)),
            _ => {}
        }
        state = advance(platform, state).await?;
        if !on_state(&state) && !state.is_terminal() {
            return Err(Error::Cancelled);
        }
    }
}

async fn advance<P: Platform>(platform: &P, state: DeviceLoginState) -> Result<DeviceLoginState, Error> {
    match state {
        DeviceLoginState::Registering { session, registration } => start(platform, session, registration).await,
        DeviceLoginState::WaitingForUser(waiting) => poll(platform, *waiting).await,
        terminal => Ok(terminal),
    }
}

async fn start<P: Platform>(
    platform: &P,
    session: SessionConfig,
    stored: Option<Registration>,
) -> Result<DeviceLoginState, Error> {
    let endpoints = session.validate()?;
    let (mut registration, mut reused) =
        ensure_registration(platform, &endpoints, &session, Flow::Device, stored).await?;
    let authorization =
        match oidc::start_device_authorization(platform, &endpoints, &registration, &session.start_url).await {
            // A stored registration the service no longer knows: register once more, then retry.
            Err(Error::InvalidClient(_)) if reused => {
                registration = oidc::register_client(platform, &endpoints, &session, Flow::Device).await?;
                reused = false;
                oidc::start_device_authorization(platform, &endpoints, &registration, &session.start_url).await?
            }
            other => other?,
        };
    let verification_uri_complete =
        authorization.verification_uri_complete.unwrap_or_else(|| authorization.verification_uri.clone());
    // The link is opened in a tab for the person to approve in: a service that answered with
    // somewhere else must not send them there.
    if !verification_uri_is_expected(&verification_uri_complete, &session) {
        return Err(Error::UntrustedVerificationUri);
    }
    let now = platform.now_ms();
    let interval_secs = authorization.interval.filter(|i| *i > 0).unwrap_or(DEFAULT_INTERVAL_SECS);
    let waiting = WaitingForUser {
        verification_uri_complete,
        session,
        registration,
        new_registration: !reused,
        device_code: authorization.device_code,
        user_code: authorization.user_code,
        verification_uri: authorization.verification_uri,
        expires_at_ms: now.saturating_add(authorization.expires_in.saturating_mul(1000)),
        interval_secs,
        next_poll_at_ms: now,
        transient_failures: 0,
    };
    // One immediate attempt, as the CLI does: a pre-authorized client gets its token at once.
    try_token(platform, &endpoints, waiting).await
}

/// Whether a device-verification link may be opened for this login: `https` on one of the hosts
/// the session's partition serves device pages from (`device.sso.REGION.amazonaws.com[.cn]`,
/// `REGION.signin.aws`), on the portal's own origin (its `#/device` route), or on the origin of the
/// configured endpoint override (test and private setups, which serve their own pages). No
/// credentials, explicit ports (except the override's own), backslashes, spaces or control
/// characters.
pub fn verification_uri_is_expected(uri: &str, session: &SessionConfig) -> bool {
    let Some(origin) = origin_of(uri) else { return false };
    if let Some(e) = &session.endpoints {
        if [&e.oidc, &e.portal].into_iter().any(|base| origin_of(base).as_ref() == Some(&origin)) {
            return true;
        }
    }
    if origin.scheme != "https" || origin.port.is_some() {
        return false;
    }
    if origin_of(&session.start_url).is_some_and(|portal| portal.scheme == "https" && portal == origin) {
        return true;
    }
    // The same hosts the manifest's device-guard matches are generated from.
    device_page_host(&session.region).is_ok_and(|h| origin.host == h)
        || signin_host(&session.region).is_ok_and(|h| h.is_some_and(|h| origin.host == h))
}

/// Scheme, lower-cased host and explicit port of an absolute http(s) URL; `None` for anything
/// else or anything that parses differently in different URL parsers.
#[derive(Debug, PartialEq, Eq)]
struct Origin {
    scheme: &'static str,
    host: String,
    port: Option<String>,
}

fn origin_of(url: &str) -> Option<Origin> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return None;
    }
    let (scheme, rest) =
        if let Some(r) = url.strip_prefix("https://") { ("https", r) } else { ("http", url.strip_prefix("http://")?) };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    if authority.contains('@') {
        return None;
    }
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()) => (h, Some(p.to_string())),
        Some(_) => return None,
        None => (authority, None),
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let valid = !host.is_empty() && host.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.');
    valid.then_some(Origin { scheme, host, port })
}

async fn poll<P: Platform>(platform: &P, waiting: WaitingForUser) -> Result<DeviceLoginState, Error> {
    let endpoints = waiting.session.validate()?;
    let now = platform.now_ms();
    if now < waiting.next_poll_at_ms {
        platform.sleep(waiting.next_poll_at_ms - now).await;
    }
    try_token(platform, &endpoints, waiting).await
}

async fn try_token<P: Platform>(
    platform: &P,
    endpoints: &Endpoints,
    mut waiting: WaitingForUser,
) -> Result<DeviceLoginState, Error> {
    if platform.now_ms() >= waiting.expires_at_ms {
        return Err(Error::ExpiredToken);
    }
    let result =
        oidc::create_token(platform, endpoints, &waiting.registration, &Grant::DeviceCode(&waiting.device_code)).await;
    match result {
        Ok(token) => {
            return Ok(DeviceLoginState::Done(Box::new(LoginResult {
                session: waiting.session,
                registration: waiting.registration,
                token,
            })))
        }
        Err(Error::AuthorizationPending) => waiting.transient_failures = 0,
        Err(Error::SlowDown) => {
            waiting.transient_failures = 0;
            waiting.interval_secs += SLOW_DOWN_STEP_SECS;
        }
        Err(e) if e.is_transient() && waiting.transient_failures < MAX_TRANSIENT_POLL_FAILURES => {
            waiting.transient_failures += 1;
        }
        Err(e) => return Err(e),
    }
    waiting.next_poll_at_ms = platform.now_ms().saturating_add(waiting.interval_secs * 1000);
    Ok(DeviceLoginState::WaitingForUser(Box::new(waiting)))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::fake_platform::{block_on, oauth_error, ok, FakePlatform, START_MS};

    fn session() -> SessionConfig {
        SessionConfig {
            session_name: "dev".into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            scopes: vec![],
            endpoints: None,
            dual_stack: false,
        }
    }

    fn registered(expires_at_s: u64) -> serde_json::Value {
        json!({"clientId": "cid", "clientSecret": "csecret", "clientIdIssuedAt": 1, "clientSecretExpiresAt": expires_at_s})
    }

    fn device_auth(interval: Option<u64>) -> serde_json::Value {
        let mut v = json!({"deviceCode": "dcode", "userCode": "ABCD-EFGH",
            "verificationUri": "https://device.sso.eu-west-1.amazonaws.com/",
            "verificationUriComplete": "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
            "expiresIn": 600});
        if let Some(i) = interval {
            v["interval"] = json!(i);
        }
        v
    }

    fn token() -> serde_json::Value {
        json!({"accessToken": "atoken", "tokenType": "Bearer", "expiresIn": 3600, "refreshToken": "rtoken"})
    }

    fn pending() -> crate::http::HttpResponse {
        oauth_error("AuthorizationPendingException", "authorization_pending")
    }

    fn drive(p: &FakePlatform, mut s: DeviceLoginState) -> (DeviceLoginState, Vec<DeviceLoginState>) {
        let mut seen = vec![];
        while !s.is_terminal() {
            s = block_on(step(p, s));
            // Every state survives a JSON round trip (the service worker persists it).
            let json = serde_json::to_string(&s).unwrap();
            s = serde_json::from_str(&json).unwrap();
            seen.push(s.clone());
        }
        (s, seen)
    }

    #[test]
    fn pending_then_slow_down_then_token() {
        let p = FakePlatform::scripted(vec![
            ok(registered(START_MS / 1000 + 90 * 86400)),
            ok(device_auth(Some(1))),
            pending(), // the immediate attempt
            pending(),
            oauth_error("SlowDownException", "slow_down"),
            pending(),
            ok(token()),
        ]);
        let (end, seen) = drive(&p, DeviceLoginState::new(session(), None));
        let DeviceLoginState::Done(result) = end else { panic!("{end:?}") };
        assert_eq!(result.token.access_token.expose(), "atoken");
        assert_eq!(result.token.expires_at_ms, START_MS + 1000 + 1000 + 6000 + 6000 + 3_600_000);
        assert_eq!(result.token.refresh_token.as_ref().map(|t| t.expose()), Some("rtoken"));
        assert_eq!(result.registration.client_id, "cid");
        // The first poll waits 1 s, the one after slow_down 1+5 s, and that stays.
        assert_eq!(*p.sleeps.borrow(), vec![1000, 1000, 6000, 6000]);
        let DeviceLoginState::WaitingForUser(w) = &seen[0] else { panic!() };
        assert_eq!(w.user_code, "ABCD-EFGH");
        assert!(w.verification_uri_complete.ends_with("user_code=ABCD-EFGH"));
        assert!(w.new_registration);
        let b = p.body(1);
        assert_eq!(
            b,
            json!({"clientId": "cid", "clientSecret": "csecret", "startUrl": "https://d-1234567890.awsapps.com/start"})
        );
        let b = p.body(2);
        assert_eq!(b["grantType"], "urn:ietf:params:oauth:grant-type:device_code");
        assert_eq!(b["deviceCode"], "dcode");
        assert_eq!(p.urls()[0], "https://oidc.eu-west-1.amazonaws.com/client/register");
    }

    #[test]
    fn interval_defaults_to_five_seconds() {
        let p = FakePlatform::scripted(vec![
            ok(registered(u64::MAX / 2000)),
            ok(device_auth(None)),
            pending(),
            ok(token()),
        ]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(matches!(end, DeviceLoginState::Done(_)));
        assert_eq!(*p.sleeps.borrow(), vec![5000]);
    }

    #[test]
    fn immediate_token_needs_no_poll() {
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), ok(token())]);
        let (end, seen) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(matches!(end, DeviceLoginState::Done(_)));
        assert_eq!(seen.len(), 1);
    }

    fn fails_with(last: crate::http::HttpResponse) -> (String, FakePlatform) {
        let p =
            FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending(), last]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        let DeviceLoginState::Failed { code, .. } = end else { panic!("{end:?}") };
        (code, p)
    }

    #[test]
    fn expired_and_denied_are_distinct_failures() {
        assert_eq!(fails_with(oauth_error("ExpiredTokenException", "expired_token")).0, "expired_token");
        assert_eq!(fails_with(oauth_error("AccessDeniedException", "access_denied")).0, "access_denied");
        assert_eq!(fails_with(oauth_error("InvalidGrantException", "invalid_grant")).0, "invalid_grant");
    }

    #[test]
    fn transient_poll_errors_are_retried_then_give_up() {
        let mut script = vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()];
        script.push(crate::fake_platform::aws_error(500, "InternalServerException", json!({"error": "server_error"})));
        script.push(ok(token()));
        let p = FakePlatform::scripted(script);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(matches!(end, DeviceLoginState::Done(_)));

        let mut script = vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()];
        for _ in 0..=MAX_TRANSIENT_POLL_FAILURES {
            script.push(crate::http::HttpResponse { status: 503, headers: vec![], body: String::new() });
        }
        let p = FakePlatform::scripted(script);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(matches!(end, DeviceLoginState::Failed { ref code, .. } if code == "server_error"), "{end:?}");
    }

    #[test]
    fn device_code_expiry_is_also_checked_locally() {
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()]);
        let s = block_on(step(&p, DeviceLoginState::new(session(), None)));
        p.set_now(START_MS + 601_000); // the worker was asleep for ten minutes
        let s = block_on(step(&p, s));
        assert_eq!(
            s,
            DeviceLoginState::Failed { code: "expired_token".into(), message: Error::ExpiredToken.to_string() }
        );
        assert_eq!(p.requests.borrow().len(), 3);
    }

    #[test]
    fn cancel_stops_a_waiting_login() {
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()]);
        let s = block_on(step(&p, DeviceLoginState::new(session(), None)));
        assert!(matches!(s, DeviceLoginState::WaitingForUser(_)));
        let s = cancel(s);
        assert!(matches!(s, DeviceLoginState::Failed { ref code, .. } if code == "cancelled"));
        // Stepping a cancelled login sends nothing.
        let s2 = block_on(step(&p, s.clone()));
        assert_eq!(s, s2);
        assert_eq!(p.requests.borrow().len(), 3);
        // run() cancels when the observer says so.
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()]);
        let r = block_on(run(&p, DeviceLoginState::new(session(), None), |_| false));
        assert_eq!(r.map(|_| ()), Err(Error::Cancelled));
    }

    #[test]
    fn resumed_state_keeps_polling_with_the_saved_device_code() {
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(2))), pending()]);
        let s = block_on(step(&p, DeviceLoginState::new(session(), None)));
        let saved = serde_json::to_value(&s).unwrap();
        assert_eq!(saved["state"], "waitingForUser");
        assert_eq!(saved["deviceCode"], "dcode");
        assert_eq!(saved["userCode"], "ABCD-EFGH");
        // A new worker, a new platform: only CreateToken is sent, with the saved device code.
        let p2 = FakePlatform::scripted(vec![ok(token())]);
        p2.set_now(START_MS + 500);
        let resumed: DeviceLoginState = serde_json::from_value(saved).unwrap();
        let end = block_on(step(&p2, resumed));
        assert!(matches!(end, DeviceLoginState::Done(_)));
        assert_eq!(p2.body(0)["deviceCode"], "dcode");
        assert_eq!(*p2.sleeps.borrow(), vec![1500]);
    }

    fn stored(expires_at_ms: u64) -> Registration {
        Registration {
            client_id: "old".into(),
            client_secret: "oldsecret".into(),
            expires_at_ms,
            flow: Flow::Device,
            region: "eu-west-1".into(),
            start_url: "https://d-1234567890.awsapps.com/start".into(),
            scopes: vec!["sso:account:access".into()],
        }
    }

    #[test]
    fn registration_is_reused_until_fifteen_minutes_before_expiry() {
        let p = FakePlatform::scripted(vec![ok(device_auth(Some(1))), ok(token())]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), Some(stored(START_MS + 16 * 60_000))));
        let DeviceLoginState::Done(r) = end else { panic!() };
        assert_eq!(r.registration.client_id, "old");
        assert_eq!(p.body(0)["clientId"], "old");

        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), ok(token())]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), Some(stored(START_MS + 14 * 60_000))));
        let DeviceLoginState::Done(r) = end else { panic!() };
        assert_eq!(r.registration.client_id, "cid");
        assert!(p.urls()[0].ends_with("/client/register"));

        // A registration for the other flow is not reused either.
        let mut pkce = stored(u64::MAX);
        pkce.flow = Flow::AuthorizationCode;
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), ok(token())]);
        drive(&p, DeviceLoginState::new(session(), Some(pkce)));
        assert!(p.urls()[0].ends_with("/client/register"));
    }

    #[test]
    fn a_revoked_stored_registration_is_replaced_once() {
        let p = FakePlatform::scripted(vec![
            crate::fake_platform::aws_error(401, "InvalidClientException", json!({"error": "invalid_client"})),
            ok(registered(u64::MAX / 2000)),
            ok(device_auth(Some(1))),
            ok(token()),
        ]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), Some(stored(u64::MAX))));
        let DeviceLoginState::Done(r) = end else { panic!("{end:?}") };
        assert_eq!(r.registration.client_id, "cid");
    }

    #[test]
    fn secrets_stay_out_of_debug() {
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), ok(token())]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        let d = format!("{end:?}");
        for secret in ["atoken", "rtoken", "csecret"] {
            assert!(!d.contains(secret), "{secret} leaked: {d}");
        }
        let p = FakePlatform::scripted(vec![ok(registered(u64::MAX / 2000)), ok(device_auth(Some(1))), pending()]);
        let s = block_on(step(&p, DeviceLoginState::new(session(), None)));
        assert!(!format!("{s:?}").contains("dcode"));
    }

    #[test]
    fn malformed_stored_states_are_refused() {
        for bad in [
            json!({"state": "waitingForUser"}),
            json!({"state": "nope"}),
            json!({"state": "done", "session": null}),
            json!({"state": "failed", "code": "x", "extra": 1}),
        ] {
            assert!(serde_json::from_value::<DeviceLoginState>(bad.clone()).is_err(), "{bad}");
        }
        let f: DeviceLoginState = serde_json::from_value(json!({"state": "failed", "code": "cancelled"})).unwrap();
        assert!(matches!(f, DeviceLoginState::Failed { ref code, .. } if code == "cancelled"));
    }

    #[test]
    fn bad_session_fails_before_any_request() {
        let mut s = session();
        s.region = "evil.com/".into();
        let p = FakePlatform::scripted(vec![]);
        let end = block_on(step(&p, DeviceLoginState::new(s, None)));
        assert!(matches!(end, DeviceLoginState::Failed { ref code, .. } if code == "invalid_region"));
        let mut s = session();
        s.session_name = "a]b".into();
        let end = block_on(step(&p, DeviceLoginState::new(s, None)));
        assert!(matches!(end, DeviceLoginState::Failed { ref code, .. } if code == "invalid_input"));
    }

    #[test]
    fn verification_links_on_the_partitions_hosts_are_expected() {
        let s = session();
        for good in [
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
            "https://device.sso.eu-west-1.amazonaws.com",
            "https://DEVICE.sso.eu-west-1.amazonaws.com./",
            "https://eu-west-1.signin.aws/platform/authorize?request_uri=urn%3Aietf%3Ax",
            "https://d-1234567890.awsapps.com/start/#/device?user_code=ABCD-EFGH",
        ] {
            assert!(verification_uri_is_expected(good, &s), "{good}");
        }
        let cn =
            SessionConfig { region: "cn-north-1".into(), start_url: "https://x.awsapps.cn/start".into(), ..session() };
        assert!(verification_uri_is_expected("https://device.sso.cn-north-1.amazonaws.com.cn/?user_code=A", &cn));
        assert!(!verification_uri_is_expected("https://device.sso.cn-north-1.amazonaws.com/", &cn));
        assert!(!verification_uri_is_expected("https://cn-north-1.signin.aws/platform/authorize", &cn));
        let gov = SessionConfig { region: "us-gov-west-1".into(), ..session() };
        assert!(verification_uri_is_expected("https://device.sso.us-gov-west-1.amazonaws.com/", &gov));
    }

    #[test]
    fn verification_links_anywhere_else_are_not() {
        let s = session();
        for bad in [
            "http://device.sso.eu-west-1.amazonaws.com/",
            "https://device.sso.us-east-1.amazonaws.com/",
            "https://us-east-1.signin.aws/platform/authorize",
            "https://device.sso.eu-west-1.amazonaws.com.evil.example/",
            "https://evil.example/device.sso.eu-west-1.amazonaws.com/",
            "https://evil.example/?https://device.sso.eu-west-1.amazonaws.com/",
            "https://device.sso.eu-west-1.amazonaws.com@evil.example/",
            "https://device.sso.eu-west-1.amazonaws.com:8443/",
            "https://device.sso.eu-west-1.amazonaws.com\\@evil.example/",
            "https://device.sso.eu-west-1.amazonaws.com /",
            "https://bucket.s3.amazonaws.com/device/index.html?x=.awsapps.com/",
            "https://other.awsapps.com/start/#/device",
            "javascript:alert(1)",
            "data:text/html,hi",
            "//device.sso.eu-west-1.amazonaws.com/",
            "",
        ] {
            assert!(!verification_uri_is_expected(bad, &s), "{bad}");
        }
        // A plain-http portal (loopback test setups) does not make its origin a device page.
        let local = SessionConfig { start_url: "http://127.0.0.1:4000/start".into(), ..session() };
        assert!(!verification_uri_is_expected("http://127.0.0.1:4000/device", &local));
    }

    #[test]
    fn the_endpoint_override_serves_its_own_device_pages() {
        let s = SessionConfig {
            endpoints: Some(Endpoints { oidc: "http://127.0.0.1:4000".into(), portal: "http://127.0.0.1:4000".into() }),
            ..session()
        };
        assert!(verification_uri_is_expected("http://127.0.0.1:4000/device?user_code=ABCD-EFGH", &s));
        assert!(verification_uri_is_expected("http://127.0.0.1:4000/platform/authorize?request_uri=x", &s));
        assert!(!verification_uri_is_expected("http://127.0.0.1:4001/device", &s));
        assert!(!verification_uri_is_expected("https://127.0.0.1:4000/device", &s));
        assert!(!verification_uri_is_expected("http://evil.example/device", &s));
        // The region's own hosts stay expected with an override.
        assert!(verification_uri_is_expected("https://device.sso.eu-west-1.amazonaws.com/", &s));
    }

    #[test]
    fn an_unexpected_verification_link_fails_the_login_before_polling() {
        let mut auth = device_auth(Some(1));
        auth["verificationUriComplete"] = json!("https://evil.example/device?user_code=ABCD-EFGH");
        let p = FakePlatform::scripted(vec![ok(registered(START_MS / 1000 + 90 * 86400)), ok(auth)]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(
            matches!(end, DeviceLoginState::Failed { ref code, .. } if code == "untrusted_verification_uri"),
            "{end:?}"
        );
        // Without verificationUriComplete the plain verificationUri is judged the same way.
        let mut auth = device_auth(Some(1));
        auth.as_object_mut().unwrap().remove("verificationUriComplete");
        auth["verificationUri"] = json!("http://device.sso.eu-west-1.amazonaws.com/");
        let p = FakePlatform::scripted(vec![ok(registered(START_MS / 1000 + 90 * 86400)), ok(auth)]);
        let (end, _) = drive(&p, DeviceLoginState::new(session(), None));
        assert!(
            matches!(end, DeviceLoginState::Failed { ref code, .. } if code == "untrusted_verification_uri"),
            "{end:?}"
        );
    }
}
