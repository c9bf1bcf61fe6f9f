//! Portal API (paging, auth, throttle, faults), STS, admin config, pages and CORS.

mod common;

use std::collections::BTreeSet;

use common::Api;
use idc_emulator::config::{AccountSpec, Accounts, Config, Faults, Throttle};
use serde_json::json;

fn accounts(n: u32) -> Config {
    Config { accounts: Accounts::Count(n), ..Config::default() }
}

#[test]
fn list_accounts_pages_through_everything() {
    let api = Api::new(accounts(250));
    let (_, t) = api.login();
    let mut ids = BTreeSet::new();
    let mut next: Option<String> = None;
    let mut pages = 0;
    loop {
        let mut path = "/assignment/accounts?max_result=100".to_string();
        if let Some(n) = &next {
            path.push_str(&format!("&next_token={}", urlencode(n)));
        }
        let r = api.portal(&path, &t.access);
        assert_eq!(r.status, 200, "{}", r.text);
        pages += 1;
        for a in r.body["accountList"].as_array().unwrap() {
            assert_eq!(a["accountId"].as_str().unwrap().len(), 12);
            assert!(a["accountName"].is_string() && a["emailAddress"].is_string());
            ids.insert(a["accountId"].as_str().unwrap().to_string());
        }
        next = r.body["nextToken"].as_str().map(String::from);
        if next.is_none() {
            break;
        }
    }
    assert_eq!((ids.len(), pages), (250, 3));
    assert_eq!(api.emu.counts().get("ListAccounts"), Some(&3));

    let r = api.portal("/assignment/accounts", &t.access);
    assert_eq!(r.body["accountList"].as_array().unwrap().len(), 100, "default page size");
    for bad in ["max_result=0", "max_result=101", "max_result=x", "next_token=garbage!"] {
        let r = api.portal(&format!("/assignment/accounts?{bad}"), &t.access);
        assert_eq!((r.status, r.err()), (400, "InvalidRequestException"), "{bad}");
    }
}

fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[test]
fn list_account_roles_pages_and_knows_its_accounts() {
    let api = Api::new(Config { roles_per_account: 3, ..accounts(2) });
    let (_, t) = api.login();
    let r = api.portal("/assignment/accounts", &t.access);
    let account = r.body["accountList"][0]["accountId"].as_str().unwrap().to_string();
    let r = api.portal(&format!("/assignment/roles?account_id={account}&max_result=2"), &t.access);
    assert_eq!(r.body["roleList"].as_array().unwrap().len(), 2);
    assert_eq!(r.body["roleList"][0]["accountId"], account.as_str());
    let next = r.body["nextToken"].as_str().unwrap().to_string();
    let r = api.portal(&format!("/assignment/roles?account_id={account}&next_token={}", urlencode(&next)), &t.access);
    assert_eq!(r.body["roleList"].as_array().unwrap().len(), 1);
    assert!(r.body.get("nextToken").is_none());

    let r = api.portal("/assignment/roles?account_id=999999999999", &t.access);
    assert_eq!((r.status, r.err()), (404, "ResourceNotFoundException"));
    let r = api.portal("/assignment/roles", &t.access);
    assert_eq!((r.status, r.err()), (400, "InvalidRequestException"));
}

#[test]
fn unauthorized_tokens_get_401() {
    let api = Api::new(Config { access_token_lifetime_secs: 100, ..accounts(1) });
    let r = api.http.get(api.url("/assignment/accounts")).send().unwrap();
    assert_eq!(r.status().as_u16(), 401, "no token header");
    let r = api.portal("/assignment/accounts", "aoaUnknown");
    assert_eq!((r.status, r.err()), (401, "UnauthorizedException"));
    assert_eq!(r.body, json!({"message": "Session token not found or invalid"}));

    let (_, t) = api.login();
    let r = api.post_json("/admin/tokens/revoke", &json!({"accessToken": t.access}));
    assert_eq!(r.status, 200);
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 401, "revoked");

    let (_, t) = api.login();
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200);
    api.emu.advance_clock(101);
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 401, "expired");

    let (_, t) = api.login();
    let r = api.http.post(api.url("/logout")).header("x-amz-sso_bearer_token", &t.access).send().unwrap();
    assert_eq!(r.status().as_u16(), 200);
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 401, "logged out");
    let r = api.http.post(api.url("/logout")).header("x-amz-sso_bearer_token", &t.access).send().unwrap();
    assert_eq!(r.status().as_u16(), 401, "second logout");
}

