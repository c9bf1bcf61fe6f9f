//! A scripted [`Platform`] for unit tests: replays recorded responses, records every request, and
//! has a fake clock that only moves when the code under test sleeps.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;

use crate::http::{HttpRequest, HttpResponse, Platform, TransportError};

type Handler = Box<dyn FnMut(&HttpRequest) -> Result<HttpResponse, TransportError>>;

pub struct FakePlatform {
    handler: RefCell<Handler>,
    pub requests: RefCell<Vec<HttpRequest>>,
    pub sleeps: RefCell<Vec<u64>>,
    now: Cell<u64>,
    seed: Cell<u64>,
}

pub const START_MS: u64 = 1_700_000_000_000;

impl FakePlatform {
    /// Answers requests in order from `script`; a request past its end is a test failure.
    pub fn scripted(script: Vec<HttpResponse>) -> Self {
        let mut queue: VecDeque<HttpResponse> = script.into();
        Self::with_handler(move |req| {
            Ok(queue.pop_front().unwrap_or_else(|| panic!("unexpected request past the script: {req:?}")))
        })
    }

    pub fn with_handler(handler: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'static) -> Self {
        FakePlatform {
            handler: RefCell::new(Box::new(handler)),
            requests: RefCell::new(Vec::new()),
            sleeps: RefCell::new(Vec::new()),
            now: Cell::new(START_MS),
            seed: Cell::new(0x9E37_79B9_7F4A_7C15),
        }
    }

    pub fn set_now(&self, ms: u64) {
        self.now.set(ms);
    }

    /// The decoded JSON body of request `i`.
    pub fn body(&self, i: usize) -> serde_json::Value {
        serde_json::from_str(self.requests.borrow()[i].body.as_deref().unwrap_or("null")).unwrap()
    }

    pub fn urls(&self) -> Vec<String> {
        self.requests.borrow().iter().map(|r| r.url.clone()).collect()
    }
}

impl Platform for FakePlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        self.requests.borrow_mut().push(request.clone());
        // Yield once so concurrent callers really interleave, as they would on a network.
        Yield(false).await;
        (self.handler.borrow_mut())(&request)
    }

    async fn sleep(&self, ms: u64) {
        self.sleeps.borrow_mut().push(ms);
        // Concurrent sleepers overlap: the clock moves to the latest wake-up time, not the sum.
        let wake = self.now.get() + ms;
        Yield(false).await;
        self.now.set(self.now.get().max(wake));
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    fn random_bytes(&self, buf: &mut [u8]) {
        // xorshift64*: deterministic, so tests are reproducible.
        for b in buf {
            let mut x = self.seed.get();
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.seed.set(x);
            *b = (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8;
        }
    }
}

struct Yield(bool);

impl std::future::Future for Yield {
    type Output = ();
    fn poll(mut self: std::pin::Pin<&mut Self>, cx: &mut std::task::Context<'_>) -> std::task::Poll<()> {
        if self.0 {
            std::task::Poll::Ready(())
        } else {
            self.0 = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    }
}

/// A 2xx JSON response.
pub fn ok(body: serde_json::Value) -> HttpResponse {
    HttpResponse { status: 200, headers: vec![], body: body.to_string() }
}

/// An AWS error response with `x-amzn-ErrorType`, shaped like the recorded ones.
pub fn aws_error(status: u16, error_type: &str, body: serde_json::Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![(
            "x-amzn-ErrorType".into(),
            format!("{error_type}:http://internal.amazon.com/coral/com.amazonaws.sso.oidc/"),
        )],
        body: body.to_string(),
    }
}

pub fn oauth_error(error_type: &str, code: &str) -> HttpResponse {
    aws_error(400, error_type, serde_json::json!({"error": code, "error_description": code}))
}

/// Runs a future to completion on the current thread (no runtime needed: the fake never blocks,
/// every pending future has already woken itself).
pub fn block_on<F: std::future::Future>(f: F) -> F::Output {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    let mut f = std::pin::pin!(f);
    for _ in 0..50_000_000u64 {
        if let std::task::Poll::Ready(v) = f.as_mut().poll(&mut cx) {
            return v;
        }
    }
    panic!("future did not complete: the fake platform never blocks, so this is a hang");
}
