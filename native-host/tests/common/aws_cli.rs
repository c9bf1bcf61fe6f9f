//! AWS CLI v1 (`.venv/bin/aws`) run against the emulator with a given HOME.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn aws_cli() -> PathBuf {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../.venv/bin/aws");
    assert!(
        path.exists(),
        "AWS CLI v1 not found at {}: run `cargo xtask test` (it creates .venv with awscli)",
        path.display()
    );
    path
}

/// `aws ...` in `home`, every endpoint on the emulator, nothing from the real env.
pub fn aws(home: &Path, emu: &idc_emulator::Emulator, args: &[&str]) -> std::process::Output {
    Command::new(aws_cli())
        .args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("AWS_CONFIG_FILE", home.join(".aws/config"))
        .env("AWS_SHARED_CREDENTIALS_FILE", home.join(".aws/credentials"))
        .env("AWS_ENDPOINT_URL_SSO", emu.url())
        .env("AWS_ENDPOINT_URL_SSO_OIDC", emu.url())
        .env("AWS_ENDPOINT_URL_STS", emu.url())
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("run aws")
}

/// `sts get-caller-identity --profile PROFILE` in `home` answers for `account`.
pub fn assert_identity(home: &Path, emu: &idc_emulator::Emulator, profile: &str, account: &str) {
    let out = aws(home, emu, &["sts", "get-caller-identity", "--profile", profile, "--output", "json"]);
    assert!(
        out.status.success(),
        "aws failed for {profile} with HOME={}: {}",
        home.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let identity: serde_json::Value = serde_json::from_slice(&out.stdout).expect("identity JSON");
    assert_eq!(identity["Account"], account);
}
