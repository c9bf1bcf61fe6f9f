//! OIDC state machines: device code, refresh, authorization code + PKCE, and bad input.

mod common;

use common::Api;
use idc_emulator::config::Config;
use idc_emulator::oidc::pkce_challenge;
use serde_json::json;

fn interval(secs: u64) -> Config {
    Config { poll_interval_secs: secs, ..Config::default() }
}

#[test]
fn device_code_pending_then_approved_then_redeemed() {
    let api = Api::new(interval(1));
    let c = api.register(json!({}));
    let (device, user, body) = api.start_device(&c);
    assert_eq!(body["verificationUri"], format!("{}/device", api.emu.url()));
    assert_eq!(body["verificationUriComplete"], format!("{}/device?user_code={user}", api.emu.url()));
    assert_eq!(body["interval"], 1);
    assert!(user.len() == 9 && user.as_bytes()[4] == b'-', "user code shape: {user}");

    let r = api.poll(&c, &device);
    assert_eq!((r.status, r.err()), (400, "AuthorizationPendingException"));
    assert_eq!(r.body["error"], "authorization_pending");
    assert_eq!(api.emu.pending_user_codes(), vec![user.clone()]);

    assert!(api.emu.approve(&user));
    assert!(!api.emu.approve(&user), "a decided code cannot be decided again");
    api.emu.advance_clock(2);
    let r = api.poll(&c, &device);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["tokenType"], "Bearer");
    assert!(r.body["accessToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert!(r.body["refreshToken"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(r.body["expiresIn"], 3600);

    api.emu.advance_clock(2);
    let r = api.poll(&c, &device);
    assert_eq!((r.status, r.err()), (400, "InvalidGrantException"), "device codes are single-use");
    assert_eq!(api.emu.counts().get("CreateToken"), Some(&3));
    assert_eq!(api.emu.counts().get("StartDeviceAuthorization"), Some(&1));
}

#[test]
fn polling_faster_than_interval_is_slow_down() {
    let api = Api::new(interval(5));
    let c = api.register(json!({}));
    let (device, _, _) = api.start_device(&c);
    assert_eq!(api.poll(&c, &device).err(), "AuthorizationPendingException", "first poll may be immediate");
    let r = api.poll(&c, &device);
    assert_eq!((r.status, r.err()), (400, "SlowDownException"));
    assert_eq!(r.body["error"], "slow_down");
    api.emu.advance_clock(5);
    assert_eq!(api.poll(&c, &device).err(), "AuthorizationPendingException");
}

#[test]
fn zero_interval_never_slows_down() {
    let api = Api::new(interval(0));
    let c = api.register(json!({}));
    let (device, _, _) = api.start_device(&c);
    for _ in 0..3 {
        assert_eq!(api.poll(&c, &device).err(), "AuthorizationPendingException");
    }
}

#[test]
fn device_code_expires() {
    let api = Api::new(Config { device_code_lifetime_secs: 60, ..interval(1) });
    let c = api.register(json!({}));
    let (device, user, body) = api.start_device(&c);
    assert_eq!(body["expiresIn"], 60);
    api.emu.advance_clock(61);
    let r = api.poll(&c, &device);
    assert_eq!((r.status, r.err()), (400, "ExpiredTokenException"));
    assert!(!api.emu.approve(&user), "an expired code cannot be approved");
}

#[test]
fn denied_device_code_is_access_denied() {
    let api = Api::new(interval(1));
    let c = api.register(json!({}));
    let (device, user, _) = api.start_device(&c);
    let r = api.post_json("/admin/device/deny", &json!({"userCode": user.to_lowercase().replace('-', "")}));
    assert_eq!(r.status, 200, "codes are matched case- and dash-insensitively: {}", r.text);
    let r = api.poll(&c, &device);
    assert_eq!((r.status, r.err()), (400, "AccessDeniedException"));
    assert_eq!(r.body["error"], "access_denied");
}

#[test]
fn admin_approve_and_pending_routes() {
    let api = Api::new(interval(0));
    let c = api.register(json!({}));
    let (device, user, _) = api.start_device(&c);
    let pending = api.http.get(api.url("/admin/device/pending")).send().unwrap().json::<serde_json::Value>().unwrap();
    assert_eq!(pending, json!([user]));
    assert_eq!(api.post_json("/admin/device/approve", &json!({"userCode": "ZZZZ-ZZZZ"})).status, 404);
    assert_eq!(api.post_json("/admin/device/approve", &json!({"userCode": user})).status, 200);
    assert_eq!(api.poll(&c, &device).status, 200);
}

#[test]
fn auto_approve_issues_on_first_poll() {
    let api = Api::new(Config { auto_approve: true, ..Config::default() });
    let c = api.register(json!({}));
    let (device, _, _) = api.start_device(&c);
    assert_eq!(api.poll(&c, &device).status, 200);
}

#[test]
fn refresh_issues_working_tokens_and_rejects_bad_ones() {
    let api = Api::new(interval(1));
    let (c, t) = api.login();
    let r = api.refresh(&c, &t.refresh);
    assert_eq!(r.status, 200, "{}", r.text);
    let new_access = r.body["accessToken"].as_str().unwrap().to_string();
    assert_ne!(new_access, t.access);
    assert_eq!(api.portal("/assignment/accounts", &new_access).status, 200);

    let r = api.refresh(&c, "aorNotARealToken");
    assert_eq!((r.status, r.err()), (400, "InvalidGrantException"));
    assert_eq!(r.body["error_description"], "Invalid refresh token provided");

    let other = api.register(json!({}));
    assert_eq!(api.refresh(&other, &t.refresh).err(), "InvalidGrantException", "bound to its client");

    let r = api.post_json("/admin/tokens/revoke", &json!({"refreshToken": t.refresh}));
    assert_eq!(r.status, 200);
    assert_eq!(api.refresh(&c, &t.refresh).err(), "InvalidGrantException");
}

#[test]
fn refresh_token_expires_and_logout_ends_session() {
    let api = Api::new(Config { refresh_token_lifetime_secs: 100, ..interval(1) });
    let (c, t) = api.login();
    let logout = api.http.post(api.url("/logout")).header("x-amz-sso_bearer_token", &t.access).send().unwrap();
    assert_eq!(logout.status().as_u16(), 200);
    assert_eq!(api.refresh(&c, &t.refresh).err(), "InvalidGrantException", "logout ends refresh too");

    let (c, t) = api.login();
    api.emu.advance_clock(101);
    assert_eq!(api.refresh(&c, &t.refresh).err(), "InvalidGrantException");
}

const VERIFIER: &str = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-._~";

/// Register an auth-code client, open /authorize, press Allow; returns (client, code, redirect).
fn authorize(api: &Api, redirect: &str) -> (common::Registration, String) {
    let c = api.register(json!({
        "grantTypes": ["authorization_code", "refresh_token"],
        "redirectUris": ["http://127.0.0.1/oauth/callback"],
        "scopes": ["sso:account:access"],
    }));
    let page = api
        .http
        .get(api.url("/authorize"))
        .query(&[
            ("response_type", "code"),
            ("client_id", &c.id),
            ("redirect_uri", redirect),
            ("state", "st-123"),
            ("code_challenge_method", "S256"),
            ("scopes", "sso:account:access"),
            ("code_challenge", &pkce_challenge(VERIFIER)),
        ])
        .send()
        .unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().unwrap();
    assert!(html.contains("id=\"allow-access\""), "{html}");
    let r = decide_consent(api, &html, "allow");
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&format!("{redirect}?")), "{location}");
    let url = url::Url::parse(&location).unwrap();
    let q: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(q["state"], "st-123");
    (c, q["code"].clone())
}

