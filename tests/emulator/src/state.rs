//! The emulator's memory: registered clients, device and authorization codes, tokens, issued
//! role credentials, call counts, and the (test-adjustable) clock.
//!
//! One `std::sync::Mutex` guards it; no handler holds it across an `.await`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, MutexGuard};
use std::time::{SystemTime, UNIX_EPOCH};

use rand::distr::{Alphanumeric, SampleString};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::config::{Account, Config};
use crate::throttle::Throttles;

/// State shared by every handler, plus the parts that never change after start.
pub struct Shared {
    /// `http://127.0.0.1:PORT`, used in verification URIs and pages.
    pub base_url: String,
    state: Mutex<State>,
    pub throttles: Throttles,
}

impl Shared {
    pub fn new(base_url: String, config: Config) -> Shared {
        let throttles = Throttles::new(&config.throttle);
        Shared { base_url, state: Mutex::new(State::new(config)), throttles }
    }

    /// Lock the state. A panic elsewhere (caught per request) must not take the emulator down,
    /// so a poisoned lock is simply reused: every mutation leaves the maps consistent.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Count one call of `operation`.
    pub fn count(&self, operation: &str) {
        *self.lock().counts.entry(operation.to_string()).or_insert(0) += 1;
    }
}

#[derive(Debug, Clone)]
pub struct Client {
    pub secret: String,
    pub name: String,
    pub grant_types: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub scopes: Vec<String>,
    /// Epoch seconds.
    pub secret_expires_at: u64,
    /// The start URL an authorization-code client registered for (`issuerUrl`).
    pub issuer_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceStatus {
    Pending,
    Approved,
    Denied,
    /// A token was issued; the device code cannot be used again.
    Redeemed,
}

#[derive(Debug, Clone)]
pub struct DeviceAuth {
    pub client_id: String,
    pub user_code: String,
    pub start_url: String,
    pub expires_at_ms: u64,
    pub interval_secs: u64,
    pub last_poll_ms: Option<u64>,
    pub status: DeviceStatus,
    /// Index into `config.users` of whoever approved.
    pub user: usize,
}

/// A consent page shown by `/authorize`, waiting for Allow or Deny.
#[derive(Debug, Clone)]
pub struct Consent {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub code_challenge: String,
    pub scopes: Vec<String>,
    pub expires_at_ms: u64,
}

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub expires_at_ms: u64,
    pub user: usize,
}

/// One sign-in: the tokens of a device or authorization-code grant and all their refreshes.
/// Logout ends the whole session.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: usize,
    pub client_id: String,
    pub ended: bool,
    /// The start URL the sign-in named, which picks the portal's accounts (`Config::portals`).
    pub start_url: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Token {
    pub session: u64,
    pub expires_at_ms: u64,
    pub revoked: bool,
}

#[derive(Debug, Clone)]
pub struct RoleCredentials {
    pub secret_access_key: String,
    pub session_token: String,
    pub account_id: String,
    pub role_name: String,
    pub user: usize,
    pub expires_at_ms: u64,
}

pub struct State {
    pub config: Config,
    pub accounts: Vec<Account>,
    /// `Config::portals`, materialised: normalised start-URL path → accounts.
    pub portal_accounts: Vec<(String, Vec<Account>)>,
    pub clients: HashMap<String, Client>,
    /// By device code.
    pub devices: HashMap<String, DeviceAuth>,
    /// User code → device code.
    pub user_codes: HashMap<String, String>,
    /// `request_uri` of a signin.aws-style verification link → its user code (never shown).
    pub request_uris: HashMap<String, String>,
    /// By consent id.
    pub consents: HashMap<String, Consent>,
    pub auth_codes: HashMap<String, AuthCode>,
    pub sessions: HashMap<u64, Session>,
    pub access_tokens: HashMap<String, Token>,
    pub refresh_tokens: HashMap<String, Token>,
    /// By access key id.
    pub role_credentials: HashMap<String, RoleCredentials>,
    pub counts: BTreeMap<String, u64>,
    /// Added to the wall clock, so tests can expire things without sleeping.
    pub clock_offset_ms: u64,
    pub fault_rng: StdRng,
    next_session: u64,
}

impl State {
    pub fn new(config: Config) -> State {
        let accounts = config.materialize_accounts();
        let portal_accounts = config.materialize_portals();
        let fault_rng = StdRng::seed_from_u64(config.faults.seed);
        State {
            config,
            accounts,
            portal_accounts,
            clients: HashMap::new(),
            devices: HashMap::new(),
            user_codes: HashMap::new(),
            request_uris: HashMap::new(),
            consents: HashMap::new(),
            auth_codes: HashMap::new(),
            sessions: HashMap::new(),
            access_tokens: HashMap::new(),
            refresh_tokens: HashMap::new(),
            role_credentials: HashMap::new(),
            counts: BTreeMap::new(),
            clock_offset_ms: 0,
            fault_rng,
            next_session: 1,
        }
    }

    /// Milliseconds since the epoch on the emulator's clock.
    pub fn now_ms(&self) -> u64 {
        wall_clock_ms().saturating_add(self.clock_offset_ms)
    }

