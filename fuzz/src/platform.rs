//! A [`Platform`] that answers from a script and never blocks: its clock moves only when the code
//! under test sleeps, so a whole login or listing runs to completion in one `block_on`.

use std::cell::{Cell, RefCell};

use ssobridge_core::http::{HttpRequest, HttpResponse, Platform, TransportError};

pub const START_MS: u64 = 1_700_000_000_000;

type Handler<'a> = Box<dyn FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'a>;

pub struct ScriptedPlatform<'a> {
    handler: RefCell<Handler<'a>>,
    now: Cell<u64>,
    seed: Cell<u64>,
}

impl<'a> ScriptedPlatform<'a> {
    pub fn new(handler: impl FnMut(&HttpRequest) -> Result<HttpResponse, TransportError> + 'a) -> Self {
        ScriptedPlatform {
            handler: RefCell::new(Box::new(handler)),
            now: Cell::new(START_MS),
            seed: Cell::new(0x9E37_79B9_7F4A_7C15),
        }
    }
}

impl Platform for ScriptedPlatform<'_> {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        (self.handler.borrow_mut())(&request)
    }

    async fn sleep(&self, ms: u64) {
        self.now.set(self.now.get().saturating_add(ms));
    }

    fn now_ms(&self) -> u64 {
        self.now.get()
    }

    fn random_bytes(&self, buf: &mut [u8]) {
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

/// A response the fuzzer shaped: a status from a few that mean something to the classifier
/// (or any), an optional `x-amzn-ErrorType` header, and a body.
pub fn response(status_choice: u8, header: Option<&str>, body: &str) -> HttpResponse {
    const STATUSES: [u16; 8] = [200, 200, 400, 401, 403, 429, 500, 503];
    let status = match status_choice {
        0..=7 => STATUSES[usize::from(status_choice)],
        other => 100 + u16::from(other) * 2,
    };
    HttpResponse {
        status,
        headers: header.map(|h| vec![("X-Amzn-ErrorType".to_string(), h.to_string())]).unwrap_or_default(),
        body: body.to_string(),
    }
}