fn sts_call(api: &Api, access_key: &str, session_token: &str) -> (u16, String) {
    let r = api
        .http
        .post(api.url("/"))
        .header("content-type", "application/x-www-form-urlencoded; charset=utf-8")
        .header(
            "authorization",
            format!(
                "AWS4-HMAC-SHA256 Credential={access_key}/20260101/us-east-1/sts/aws4_request, \
                 SignedHeaders=content-type;host;x-amz-date, Signature=00"
            ),
        )
        .header("x-amz-security-token", session_token)
        .body("Action=GetCallerIdentity&Version=2011-06-15")
        .send()
        .unwrap();
    (r.status().as_u16(), r.text().unwrap())
}

#[test]
fn role_credentials_pass_sts() {
    let explicit = Config {
        accounts: Accounts::List(vec![AccountSpec {
            id: "111122223333".into(),
            name: Some("Prod 本番 (EU) #1".into()),
            email: None,
            roles: vec!["AdministratorAccess".into(), "ReadOnly".into()],
        }]),
        ..Config::default()
    };
    let api = Api::new(explicit);
    let (_, t) = api.login();
    let r = api.portal("/federation/credentials?role_name=ReadOnly&account_id=111122223333", &t.access);
    assert_eq!(r.status, 200, "{}", r.text);
    let creds = &r.body["roleCredentials"];
    let key = creds["accessKeyId"].as_str().unwrap();
    assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
    let expiration = creds["expiration"].as_u64().unwrap();
    assert!(expiration > 1_000_000_000_000, "epoch milliseconds: {expiration}");

    let (status, xml) = sts_call(&api, key, creds["sessionToken"].as_str().unwrap());
    assert_eq!(status, 200, "{xml}");
    assert!(xml.contains("<Arn>arn:aws:sts::111122223333:assumed-role/ReadOnly/emulator-user</Arn>"), "{xml}");
    assert!(xml.contains("<Account>111122223333</Account>"));

    let (status, xml) = sts_call(&api, "ASIAUNKNOWNKEY000000", "x");
    assert_eq!(status, 403);
    assert!(xml.contains("<Code>InvalidClientTokenId</Code>"), "{xml}");
    let (status, _) = sts_call(&api, key, "not-the-session-token");
    assert_eq!(status, 403);

    let r = api.portal("/federation/credentials?role_name=Billing&account_id=111122223333", &t.access);
    assert_eq!((r.status, r.err()), (403, "ForbiddenException"));
    let r = api.portal("/federation/credentials?role_name=ReadOnly", &t.access);
    assert_eq!((r.status, r.err()), (400, "InvalidRequestException"));
    assert_eq!(api.emu.counts().get("GetCallerIdentity"), Some(&3));
}

#[test]
fn throttle_answers_429_and_counts_it() {
    let cfg = Config {
        throttle: Throttle { listing_rps: Some(0.001), credentials_rps: None, burst: Some(2.0) },
        ..accounts(1)
    };
    let api = Api::new(cfg);
    let (_, t) = api.login();
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200);
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200);
    let r = api.portal("/assignment/accounts", &t.access);
    assert_eq!((r.status, r.err()), (429, "TooManyRequestsException"));
    let counts = api.emu.counts();
    assert_eq!(counts.get("Throttled"), Some(&1));
    assert_eq!(counts.get("Throttled.ListAccounts"), Some(&1));
    assert_eq!(counts.get("ListAccounts"), Some(&3));

    // Lifting the throttle at run time takes effect at once.
    let r = api.post_json("/admin/config", &json!({"throttle": {}}));
    assert_eq!(r.status, 200, "{}", r.text);
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200);
}

#[test]
fn injected_server_errors() {
    let api = Api::new(Config { faults: Faults { server_error_rate: 1.0, ..Faults::default() }, ..accounts(1) });
    let (_, t) = api.login();
    let r = api.portal("/assignment/accounts", &t.access);
    assert_eq!((r.status, r.err()), (500, "InternalServerException"));
    api.post_json("/admin/config", &json!({"faults": {"serverErrorRate": 0.0}}));
    assert_eq!(api.portal("/assignment/accounts", &t.access).status, 200);
}

