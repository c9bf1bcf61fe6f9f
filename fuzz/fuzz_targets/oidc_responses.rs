//! SSO OIDC responses (RegisterClient, StartDeviceAuthorization, CreateToken) through the public
//! calls, answered by a scripted platform, and the error classifier `Error::from_response`.
//!
//! - Success only on 2xx, and what is returned is what the body says (checked against the body
//!   read as plain JSON): ids, secrets, absolute expiry.
//! - Errors carry a stable snake_case code, and neither errors nor `Debug` of results show a
//!   secret from the body (access/refresh token, client secret, device code). A secret found in
//!   the text counts only if a control run, with the secret's value replaced in the body, shows it
//!   fewer times: the fuzzer readily makes a "secret" of fixed words (`expires_at_ms`) or of a
//!   shown message as `Debug` escapes it.
//!
//! Input: call (1 byte), status choice (1), header flag (1), then `header\n` if the flag is odd,
//! then the body.
#![no_main]

use futures_executor::block_on;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use ssobridge_core::endpoints::Endpoints;
use ssobridge_core::error::Error;
use ssobridge_core::http::HttpResponse;
use ssobridge_core::login::{Flow, Registration, SessionConfig, Token};
use ssobridge_core::oidc::{create_token, register_client, start_device_authorization, DeviceAuthorization, Grant};
use ssobridge_core::secret::Secret;
use ssobridge_fuzz::platform::{response, ScriptedPlatform, START_MS};
use ssobridge_fuzz::{assert_not_shown, strings_in, with_canary};

const SECRET_FIELDS: [&str; 4] = ["accessToken", "refreshToken", "clientSecret", "deviceCode"];

/// What one call returned.
enum Outcome {
    Registered(Registration),
    Device(DeviceAuthorization),
    Token(Token),
}

/// Runs `call` against a platform that answers `answer` once.
fn run(call: u8, answer: &HttpResponse) -> Result<Outcome, Error> {
    let answer_once = answer.clone();
    let mut served = false;
    let platform = ScriptedPlatform::new(move |_| {
        assert!(!served, "one call, one request");
        served = true;
        Ok(answer_once.clone())
    });
    let endpoints =
        Endpoints::custom("https://oidc.us-east-1.amazonaws.com", "https://portal.sso.us-east-1.amazonaws.com")
            .expect("valid endpoints");
    let session = SessionConfig {
        session_name: "corp".into(),
        start_url: "https://d-1234567890.awsapps.com/start".into(),
        region: "us-east-1".into(),
        scopes: vec![],
        endpoints: None,
        dual_stack: false,
    };
    let registration = Registration {
        client_id: "client-id".into(),
        client_secret: Secret::new("registered-client-secret"),
        expires_at_ms: START_MS + 86_400_000,
        flow: Flow::Device,
        region: "us-east-1".into(),
        start_url: session.start_url.clone(),
        scopes: vec!["sso:account:access".into()],
    };
    match call {
        0 => block_on(register_client(&platform, &endpoints, &session, Flow::Device)).map(Outcome::Registered),
        1 => block_on(start_device_authorization(&platform, &endpoints, &registration, &session.start_url))
            .map(Outcome::Device),
        _ => {
            let refresh = Secret::new("the-refresh-token-we-sent");
            block_on(create_token(&platform, &endpoints, &registration, &Grant::RefreshToken(&refresh)))
                .map(Outcome::Token)
        }
    }
}

