//! Shared helpers: a blocking HTTP client speaking to an in-process emulator.
#![allow(dead_code)] // each test binary uses a different subset

use idc_emulator::{Config, Emulator};
use reqwest::blocking::{Client, Response};
use serde_json::{json, Value};

pub struct Api {
    pub emu: Emulator,
    pub http: Client,
}

/// A response reduced to what tests look at.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// `x-amzn-ErrorType` up to the first `:`, as botocore reads it.
    pub error_type: Option<String>,
    pub body: Value,
    pub text: String,
}

impl Reply {
    fn from(r: Response) -> Reply {
        let status = r.status().as_u16();
        let error_type = r
            .headers()
            .get("x-amzn-ErrorType")
            .and_then(|v| v.to_str().ok())
            .map(|s| s.split(':').next().unwrap_or("").to_string());
        let text = r.text().expect("body");
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, error_type, body, text }
    }

    pub fn err(&self) -> &str {
        self.error_type.as_deref().unwrap_or("")
    }
}

pub struct Registration {
    pub id: String,
    pub secret: String,
}

pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl Api {
    pub fn new(config: Config) -> Api {
        let emu = Emulator::start(config).expect("emulator starts");
        let http = Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
        Api { emu, http }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.emu.url())
    }

    pub fn post_json(&self, path: &str, body: &Value) -> Reply {
        Reply::from(self.http.post(self.url(path)).json(body).send().expect("send"))
    }

    pub fn post_raw(&self, path: &str, body: &'static str) -> Reply {
        Reply::from(
            self.http.post(self.url(path)).header("content-type", "application/json").body(body).send().expect("send"),
        )
    }

    pub fn portal(&self, path_and_query: &str, token: &str) -> Reply {
        Reply::from(
            self.http.get(self.url(path_and_query)).header("x-amz-sso_bearer_token", token).send().expect("send"),
        )
    }

    pub fn register(&self, extra: Value) -> Registration {
        let mut body = json!({"clientName": "test-client", "clientType": "public"});
        if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
            b.extend(e.clone());
        }
        let r = self.post_json("/client/register", &body);
        assert_eq!(r.status, 200, "{}", r.text);
        Registration {
            id: r.body["clientId"].as_str().expect("clientId").into(),
            secret: r.body["clientSecret"].as_str().expect("clientSecret").into(),
        }
    }

    /// StartDeviceAuthorization: (deviceCode, userCode, full body).
    pub fn start_device(&self, c: &Registration) -> (String, String, Value) {
        let r = self.post_json(
            "/device_authorization",
            &json!({"clientId": c.id, "clientSecret": c.secret, "startUrl": self.url("/start")}),
        );
        assert_eq!(r.status, 200, "{}", r.text);
        let device = r.body["deviceCode"].as_str().expect("deviceCode").to_string();
        let user = r.body["userCode"].as_str().expect("userCode").to_string();
        (device, user, r.body)
    }

    pub fn poll(&self, c: &Registration, device_code: &str) -> Reply {
        self.post_json(
            "/token",
            &json!({"clientId": c.id, "clientSecret": c.secret,
                    "grantType": "urn:ietf:params:oauth:grant-type:device_code", "deviceCode": device_code}),
        )
    }

    pub fn refresh(&self, c: &Registration, refresh_token: &str) -> Reply {
        self.post_json(
            "/token",
            &json!({"clientId": c.id, "clientSecret": c.secret, "grantType": "refresh_token",
                    "refreshToken": refresh_token}),
        )
    }

    /// A signed-in session through the device flow.
    pub fn login(&self) -> (Registration, Tokens) {
        let c = self.register(json!({}));
        let (device, user, _) = self.start_device(&c);
        assert!(self.emu.approve(&user));
        let r = self.poll(&c, &device);
        assert_eq!(r.status, 200, "{}", r.text);
        let t = Tokens {
            access: r.body["accessToken"].as_str().expect("accessToken").into(),
            refresh: r.body["refreshToken"].as_str().expect("refreshToken").into(),
        };
        (c, t)
    }
}
