//! Pages a person clicks through: device verification (`/device`, and the newer `*.signin.aws`
//! form `/platform/authorize?request_uri=…`), the sign-in/consent page behind `/authorize`, and a
//! page shaped like the access portal (`/start`).
//!
//! Plain server-rendered HTML with forms; every button has a stable id for browser tests.

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{RawQuery, State as AxumState};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};

use crate::authorize::{self, AuthorizeOutcome, AuthorizeQuery};
use crate::state::{normalize_user_code, DeviceStatus, Shared};

type Shr = AxumState<Arc<Shared>>;

pub fn html_escape(s: &str) -> String {
    crate::sts::xml_escape(s)
}

fn layout(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t}</title>\
         <style>body{{font-family:sans-serif;max-width:40em;margin:2em auto}}\
         button{{font-size:1.1em;margin:.3em}} code{{font-size:1.4em}}</style></head>\n\
         <body><p class=\"banner\">IAM Identity Center emulator</p><h1>{t}</h1>\n{body}\n</body></html>\n",
        t = html_escape(title)
    ))
}

fn form_pairs(body: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(body).into_owned().collect()
}

fn field<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Index of the user named in a form (`user` field), else the first user.
fn user_index(sh: &Shared, name: Option<&str>) -> usize {
    let st = sh.lock();
    name.and_then(|n| st.config.users.iter().position(|u| u.name == n)).unwrap_or(0)
}

/// Whether a user code names a device authorization still waiting for a decision.
fn pending(sh: &Shared, user_code: &str) -> bool {
    let st = sh.lock();
    let now = st.now_ms();
    st.user_codes
        .get(user_code)
        .and_then(|d| st.devices.get(d))
        .is_some_and(|d| d.status == DeviceStatus::Pending && now < d.expires_at_ms)
}

const CODE_FORM: &str = "<form method=\"get\" action=\"/device\" id=\"code-form\">\
    <label for=\"user-code\">Code</label> <input id=\"user-code\" name=\"user_code\" autocomplete=\"off\">\
    <button type=\"submit\" id=\"verify-code\">Next</button></form>";

/// `GET /device[?user_code=...]`: enter a code, or confirm the one in the URL.
pub async fn device(AxumState(sh): Shr, RawQuery(q): RawQuery) -> Html<String> {
    let pairs = form_pairs(q.as_deref().unwrap_or("").as_bytes());
    let Some(raw) = field(&pairs, "user_code").filter(|c| !c.trim().is_empty()) else {
        return layout("Authorize request", &format!("<p>Enter the code shown by your application.</p>{CODE_FORM}"));
    };
    let code = normalize_user_code(raw);
    if !pending(&sh, &code) {
        return layout(
            "Authorize request",
            &format!("<p id=\"code-error\">The code is invalid or has expired. Try again.</p>{CODE_FORM}"),
        );
    }
    let c = html_escape(&code);
    layout(
        "Authorize request",
        &format!(
            "<p>Confirm that this code matches the code shown by your application.</p>\
             <p><code id=\"user-code-display\">{c}</code></p>\
             <form method=\"post\" action=\"/device/confirm\">\
             <input type=\"hidden\" name=\"user_code\" value=\"{c}\">\
             <button type=\"submit\" id=\"confirm-code\">Confirm and continue</button></form>"
        ),
    )
}

