//! Gets a real token from the IAM Identity Center emulator with the device flow, over plain
//! HTTP/1.0 (no client library needed for four JSON POSTs).

use std::io::{Read, Write};
use std::net::TcpStream;

use serde_json::{json, Value};

/// An emulator with one account, `111122223333` ("dev"), granting AdministratorAccess and
/// ReadOnlyAccess: what the interop tests sign in to.
pub fn dev_account_emulator() -> idc_emulator::Emulator {
    let config = idc_emulator::Config {
        accounts: idc_emulator::config::Accounts::List(vec![idc_emulator::config::AccountSpec {
            id: "111122223333".into(),
            name: Some("dev".into()),
            email: None,
            roles: vec!["AdministratorAccess".into(), "ReadOnlyAccess".into()],
        }]),
        ..idc_emulator::Config::default()
    };
    idc_emulator::Emulator::start(config).expect("start emulator")
}

/// POSTs JSON to `base` + `path`; returns (status, body).
pub fn post_json(base: &str, path: &str, body: &Value) -> (u16, Value) {
    let authority = base.strip_prefix("http://").expect("emulator URL is http");
    let mut stream = TcpStream::connect(authority).expect("connect to emulator");
    let body = body.to_string();
    write!(
        stream,
        "POST {path} HTTP/1.0\r\nHost: {authority}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .expect("send request");
    let mut response = Vec::new();
    stream.read_to_end(&mut response).expect("read response");
    let text = String::from_utf8_lossy(&response);
    let (head, body) = text.split_once("\r\n\r\n").expect("HTTP response");
    let status = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).expect("status code");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

/// A token from the device flow, plus its registration.
pub struct DeviceToken {
    pub access_token: String,
    pub refresh_token: Option<String>,
    pub expires_in: i64,
    pub client_id: String,
    pub client_secret: String,
    pub client_secret_expires_at: i64,
}

/// Register, start device authorization, approve it through the emulator, create the token.
pub fn device_login(emu: &idc_emulator::Emulator, start_url: &str) -> DeviceToken {
    let url = emu.url();
    let (status, reg) = post_json(
        url,
        "/client/register",
        &json!({"clientName": "sso-bridge-test", "clientType": "public", "scopes": ["sso:account:access"]}),
    );
    assert_eq!(status, 200, "register: {reg}");
    let client_id = reg["clientId"].as_str().expect("clientId").to_string();
    let client_secret = reg["clientSecret"].as_str().expect("clientSecret").to_string();
    let (status, dev) = post_json(
        url,
        "/device_authorization",
        &json!({"clientId": client_id, "clientSecret": client_secret, "startUrl": start_url}),
    );
    assert_eq!(status, 200, "device_authorization: {dev}");
    assert!(emu.approve(dev["userCode"].as_str().expect("userCode")), "approve");
    let (status, token) = post_json(
        url,
        "/token",
        &json!({"clientId": client_id, "clientSecret": client_secret, "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": dev["deviceCode"]}),
    );
    assert_eq!(status, 200, "token: {token}");
    DeviceToken {
        access_token: token["accessToken"].as_str().expect("accessToken").to_string(),
        refresh_token: token["refreshToken"].as_str().map(String::from),
        expires_in: token["expiresIn"].as_i64().expect("expiresIn"),
        client_id,
        client_secret,
        client_secret_expires_at: reg["clientSecretExpiresAt"].as_i64().expect("clientSecretExpiresAt"),
    }
}

/// A `saveToken` request for `token` as session `session` of `start_url`, expiring at
/// `expires_at` (seconds), with `targets` when not null.
pub fn save_token_request(
    id: u64,
    session: &str,
    start_url: &str,
    token: &DeviceToken,
    expires_at: i64,
    targets: &Value,
) -> Value {
    use ssobridge_core::token_cache::format_timestamp;
    let mut request = json!({"id": id, "action": "saveToken", "params": {
        "sessionName": session, "startUrl": start_url, "region": "us-east-1", "scopes": ["sso:account:access"],
        "token": {"accessToken": token.access_token, "expiresAt": format_timestamp(expires_at),
                  "refreshToken": token.refresh_token, "clientId": token.client_id, "clientSecret": token.client_secret,
                  "registrationExpiresAt": format_timestamp(token.client_secret_expires_at)}}});
    if !targets.is_null() {
        request["params"]["targets"] = targets.clone();
    }
    request
}
