//! `idc-emulator`: a local stand-in for AWS IAM Identity Center (SSO OIDC, the SSO portal API
//! and STS GetCallerIdentity) that speaks AWS's wire protocol on one loopback port.
//!
//! ```no_run
//! let emu = idc_emulator::Emulator::start(idc_emulator::Config::default()).unwrap();
//! println!("{}", emu.url()); // http://127.0.0.1:PORT
//! ```
//! The server runs on its own thread with its own tokio runtime, so sync tests and async tests
//! on any runtime can use it; it stops when the `Emulator` is dropped.

pub mod admin;
pub mod authorize;
pub mod config;
pub mod errors;
pub mod oidc;
pub mod pages;
pub mod portal;
pub mod state;
pub mod sts;
pub mod throttle;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use axum::extract::{Request, State as AxumState};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowHeaders, Any, CorsLayer};

pub use config::Config;
use state::Shared;

/// A running emulator. Dropping it stops the server.
pub struct Emulator {
    url: String,
    shared: Arc<Shared>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Emulator {
    /// Start on a free port of 127.0.0.1.
    pub fn start(config: Config) -> std::io::Result<Emulator> {
        Self::start_on(config, 0)
    }

    /// Start on the given port of 127.0.0.1 (0: a free one).
    pub fn start_on(config: Config, port: u16) -> std::io::Result<Emulator> {
        // Bind before spawning, so a busy port is an error here and not a dead thread.
        let listener = std::net::TcpListener::bind(("127.0.0.1", port))?;
        listener.set_nonblocking(true)?;
        let url = format!("http://127.0.0.1:{}", listener.local_addr()?.port());
        let shared = Arc::new(Shared::new(url.clone(), config));
        let router = router(shared.clone());
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("idc-emulator-worker")
            .enable_all()
            .build()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::Builder::new().name("idc-emulator".into()).spawn(move || {
            runtime.block_on(async move {
                let listener = match tokio::net::TcpListener::from_std(listener) {
                    Ok(l) => l,
                    Err(e) => {
                        tracing::error!("cannot serve: {e}");
                        return;
                    }
                };
                // Not a graceful shutdown: a test dropping the emulator must never wait for a
                // client's idle keep-alive connection or a deliberately slow response.
                tokio::select! {
                    r = axum::serve(listener, router) => {
                        if let Err(e) = r { tracing::error!("server stopped: {e}"); }
                    }
                    _ = rx => {}
                }
            });
            runtime.shutdown_timeout(Duration::from_millis(200));
        })?;
        Ok(Emulator { url, shared, shutdown: Some(tx), thread: Some(thread) })
    }

    /// `http://127.0.0.1:PORT`, no trailing slash.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// Approve a pending device code, as `POST /admin/device/approve` does.
    pub fn approve(&self, user_code: &str) -> bool {
        self.shared.lock().decide_device(user_code, true, 0)
    }

    /// Deny a pending device code, as `POST /admin/device/deny` does.
    pub fn deny(&self, user_code: &str) -> bool {
        self.shared.lock().decide_device(user_code, false, 0)
    }

    /// Calls per operation name, e.g. `"ListAccounts"`, plus `"Throttled"` and
    /// `"Throttled.<Operation>"` for calls refused by the throttle.
    pub fn counts(&self) -> BTreeMap<String, u64> {
        self.shared.lock().counts.clone()
    }

    /// Move the emulator's clock forward (token, code and registration expiry).
    pub fn advance_clock(&self, seconds: u64) {
        let mut st = self.shared.lock();
        st.clock_offset_ms = st.clock_offset_ms.saturating_add(seconds.saturating_mul(1000));
    }

    /// User codes waiting for a decision.
    pub fn pending_user_codes(&self) -> Vec<String> {
        let st = self.shared.lock();
        let now = st.now_ms();
        let mut v: Vec<String> = st
            .devices
            .values()
            .filter(|d| d.status == state::DeviceStatus::Pending && now < d.expires_at_ms)
            .map(|d| d.user_code.clone())
            .collect();
        v.sort();
        v
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Count an AWS API call and apply the configured latency.
pub(crate) async fn enter_api(sh: &Shared, operation: &str) {
    let latency = {
        let mut st = sh.lock();
        *st.counts.entry(operation.to_string()).or_insert(0) += 1;
        st.config.latency_ms
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
}

/// Every route on one port.
pub fn router(shared: Arc<Shared>) -> Router {
    let admin = Router::new()
        .route("/device/approve", post(admin::approve))
        .route("/device/deny", post(admin::deny))
        .route("/device/pending", get(admin::pending))
        .route("/tokens/revoke", post(admin::revoke))
        .route("/counts", get(admin::counts))
        .route("/counts/reset", post(admin::reset_counts))
        .route("/config", get(admin::get_config).post(admin::set_config))
        .route("/accounts", get(admin::accounts))
        .route("/auto-approve", post(admin::auto_approve))
        .route("/clock/advance", post(admin::advance_clock));

    // Permissive CORS: wasm tests call the emulator from a page origin. Request headers are
    // mirrored because `*` does not cover `Authorization`; error headers are exposed so a
    // browser client can classify errors as botocore does.
    let cors = CorsLayer::new()
        .allow_origin(Any)
        .allow_methods(Any)
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers([HeaderName::from_static("x-amzn-errortype"), HeaderName::from_static("x-amzn-requestid")])
        .max_age(Duration::from_secs(600));

    Router::new()
        .route("/client/register", post(oidc::register_client))
        .route("/device_authorization", post(oidc::start_device_authorization))
        .route("/token", post(oidc::create_token))
        .route("/authorize", get(pages::authorize).post(pages::authorize_decide))
        .route("/assignment/accounts", get(portal::list_accounts))
        .route("/assignment/roles", get(portal::list_account_roles))
        .route("/federation/credentials", get(portal::get_role_credentials))
        .route("/logout", post(portal::logout))
        .route("/", post(sts::handle).get(root_get))
        .route("/device", get(pages::device))
        .route("/device/confirm", post(pages::device_confirm))
        .route("/device/decide", post(pages::device_decide))
        .route("/platform/authorize", get(pages::platform_authorize).post(pages::platform_decide))
        .route("/start", get(pages::start))
        .route("/start/", get(pages::start))
        .nest("/admin", admin)
        .fallback(not_found)
        .with_state(shared)
        .layer(middleware::from_fn(request_id_and_log))
        .layer(CatchPanicLayer::new())
        .layer(cors)
}

/// `GET /`: STS with query parameters (presigned), else the portal page.
async fn root_get(st: AxumState<Arc<Shared>>, headers: axum::http::HeaderMap, q: axum::extract::RawQuery) -> Response {
    if q.0.as_deref().is_some_and(|q| q.contains("Action=")) {
        sts::handle(st, headers, q, Default::default()).await
    } else {
        Redirect::to("/start").into_response()
    }
}

async fn not_found() -> Response {
    let mut r = (
        StatusCode::NOT_FOUND,
        [("content-type", "application/json")],
        r#"{"message":"No such operation in the IAM Identity Center emulator"}"#,
    )
        .into_response();
    r.headers_mut().insert("x-amzn-ErrorType", HeaderValue::from_static("UnknownOperationException"));
    r
}

/// Adds `x-amzn-RequestId` and logs method, path (never the query or headers: they may carry
/// codes and tokens) and status.
async fn request_id_and_log(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let mut resp = next.run(req).await;
    if let Ok(v) = HeaderValue::from_str(&state::request_id()) {
        resp.headers_mut().insert("x-amzn-RequestId", v);
    }
    tracing::info!(%method, %path, status = resp.status().as_u16(), "request");
    resp
}