/// `POST /device/confirm`: the Allow/Deny page.
pub async fn device_confirm(AxumState(sh): Shr, body: Bytes) -> Html<String> {
    let pairs = form_pairs(&body);
    let code = normalize_user_code(field(&pairs, "user_code").unwrap_or(""));
    if !pending(&sh, &code) {
        return layout(
            "Authorize request",
            &format!("<p id=\"code-error\">The code is invalid or has expired.</p>{CODE_FORM}"),
        );
    }
    let client_name = {
        let st = sh.lock();
        st.user_codes
            .get(&code)
            .and_then(|d| st.devices.get(d))
            .and_then(|d| st.clients.get(&d.client_id))
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    let c = html_escape(&code);
    layout(
        "Allow access?",
        &format!(
            "<p>Allow <strong id=\"client-name\">{}</strong> to access your data?</p>\
             <form method=\"post\" action=\"/device/decide\">\
             <input type=\"hidden\" name=\"user_code\" value=\"{c}\">\
             <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow-access\">Allow access</button>\
             <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny-access\">Deny access</button></form>",
            html_escape(&client_name)
        ),
    )
}

/// `POST /device/decide`: Allow or Deny pressed.
pub async fn device_decide(AxumState(sh): Shr, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let code = normalize_user_code(field(&pairs, "user_code").unwrap_or(""));
    let allow = field(&pairs, "decision") == Some("allow");
    let user = user_index(&sh, field(&pairs, "user"));
    if !sh.lock().decide_device(&code, allow, user) {
        let page = layout("Authorize request", "<p id=\"code-error\">The code is invalid or has expired.</p>");
        return (StatusCode::BAD_REQUEST, page).into_response();
    }
    if allow {
        layout(
            "Request approved",
            "<p id=\"device-approved\">Request approved. You can close this window and return to your application.</p>",
        )
        .into_response()
    } else {
        layout("Request denied", "<p id=\"device-denied\">Request denied. You can close this window.</p>")
            .into_response()
    }
}

/// The user code behind a signin.aws-style `request_uri`, if it is still waiting for a decision.
fn request_code(sh: &Shared, request_uri: &str) -> Option<String> {
    let code = sh.lock().request_uris.get(request_uri).cloned()?;
    pending(sh, &code).then_some(code)
}

/// `GET /platform/authorize?request_uri=…`: the `*.signin.aws` device page. Like AWS's since
/// 2026 it shows no user code, in the URL or on the page: only the application asking, and
/// Allow / Deny. A browser extension can tell whether it is its own only by which tab it opened.
pub async fn platform_authorize(AxumState(sh): Shr, RawQuery(q): RawQuery) -> Html<String> {
    let pairs = form_pairs(q.as_deref().unwrap_or("").as_bytes());
    let request_uri = field(&pairs, "request_uri").unwrap_or("");
    let Some(code) = request_code(&sh, request_uri) else {
        return layout("Authorize request", "<p id=\"code-error\">This request is invalid or has expired.</p>");
    };
    let client_name = {
        let st = sh.lock();
        st.user_codes
            .get(&code)
            .and_then(|d| st.devices.get(d))
            .and_then(|d| st.clients.get(&d.client_id))
            .map(|c| c.name.clone())
            .unwrap_or_default()
    };
    layout(
        "Allow access?",
        &format!(
            "<p>Allow <strong id=\"client-name\">{}</strong> to access your data?</p>\
             <form method=\"post\" action=\"/platform/authorize\">\
             <input type=\"hidden\" name=\"request_uri\" value=\"{}\">\
             <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow-access\">Allow access</button>\
             <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny-access\">Deny access</button></form>",
            html_escape(&client_name),
            html_escape(request_uri)
        ),
    )
}

/// `POST /platform/authorize`: Allow or Deny pressed on the signin.aws-style page.
pub async fn platform_decide(AxumState(sh): Shr, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let Some(code) = request_code(&sh, field(&pairs, "request_uri").unwrap_or("")) else {
        let page = layout("Authorize request", "<p id=\"code-error\">This request is invalid or has expired.</p>");
        return (StatusCode::BAD_REQUEST, page).into_response();
    };
    // The classic page's decision, for the code behind the request (built before the await:
    // the serializer is not Send).
    let body = {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("user_code", &code);
        for key in ["decision", "user"] {
            if let Some(v) = field(&pairs, key) {
                form.append_pair(key, v);
            }
        }
        form.finish()
    };
    device_decide(AxumState(sh), Bytes::from(body)).await
}

/// `GET /authorize`: sign-in/consent page (or straight redirect when auto-approving).
pub async fn authorize(AxumState(sh): Shr, RawQuery(q): RawQuery) -> Response {
    sh.count("Authorize");
    let query = AuthorizeQuery::parse(q.as_deref().unwrap_or(""));
    match authorize::authorize(&sh, query) {
        AuthorizeOutcome::Redirect(to) => found(&to),
        AuthorizeOutcome::Error(msg) => {
            let page = layout("Sign-in error", &format!("<p id=\"authorize-error\">{}</p>", html_escape(&msg)));
            (StatusCode::BAD_REQUEST, page).into_response()
        }
        AuthorizeOutcome::Consent { consent_id, client_name, scopes } => {
            let user = sh.lock().user_name(0);
            layout(
                "Allow access?",
                &format!(
                    "<p>Signed in as <span id=\"signed-in-user\">{}</span>.</p>\
                     <p>Allow <strong id=\"client-name\">{}</strong> to access your data?</p>\
                     <p>Scopes: <span id=\"scopes\">{}</span></p>\
                     <form method=\"post\" action=\"/authorize\">\
                     <input type=\"hidden\" name=\"consent_id\" value=\"{}\">\
                     <button type=\"submit\" name=\"decision\" value=\"allow\" id=\"allow-access\">Allow access</button>\
                     <button type=\"submit\" name=\"decision\" value=\"deny\" id=\"deny-access\">Deny access</button></form>",
                    html_escape(&user),
                    html_escape(&client_name),
                    html_escape(&scopes.join(" ")),
                    html_escape(&consent_id)
                ),
            )
            .into_response()
        }
    }
}

/// `POST /authorize`: Allow or Deny pressed on the consent page; 302 back to the client.
pub async fn authorize_decide(AxumState(sh): Shr, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let allow = field(&pairs, "decision") == Some("allow");
    let user = user_index(&sh, field(&pairs, "user"));
    match authorize::decide_consent(&sh, field(&pairs, "consent_id").unwrap_or(""), allow, user) {
        Some(to) => found(&to),
        None => {
            let page = layout(
                "Sign-in error",
                "<p id=\"authorize-error\">This sign-in request is invalid or has expired.</p>",
            );
            (StatusCode::BAD_REQUEST, page).into_response()
        }
    }
}

/// A plain 302 (OAuth redirects use 302, not axum's default 303 for `Redirect::to`).
fn found(to: &str) -> Response {
    let mut r = Redirect::to(to).into_response();
    *r.status_mut() = StatusCode::FOUND;
    r
}

/// `GET /start`: shaped like the access portal: the accounts and their roles.
pub async fn start(AxumState(sh): Shr) -> Response {
    let st = sh.lock();
    let mut body = format!(
        "<p>Signed in as <span id=\"signed-in-user\">{}</span>.</p><ul id=\"account-list\">",
        html_escape(&st.user_name(0))
    );
    for a in &st.accounts {
        let id = html_escape(&a.id);
        body.push_str(&format!(
            "<li class=\"account\" data-account-id=\"{id}\"><span class=\"account-name\">{}</span> \
             <span class=\"account-id\">{id}</span> <span class=\"account-email\">{}</span><ul class=\"roles\">",
            html_escape(&a.name),
            html_escape(&a.email)
        ));
        for r in &a.roles {
            body.push_str(&format!(
                "<li class=\"role\" data-account-id=\"{id}\" data-role-name=\"{r}\">{r}</li>",
                r = html_escape(r)
            ));
        }
        body.push_str("</ul></li>");
    }
    body.push_str("</ul>");
    let mut resp = layout("AWS access portal", &body).into_response();
    resp.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    resp
}