#[test]
fn admin_config_changes_grants_at_run_time() {
    let api = Api::new(accounts(1));
    let (_, t) = api.login();
    let r = api.post_json(
        "/admin/config",
        &json!({"accounts": [{"id": "123456789012", "name": "x ] = y\nz", "roles": ["OnlyRole"]}]}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    let r = api.portal("/assignment/accounts", &t.access);
    assert_eq!(
        r.body["accountList"],
        json!([{"accountId": "123456789012", "accountName": "x ] = y\nz",
        "emailAddress": "aws+123456789012@example.com"}])
    );
    let r = api.portal("/assignment/roles?account_id=123456789012", &t.access);
    assert_eq!(r.body["roleList"], json!([{"roleName": "OnlyRole", "accountId": "123456789012"}]));
    assert_eq!(api.post_json("/admin/config", &json!({"noSuchField": 1})).status, 400);
    assert_eq!(api.post_raw("/admin/config", "{oops").status, 400);
    assert_eq!(api.post_json("/admin/config", &json!({"accounts": 1_000_000_000})).status, 400, "absurd size");

    let counts: serde_json::Value = api.http.get(api.url("/admin/counts")).send().unwrap().json().unwrap();
    assert_eq!(counts["ListAccounts"], 1);
    assert_eq!(api.post_json("/admin/counts/reset", &json!({})).status, 200);
    assert!(api.emu.counts().is_empty());
}

#[test]
fn device_pages_approve_a_code() {
    let api = Api::new(Config::default());
    let c = api.register(json!({}));
    let (device, user, _) = api.start_device(&c);
    let html = api.http.get(api.url(&format!("/device?user_code={user}"))).send().unwrap().text().unwrap();
    assert!(html.contains(&user) && html.contains("id=\"confirm-code\""), "{html}");
    let html = api.http.post(api.url("/device/confirm")).form(&[("user_code", &user)]).send().unwrap().text().unwrap();
    assert!(html.contains("id=\"allow-access\"") && html.contains("test-client"), "{html}");
    let r = api
        .http
        .post(api.url("/device/decide"))
        .form(&[("user_code", user.as_str()), ("decision", "allow")])
        .send()
        .unwrap();
    assert!(r.text().unwrap().contains("id=\"device-approved\""));
    assert_eq!(api.poll(&c, &device).status, 200);

    let html = api.http.get(api.url("/device?user_code=QQQQ-QQQQ")).send().unwrap().text().unwrap();
    assert!(html.contains("id=\"code-error\""));
}

#[test]
fn start_page_lists_accounts_escaped() {
    let cfg = Config {
        accounts: Accounts::List(vec![AccountSpec {
            id: "111122223333".into(),
            name: Some("<b>Prod</b> 本番".into()),
            email: None,
            roles: vec!["Admin".into()],
        }]),
        ..Config::default()
    };
    let api = Api::new(cfg);
    let html = api.http.get(api.url("/start")).send().unwrap().text().unwrap();
    assert!(html.contains("&lt;b&gt;Prod&lt;/b&gt; 本番") && !html.contains("<b>Prod"), "{html}");
    assert!(html.contains("data-role-name=\"Admin\""));
}

#[test]
fn cors_preflight_and_headers() {
    let api = Api::new(Config::default());
    let r = api
        .http
        .request(reqwest::Method::OPTIONS, api.url("/assignment/accounts"))
        .header("origin", "chrome-extension://abc")
        .header("access-control-request-method", "GET")
        .header("access-control-request-headers", "x-amz-sso_bearer_token,authorization")
        .send()
        .unwrap();
    assert!(r.status().is_success());
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    let allowed = r.headers()["access-control-allow-headers"].to_str().unwrap().to_string();
    assert!(allowed.contains("x-amz-sso_bearer_token") && allowed.contains("authorization"), "{allowed}");
    let r = api.http.post(api.url("/token")).header("origin", "http://page").body("{").send().unwrap();
    assert_eq!(r.headers()["access-control-allow-origin"], "*");
    assert!(r.headers()["access-control-expose-headers"].to_str().unwrap().contains("x-amzn-errortype"));
}

/// Many concurrent callers against a throttle: every call is answered 200 or 429, every call is
/// counted, and the admitted ones never beat the configured rate (an upper bound that holds
/// however slow the machine is: the server's window lies inside the client's).
#[test]
fn concurrent_listing_under_throttle_is_honest() {
    let rps = 40.0;
    let api = Api::new(Config {
        throttle: Throttle { listing_rps: Some(rps), credentials_rps: None, burst: None },
        ..accounts(3)
    });
    let (_, t) = api.login();
    let started = std::time::Instant::now();
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                s.spawn(|| (0..25).map(|_| api.portal("/assignment/accounts", &t.access).status).collect::<Vec<_>>())
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });
    let elapsed = started.elapsed().as_secs_f64();
    let ok = statuses.iter().filter(|s| **s == 200).count() as u64;
    let throttled = statuses.iter().filter(|s| **s == 429).count() as u64;
    assert_eq!(ok + throttled, 200, "only 200 or 429: {statuses:?}");
    let counts = api.emu.counts();
    assert_eq!(counts.get("ListAccounts"), Some(&200));
    assert_eq!(counts.get("Throttled").copied().unwrap_or(0), throttled);
    assert!(ok as f64 <= 1.0 + rps * elapsed + 1e-6, "{ok} admitted in {elapsed}s at {rps}/s");
}