/// Every text a person or a log could see from an outcome: `Debug` of a result; an error's
/// `Display` and `Debug`, each on its own (joined, a secret could straddle the two).
fn texts(outcome: &Result<Outcome, Error>) -> Vec<String> {
    match outcome {
        Ok(Outcome::Registered(r)) => vec![format!("{r:?}")],
        Ok(Outcome::Device(d)) => vec![format!("{:?}", d.device_code)],
        Ok(Outcome::Token(t)) => vec![format!("{t:?}")],
        Err(e) => vec![e.to_string(), format!("{e:?}")],
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 3 {
        return;
    }
    let (call, status, flag) = (data[0] % 3, data[1], data[2]);
    let rest = String::from_utf8_lossy(&data[3..]).into_owned();
    let (header, body) = match rest.split_once('\n') {
        Some((h, b)) if flag % 2 == 1 => (Some(h), b),
        _ => (None, rest.as_str()),
    };
    let answer = response(status, header, body);
    let ok_status = (200..300).contains(&answer.status);
    let json: Option<Value> = serde_json::from_str(body).ok();
    let field = |k: &str| json.as_ref().and_then(|j| j.get(k));
    let text = |k: &str| field(k).and_then(Value::as_str);
    // The checks by name need the body read as an object. serde also reads a struct from a JSON
    // array, by position, and skips an unknown field's number without the range check `Value`
    // makes (`1e4444` in a field nobody reads is no reason to refuse an answer).
    let by_name = json.as_ref().is_some_and(Value::is_object);

    let outcome = run(call, &answer);
    match &outcome {
        Ok(outcome) => {
            assert!(ok_status, "a non-2xx answer was accepted");
            match outcome {
                Outcome::Registered(r) if by_name => {
                    assert_eq!(Some(r.client_id.as_str()), text("clientId"));
                    assert_eq!(Some(r.client_secret.expose()), text("clientSecret"));
                    let expires = field("clientSecretExpiresAt").and_then(Value::as_u64).expect("expiry is a u64");
                    assert_eq!(r.expires_at_ms, expires.saturating_mul(1000));
                }
                Outcome::Device(d) if by_name => {
                    assert_eq!(Some(d.device_code.expose()), text("deviceCode"));
                    assert_eq!(Some(d.user_code.as_str()), text("userCode"));
                    assert_eq!(Some(d.expires_in), field("expiresIn").and_then(Value::as_u64));
                }
                Outcome::Token(t) => {
                    assert!(!t.access_token.expose().is_empty(), "an empty access token was accepted");
                    if by_name {
                        assert_eq!(Some(t.access_token.expose()), text("accessToken"));
                        let expires_in = field("expiresIn").and_then(Value::as_u64).expect("expiresIn is a u64");
                        assert_eq!(t.expires_at_ms, START_MS.saturating_add(expires_in.saturating_mul(1000)));
                        let refresh = text("refreshToken").filter(|r| !r.is_empty());
                        assert_eq!(t.refresh_token.as_ref().map(Secret::expose), refresh);
                    }
                }
                _ => {}
            }
        }
        Err(e) => {
            let code = e.code();
            assert!(!code.is_empty() && code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'), "code {code:?}");
            if !ok_status {
                // The classifier alone says the same for the same response.
                assert_eq!(&Error::from_response(&answer), e);
            }
        }
    }

    // No secret from the body is shown, except inside a value that may be: every non-secret
    // string in the body, and the header.
    let mut shown_ok: Vec<String> = header.map(str::to_string).into_iter().collect();
    if let Some(Value::Object(map)) = &json {
        for (k, v) in map.iter().filter(|(k, _)| !SECRET_FIELDS.contains(&k.as_str())) {
            shown_ok.push(k.clone());
            strings_in(v, &mut shown_ok);
        }
    }
    let shown_ok: Vec<&str> = shown_ok.iter().map(String::as_str).collect();
    let shown = texts(&outcome);
    for secret in SECRET_FIELDS.iter().filter_map(|k| text(k)) {
        let times = |texts: &[String]| texts.iter().map(|t| t.matches(secret).count()).sum::<usize>();
        if times(&shown) == 0 {
            continue;
        }
        // Shown as often when the body no longer holds the secret: a coincidence, not a leak.
        let Some(control) = with_canary(body, secret) else { continue };
        let control = texts(&run(call, &response(status, header, &control)));
        if times(&shown) > times(&control) {
            shown.iter().for_each(|t| assert_not_shown("the outcome", t, secret, &shown_ok));
        }
    }
});