/// Answers the consent page in `html` (what a person's Allow / Deny click posts).
fn decide_consent(api: &Api, html: &str, decision: &str) -> reqwest::blocking::Response {
    let consent = html.split("name=\"consent_id\" value=\"").nth(1).and_then(|s| s.split('"').next()).unwrap();
    api.http.post(api.url("/authorize")).form(&[("consent_id", consent), ("decision", decision)]).send().unwrap()
}

fn exchange(api: &Api, c: &common::Registration, code: &str, redirect: &str, verifier: &str) -> common::Reply {
    api.post_json(
        "/token",
        &json!({"clientId": c.id, "clientSecret": c.secret, "grantType": "authorization_code",
                "code": code, "redirectUri": redirect, "codeVerifier": verifier}),
    )
}

#[test]
fn authorization_code_with_pkce() {
    let api = Api::new(Config::default());
    let redirect = "http://127.0.0.1:54321/oauth/callback";
    let (c, code) = authorize(&api, redirect);
    let r = exchange(&api, &c, &code, redirect, VERIFIER);
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(r.body["tokenType"], "Bearer");
    assert_eq!(exchange(&api, &c, &code, redirect, VERIFIER).err(), "InvalidGrantException", "single use");
    let refreshed = api.refresh(&c, r.body["refreshToken"].as_str().unwrap());
    assert_eq!(refreshed.status, 200);
}