/// A device-flow sign-in that names `start_url`.
fn login_at(api: &Api, start_url: &str) -> String {
    let c = api.register(json!({}));
    let r = api.post_json(
        "/device_authorization",
        &json!({"clientId": c.id, "clientSecret": c.secret, "startUrl": start_url}),
    );
    assert_eq!(r.status, 200, "{}", r.text);
    assert!(api.emu.approve(r.body["userCode"].as_str().unwrap()));
    let r = api.poll(&c, r.body["deviceCode"].as_str().unwrap());
    assert_eq!(r.status, 200, "{}", r.text);
    r.body["accessToken"].as_str().unwrap().to_string()
}

#[test]
fn each_portal_of_the_emulator_lists_its_own_accounts_and_failing_accounts_always_fail() {
    let spec =
        |id: &str| AccountSpec { id: id.into(), name: Some("prod".into()), email: None, roles: vec!["Admin".into()] };
    let config = Config {
        accounts: Accounts::List(vec![spec("111122223333"), spec("222233334444")]),
        portals: vec![idc_emulator::config::PortalSpec {
            start_url_path: "/".into(),
            accounts: Accounts::List(vec![spec("999988887777")]),
        }],
        faults: Faults { failing_accounts: vec!["222233334444".into()], ..Faults::default() },
        ..Config::default()
    };
    let api = Api::new(config);
    let ids = |token: &str| -> Vec<String> {
        let r = api.portal("/assignment/accounts", token);
        r.body["accountList"].as_array().unwrap().iter().map(|a| a["accountId"].as_str().unwrap().to_string()).collect()
    };
    let first = login_at(&api, &api.url("/start"));
    let second = login_at(&api, &api.url(""));
    assert_eq!(ids(&first), ["111122223333", "222233334444"]);
    assert_eq!(ids(&second), ["999988887777"]);
    // Each session reaches only its own portal's accounts.
    let r = api.portal("/assignment/roles?account_id=999988887777", &first);
    assert_eq!(r.status, 404);
    let r = api.portal("/assignment/roles?account_id=999988887777", &second);
    assert_eq!(r.status, 200, "{}", r.text);
    let r = api.portal("/federation/credentials?account_id=111122223333&role_name=Admin", &second);
    assert_eq!((r.status, r.err()), (403, "ForbiddenException"));
    // The failing account fails every time; the other one never does.
    for _ in 0..3 {
        let r = api.portal("/assignment/roles?account_id=222233334444", &first);
        assert_eq!((r.status, r.err()), (500, "InternalServerException"));
        assert_eq!(api.portal("/assignment/roles?account_id=111122223333", &first).status, 200);
    }
    assert_eq!(api.emu.counts().get("FailingAccount"), Some(&3));
}