    pub fn now_secs(&self) -> u64 {
        self.now_ms() / 1000
    }

    pub fn user_name(&self, user: usize) -> String {
        self.config.users.get(user).map(|u| u.name.clone()).unwrap_or_else(|| "emulator-user".into())
    }

    /// Approve (or deny) a pending device code by its user code. False when there is no such
    /// pending code.
    pub fn decide_device(&mut self, user_code: &str, approve: bool, user: usize) -> bool {
        let key = normalize_user_code(user_code);
        let Some(device_code) = self.user_codes.get(&key).cloned() else {
            return false;
        };
        let now = self.now_ms();
        match self.devices.get_mut(&device_code) {
            Some(d) if d.status == DeviceStatus::Pending && now < d.expires_at_ms => {
                d.status = if approve { DeviceStatus::Approved } else { DeviceStatus::Denied };
                d.user = user;
                true
            }
            _ => false,
        }
    }

    /// Start a sign-in session and issue its first access and refresh tokens.
    pub fn issue_tokens(&mut self, client_id: &str, user: usize, start_url: Option<String>) -> IssuedTokens {
        let session = self.next_session;
        self.next_session += 1;
        self.sessions.insert(session, Session { user, client_id: client_id.to_string(), ended: false, start_url });
        self.issue_for_session(session)
    }

    /// New access and refresh tokens for an existing session (refresh). The old refresh token
    /// stays valid until it expires: whether IdC rotates refresh tokens is unconfirmed.
    pub fn issue_for_session(&mut self, session: u64) -> IssuedTokens {
        let now = self.now_ms();
        let access_token = format!("aoa{}", random_string(120));
        let refresh_token = format!("aor{}", random_string(120));
        let access_life = self.config.access_token_lifetime_secs;
        let refresh_life = self.config.refresh_token_lifetime_secs;
        self.access_tokens
            .insert(access_token.clone(), Token { session, expires_at_ms: now + access_life * 1000, revoked: false });
        self.refresh_tokens
            .insert(refresh_token.clone(), Token { session, expires_at_ms: now + refresh_life * 1000, revoked: false });
        IssuedTokens { access_token, refresh_token, expires_in: access_life }
    }

    /// The user behind a live access token, or None for unknown, expired, revoked or
    /// logged-out tokens.
    pub fn user_for_access_token(&self, token: &str) -> Option<(u64, usize)> {
        let t = self.access_tokens.get(token)?;
        if t.revoked || self.now_ms() >= t.expires_at_ms {
            return None;
        }
        let s = self.sessions.get(&t.session)?;
        (!s.ended).then_some((t.session, s.user))
    }

    /// The accounts a sign-in session sees: those of the portal its start URL names, or the
    /// default `accounts`.
    pub fn accounts_for(&self, session: u64) -> &[Account] {
        let path = self.sessions.get(&session).and_then(|s| s.start_url.as_deref()).map(crate::config::normalize_path);
        path.and_then(|p| self.portal_accounts.iter().find(|(q, _)| *q == p))
            .map_or(self.accounts.as_slice(), |(_, a)| a.as_slice())
    }

    /// Replace the live configuration; accounts are regenerated, issued tokens stay.
    pub fn replace_config(&mut self, config: Config) {
        self.accounts = config.materialize_accounts();
        self.portal_accounts = config.materialize_portals();
        if config.faults.seed != self.config.faults.seed {
            self.fault_rng = StdRng::seed_from_u64(config.faults.seed);
        }
        self.config = config;
    }

    /// Roll the fault dice: true with probability `rate`.
    pub fn roll(&mut self, rate: f64) -> bool {
        rate > 0.0 && self.fault_rng.random::<f64>() < rate
    }
}

pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
}

pub fn wall_clock_ms() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Unguessable alphanumeric text for tokens, codes and secrets.
pub fn random_string(len: usize) -> String {
    Alphanumeric.sample_string(&mut rand::rng(), len)
}

/// Upper-case letters and digits only, like AWS access key ids.
pub fn random_upper(len: usize) -> String {
    const CHARS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut rng = rand::rng();
    (0..len).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect()
}

/// A user code like `BCDF-GHJK`: consonants only, so it spells no words and has no 0/O, 1/I.
pub fn new_user_code() -> String {
    const CHARS: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";
    let mut rng = rand::rng();
    let mut s: String = (0..8).map(|_| CHARS[rng.random_range(0..CHARS.len())] as char).collect();
    s.insert(4, '-');
    s
}

/// People type codes in lower case and without the dash.
pub fn normalize_user_code(code: &str) -> String {
    let letters: String = code.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_uppercase();
    if letters.len() == 8 {
        format!("{}-{}", &letters[..4], &letters[4..])
    } else {
        letters
    }
}

/// A request id in the UUID shape AWS uses.
pub fn request_id() -> String {
    let mut rng = rand::rng();
    let b: [u8; 16] = rng.random();
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_codes_normalize() {
        assert_eq!(normalize_user_code("bcdf ghjk"), "BCDF-GHJK");
        assert_eq!(normalize_user_code("BCDF-GHJK"), "BCDF-GHJK");
        assert_eq!(new_user_code().len(), 9);
    }
}