#[test]
fn authorization_code_wrong_verifier_or_redirect() {
    let api = Api::new(Config::default());
    let redirect = "http://127.0.0.1:40000/oauth/callback";
    let (c, code) = authorize(&api, redirect);
    let r = exchange(&api, &c, &code, redirect, &VERIFIER.replace('0', "1"));
    assert_eq!((r.status, r.err()), (400, "InvalidGrantException"));
    let (c, code) = authorize(&api, redirect);
    let r = exchange(&api, &c, &code, "http://127.0.0.1:40001/oauth/callback", VERIFIER);
    assert_eq!(r.err(), "InvalidGrantException");
}

#[test]
fn authorize_refuses_unregistered_redirects_and_reports_deny() {
    let api = Api::new(Config::default());
    let c = api.register(json!({
        "grantTypes": ["authorization_code", "refresh_token"],
        "redirectUris": ["http://127.0.0.1/oauth/callback"],
    }));
    let challenge = pkce_challenge(VERIFIER);
    let go = |redirect: &str| {
        api.http
            .get(api.url("/authorize"))
            .query(&[
                ("response_type", "code"),
                ("client_id", c.id.as_str()),
                ("redirect_uri", redirect),
                ("state", "s"),
                ("code_challenge_method", "S256"),
                ("code_challenge", challenge.as_str()),
            ])
            .send()
            .unwrap()
    };
    let r = go("http://evil.example/oauth/callback");
    assert_eq!(r.status().as_u16(), 400, "no redirect to an unregistered URI");
    assert!(r.headers().get("location").is_none());
    let r = go("http://127.0.0.1:1234/elsewhere");
    assert_eq!(r.status().as_u16(), 400);

    let html = go("http://127.0.0.1:1234/oauth/callback").text().unwrap();
    let r = decide_consent(&api, &html, "deny");
    assert_eq!(r.status().as_u16(), 302);
    let location = r.headers()["location"].to_str().unwrap();
    assert!(location.contains("error=access_denied") && location.contains("state=s"), "{location}");

    // A device-flow client (no grant types registered) cannot use the authorization-code grant.
    let device_client = api.register(json!({}));
    let r = exchange(&api, &device_client, "x", "http://127.0.0.1:1/oauth/callback", VERIFIER);
    assert_eq!(r.err(), "UnauthorizedClientException");
}

