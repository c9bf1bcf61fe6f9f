//! Shared by the host integration tests: a [`Platform`] over reqwest + tokio, and emulator setup.
#![allow(dead_code)] // each test file uses a different part

use std::cell::Cell;
use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use idc_emulator::{Config, Emulator};
use ssobridge_core::endpoints::Endpoints;
use ssobridge_core::http::{HttpRequest, HttpResponse, Method, Platform, TransportError};
use ssobridge_core::login::SessionConfig;

/// The host implementation of the transport: reqwest (no redirects followed, as `fetch` with
/// `redirect: "manual"` would not either), tokio timers, the system clock.
pub struct HostPlatform {
    client: reqwest::Client,
    counter: Cell<u64>,
    seed: RandomState,
}

impl HostPlatform {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(30))
            .build()
            .expect("reqwest client");
        HostPlatform { client, counter: Cell::new(0), seed: RandomState::new() }
    }

    /// A GET that returns status, `Location` and body: for driving the `/authorize` pages.
    pub async fn raw(&self, method: reqwest::Method, url: &str, form: Option<String>) -> (u16, Option<String>, String) {
        let mut rb = self.client.request(method, url);
        if let Some(f) = form {
            rb = rb.header("content-type", "application/x-www-form-urlencoded").body(f);
        }
        let r = rb.send().await.expect("request");
        let status = r.status().as_u16();
        let location = r.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
        (status, location, r.text().await.unwrap_or_default())
    }
}

impl Platform for HostPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Post => reqwest::Method::POST,
        };
        let mut rb = self.client.request(method, &request.url);
        for (name, value) in &request.headers {
            rb = rb.header(name, value);
        }
        if let Some(body) = request.body {
            rb = rb.body(body);
        }
        let response = rb.send().await.map_err(|e| TransportError(e.to_string()))?;
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(n, v)| v.to_str().ok().map(|v| (n.as_str().to_string(), v.to_string())))
            .collect();
        let body = response.text().await.map_err(|e| TransportError(e.to_string()))?;
        Ok(HttpResponse { status, headers, body })
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(Duration::from_millis(ms)).await;
    }

    async fn sleep_precise(&self, ms: f64) {
        tokio::time::sleep(Duration::from_secs_f64(ms.max(0.0) / 1000.0)).await;
    }

    fn now_ms(&self) -> u64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
    }

    fn precise_now_ms(&self) -> f64 {
        SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs_f64() * 1000.0).unwrap_or(0.0)
    }

    fn random_bytes(&self, buf: &mut [u8]) {
        // Test-only randomness (SipHash with a random key over a counter); the extension uses
        // crypto.getRandomValues.
        for chunk in buf.chunks_mut(8) {
            let mut h = self.seed.build_hasher();
            self.counter.set(self.counter.get() + 1);
            h.write_u64(self.counter.get());
            let v = h.finish().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// An emulator configured from JSON (so these tests only name the fields they care about).
pub fn emulator(config: serde_json::Value) -> Emulator {
    let config: Config = serde_json::from_value(config).expect("emulator config");
    Emulator::start(config).expect("start emulator")
}

/// A session pointed at the emulator through the endpoint override.
pub fn session(emu: &Emulator, name: &str) -> SessionConfig {
    SessionConfig {
        session_name: name.into(),
        start_url: format!("{}/start", emu.url()),
        region: "us-east-1".into(),
        scopes: vec![],
        endpoints: Some(Endpoints { oidc: emu.url().into(), portal: emu.url().into() }),
        dual_stack: false,
    }
}

pub fn count(emu: &Emulator, op: &str) -> u64 {
    emu.counts().get(op).copied().unwrap_or(0)
}
