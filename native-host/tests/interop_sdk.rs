//! Interop with aws-sdk-rust (aws-config + aws-sdk-sts): it resolves the profiles the host
//! wrote, including the `# managed by sso-bridge` marker, and reads a token file that botocore
//! refreshed. Also checks the two `doctor` claims about aws-sdk-rust. One test per binary: the
//! SDK reads the process environment, so this file sets it.

mod common;

use std::process::Command;

use common::aws_cli::aws_cli;
use common::idc::device_login;
use serde_json::json;
use ssobridge_core::token_cache::format_timestamp;

const START_URL: &str = "https://d-1234567890.awsapps.com/start";

async fn sdk_identity(profile: &str) -> Result<(String, String), String> {
    let http = aws_smithy_http_client::Builder::new().build_http();
    let conf = aws_config::defaults(aws_config::BehaviorVersion::latest())
        .http_client(http)
        .profile_name(profile)
        .load()
        .await;
    let sts = aws_sdk_sts::Client::new(&conf);
    let out = sts
        .get_caller_identity()
        .send()
        .await
        .map_err(|e| format!("{}", aws_sdk_sts::error::DisplayErrorContext(e)))?;
    Ok((out.account.unwrap_or_default(), out.arn.unwrap_or_default()))
}

fn create_token_calls(emu: &idc_emulator::Emulator) -> u64 {
    emu.counts().get("CreateToken").copied().unwrap_or(0)
}

#[tokio::test]
async fn aws_sdk_rust_reads_what_the_host_and_botocore_wrote() {
    let emu = common::idc::dev_account_emulator();
    let home = common::temp_home();
    let config_file = home.path().join(".aws/config");
    // SAFETY of the env changes: this binary has this one test and sets the env before any
    // other thread reads it.
    for key in [
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_ENDPOINT_URL",
    ] {
        std::env::remove_var(key);
    }
    std::env::set_var("HOME", home.path());
    std::env::set_var("AWS_CONFIG_FILE", &config_file);
    std::env::set_var("AWS_SHARED_CREDENTIALS_FILE", home.path().join(".aws/credentials"));
    std::env::set_var("AWS_EC2_METADATA_DISABLED", "true");
    for key in ["AWS_ENDPOINT_URL_SSO", "AWS_ENDPOINT_URL_SSO_OIDC", "AWS_ENDPOINT_URL_STS"] {
        std::env::set_var(key, emu.url());
    }

    // 8 minutes left: botocore refreshes (< 15 min), aws-sdk-rust would not (> 5 min).
    let token = device_login(&emu, START_URL);
    let now = ssobridge_host::actions::system_now();
    let run = common::run_json(
        home.path(),
        &[
            json!({"id": 1, "action": "saveToken", "params": {
                "sessionName": "emu", "startUrl": START_URL, "region": "us-east-1", "scopes": ["sso:account:access"],
                "token": {"accessToken": token.access_token, "expiresAt": format_timestamp(now + 8 * 60),
                          "refreshToken": token.refresh_token, "clientId": token.client_id, "clientSecret": token.client_secret,
                          "registrationExpiresAt": format_timestamp(token.client_secret_expires_at)}}}),
            common::apply(
                2,
                "emu",
                json!([
                {"name": "dev", "accountId": "111122223333", "roleName": "AdministratorAccess", "region": "us-west-2"},
                {"name": "ro", "accountId": "111122223333", "roleName": "ReadOnlyAccess", "region": "us-west-2"}]),
                false,
            ),
        ],
    );
    assert!(run.replies.iter().all(|r| r["ok"] == true), "{:?}", run.replies);

    // aws-sdk-rust on the host's files as written.
    let (account, arn) = sdk_identity("ro").await.expect("aws-sdk-rust resolves the host's profile");
    assert_eq!(account, "111122223333");
    assert!(arn.starts_with("arn:aws:sts::111122223333:assumed-role/ReadOnlyAccess/"), "{arn}");
    assert_eq!(create_token_calls(&emu), 1, "aws-sdk-rust does not refresh an 8-minute token");

    // botocore refreshes the near-expiry token and rewrites the cache file...
    let out = Command::new(aws_cli())
        .args(["sts", "get-caller-identity", "--profile", "dev"])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run aws");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(create_token_calls(&emu), 2, "botocore refreshed");
    // ...and aws-sdk-rust accepts the rewritten file without refreshing again.
    let (_, arn) = sdk_identity("dev").await.expect("aws-sdk-rust reads the file botocore rewrote");
    assert!(arn.starts_with("arn:aws:sts::111122223333:assumed-role/AdministratorAccess/"), "{arn}");
    assert_eq!(create_token_calls(&emu), 2);

    // The lines `doctor` warns about really break aws-sdk-rust (botocore accepts both).
    let good = std::fs::read_to_string(&config_file).unwrap();
    let colon = config_file.with_file_name("config-colon");
    std::fs::write(&colon, format!("{good}[profile other]\nregion : us-east-1\n")).unwrap();
    let beside = config_file.with_file_name("config-beside");
    std::fs::write(
        &beside,
        good.replace(
            "sso_role_name = AdministratorAccess\n",
            "sso_role_name = AdministratorAccess\nsso_region = us-east-1\n",
        ),
    )
    .unwrap();
    for (file, why) in [(&colon, "`key : value` elsewhere in the file"), (&beside, "`sso_region` beside `sso_session`")]
    {
        std::env::set_var("AWS_CONFIG_FILE", file);
        assert!(sdk_identity("dev").await.is_err(), "aws-sdk-rust accepted {why}");
        let out =
            Command::new(aws_cli()).args(["sts", "get-caller-identity", "--profile", "dev"]).output().expect("run aws");
        assert!(out.status.success(), "botocore rejected {why}: {}", String::from_utf8_lossy(&out.stderr));
    }
}