#[test]
fn malformed_and_wrong_input_gets_aws_errors() {
    let api = Api::new(Config::default());
    for path in ["/client/register", "/device_authorization", "/token"] {
        for body in ["{not json", "[1,2]", "\"str\"", "{\"clientId\": 5}", "\u{0}\u{1}"] {
            let r = api.post_raw(path, body);
            assert_eq!((r.status, r.err()), (400, "InvalidRequestException"), "{path} {body:?}: {}", r.text);
            assert_eq!(r.body["error"], "invalid_request");
        }
        let r = api.post_raw(path, "{}");
        assert_eq!(r.err(), "InvalidRequestException", "{path}: missing fields");
    }
    let r = api.post_json("/client/register", &json!({"clientName": "x", "clientType": "confidential"}));
    assert_eq!(r.err(), "InvalidClientMetadataException");
    let r = api
        .post_json("/client/register", &json!({"clientName": "x", "clientType": "public", "grantTypes": ["password"]}));
    assert_eq!(r.err(), "UnsupportedGrantTypeException");
    let r = api.post_json(
        "/client/register",
        &json!({"clientName": "x", "clientType": "public", "redirectUris": ["http://evil.example/cb"]}),
    );
    assert_eq!(r.err(), "InvalidRedirectUriException");

    let c = api.register(json!({}));
    let r = api.post_json("/token", &json!({"clientId": c.id, "clientSecret": c.secret, "grantType": "password"}));
    assert_eq!((r.status, r.err()), (400, "UnsupportedGrantTypeException"));
    let r = api.post_json(
        "/token",
        &json!({"clientId": c.id, "clientSecret": "wrong", "grantType": "refresh_token", "refreshToken": "x"}),
    );
    assert_eq!((r.status, r.err()), (401, "InvalidClientException"));
    let r = api.post_json("/device_authorization", &json!({"clientId": "nope", "clientSecret": "x", "startUrl": "u"}));
    assert_eq!((r.status, r.err()), (401, "InvalidClientException"));
    let r = api.post_json(
        "/token",
        &json!({"clientId": c.id, "clientSecret": c.secret, "grantType": "urn:ietf:params:oauth:grant-type:device_code"}),
    );
    assert_eq!(r.err(), "InvalidRequestException", "deviceCode missing");

    let r = api.post_raw("/no/such/route", "{}");
    assert_eq!((r.status, r.err()), (404, "UnknownOperationException"));
}

#[test]
fn expired_registration_is_invalid_client() {
    let api = Api::new(Config { registration_lifetime_secs: 10, ..Config::default() });
    let c = api.register(json!({}));
    api.emu.advance_clock(11);
    let r =
        api.post_json("/device_authorization", &json!({"clientId": c.id, "clientSecret": c.secret, "startUrl": "u"}));
    assert_eq!((r.status, r.err()), (401, "InvalidClientException"));
}

/// Deterministic junk (a tiny LCG) at every route: never a 5xx, never a hang, and the server
/// still works afterwards.
#[test]
fn junk_input_never_breaks_the_server() {
    let api = Api::new(Config::default());
    let (_, t) = api.login();
    let mut seed: u64 = 0x5eed;
    let mut junk = |len: usize| -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                (seed >> 56) as u8
            })
            .collect()
    };
    let posts = [
        "/client/register",
        "/device_authorization",
        "/token",
        "/logout",
        "/",
        "/authorize",
        "/device/confirm",
        "/device/decide",
        "/admin/config",
        "/admin/device/approve",
        "/admin/tokens/revoke",
        "/admin/clock/advance",
    ];
    for path in posts {
        for len in [0, 1, 7, 64, 1000] {
            let r = api
                .http
                .post(api.url(path))
                .header("x-amz-sso_bearer_token", &t.access)
                .body(junk(len))
                .send()
                .unwrap();
            assert!(r.status().as_u16() < 500, "POST {path} with {len} junk bytes: {}", r.status());
        }
    }
    let queries = [
        "max_result=99999999999999999999",
        "next_token=%FF%FE",
        "account_id=%00&role_name=%",
        "max_result=-1&next_token=",
        "account_id=111122223333&account_id=2",
    ];
    for path in
        ["/assignment/accounts", "/assignment/roles", "/federation/credentials", "/device", "/authorize", "/start"]
    {
        for q in queries {
            let r = api
                .http
                .get(api.url(&format!("{path}?{q}")))
                .header("x-amz-sso_bearer_token", &t.access)
                .send()
                .unwrap();
            assert!(r.status().as_u16() < 500, "GET {path}?{q}: {}", r.status());
        }
    }
    let r = api.post_json(
        "/token",
        &json!({"clientId": ["a"], "clientSecret": {"x": 1}, "grantType": 12, "deviceCode": null}),
    );
    assert_eq!(r.err(), "InvalidRequestException");
    // (The junk POST to /logout carried the token, so sign in again.)
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 401, "logout ended the session");
    let (_, t) = api.login();
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200, "still serving");
}
