//! The JS-facing API of the SSO Bridge core. Every function here converts between JS values and
//! core types and calls into `ssobridge_core`; the logic lives in the core.
use wasm_bindgen::prelude::*;

/// The core's version, so the extension can show it and the smoke test can prove the module runs.
#[wasm_bindgen(js_name = coreVersion)]
pub fn core_version() -> String {
    ssobridge_core::VERSION.to_string()
}
