//! [`Platform`] over the browser: the global `fetch`, `setTimeout`, `Date.now`, `performance` and
//! `crypto.getRandomValues`. Bound as globals, not through `window`, because an MV3 service
//! worker has no `window`.

use ssobridge_core::http::{HttpRequest, HttpResponse, Platform, TransportError};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = fetch)]
    fn global_fetch(request: &web_sys::Request) -> js_sys::Promise;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, ms: i32) -> JsValue;

    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    fn performance_now() -> f64;

    #[wasm_bindgen(thread_local_v2, js_namespace = performance, js_name = timeOrigin)]
    static TIME_ORIGIN: f64;

    #[wasm_bindgen(catch, js_namespace = crypto, js_name = getRandomValues)]
    fn get_random_values(buf: &mut [u8]) -> Result<JsValue, JsValue>;
}

/// Response headers the core reads (fetch only exposes the CORS-safelisted ones and those the
/// server names in `Access-Control-Expose-Headers`; extension pages with host permissions see all).
const HEADERS_READ: [&str; 3] = ["x-amzn-errortype", "content-type", "retry-after"];

pub struct WebPlatform;

impl Platform for WebPlatform {
    async fn send(&self, request: HttpRequest) -> Result<HttpResponse, TransportError> {
        let js_err = |e: JsValue| TransportError(describe(&e));
        let init = web_sys::RequestInit::new();
        init.set_method(request.method.as_str());
        // Past the browser's HTTP cache: the answers carry tokens and credentials, and a GET
        // that hangs (a proxy swallowing it) would hold the cache entry's lock, so the same GET
        // on Retry would wait up to 20 s behind it.
        init.set_cache(web_sys::RequestCache::NoStore);
        let headers = web_sys::Headers::new().map_err(js_err)?;
        for (name, value) in &request.headers {
            headers.append(name, value).map_err(js_err)?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            init.set_body(&JsValue::from_str(body));
        }
        let req = web_sys::Request::new_with_str_and_init(&request.url, &init).map_err(js_err)?;
        let resp: web_sys::Response = JsFuture::from(global_fetch(&req))
            .await
            .map_err(js_err)?
            .dyn_into()
            .map_err(|_| TransportError("fetch did not return a Response".into()))?;
        let mut out_headers = Vec::new();
        for name in HEADERS_READ {
            if let Ok(Some(v)) = resp.headers().get(name) {
                out_headers.push((name.to_string(), v));
            }
        }
        let text = JsFuture::from(resp.text().map_err(js_err)?).await.map_err(js_err)?;
        Ok(HttpResponse { status: resp.status(), headers: out_headers, body: text.as_string().unwrap_or_default() })
    }

    async fn sleep(&self, ms: u64) {
        let ms = ms.min(i32::MAX as u64) as i32;
        let promise = js_sys::Promise::new(&mut |resolve, _reject| {
            set_timeout(&resolve, ms);
        });
        let _ = JsFuture::from(promise).await;
    }

    fn now_ms(&self) -> u64 {
        js_sys::Date::now() as u64
    }

    fn precise_now_ms(&self) -> f64 {
        TIME_ORIGIN.with(|origin| origin + performance_now())
    }

    fn random_bytes(&self, buf: &mut [u8]) {
        // getRandomValues takes at most 65536 bytes per call.
        for chunk in buf.chunks_mut(65536) {
            if get_random_values(chunk).is_err() {
                // No secure randomness means no safe PKCE verifier: stop rather than guess.
                wasm_bindgen::throw_str("crypto.getRandomValues is unavailable");
            }
        }
    }
}

/// A JS exception as text (`TypeError: Failed to fetch`).
fn describe(e: &JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        format!("{}: {}", String::from(err.name()), String::from(err.message()))
    } else {
        e.as_string().unwrap_or_else(|| "unknown JavaScript error".into())
    }
}
