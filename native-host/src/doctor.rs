//! `doctor`: what is installed where, whether the config parses (and which lines one AWS client
//! reads differently from another), and which sessions have a usable token.

use std::fs;

use ssobridge_core::config::lint;
use ssobridge_core::token_cache::{cache_file_name, format_timestamp, summarize};

use crate::actions::system_now;
use crate::error::HostError;
use crate::install::{install_dir, registered_manifest, report, targets, Browser, EXE_NAME};
use crate::install_policy::{self, PolicyState};
use crate::paths::AwsPaths;
use crate::store;

pub fn run() -> Result<(), HostError> {
    let paths = AwsPaths::from_env()?;
    report(&format!(
        "ssobridge-host {} (protocol {})",
        ssobridge_core::VERSION,
        ssobridge_core::protocol::PROTOCOL_VERSION
    ));
    let exe = std::env::current_exe().ok().and_then(|p| fs::canonicalize(p).ok());
    report("\nBrowsers:");
    let os = std::env::consts::OS;
    for target in targets(Browser::All, os, &paths.home) {
        let state = match fs::read_to_string(&target.manifest) {
            Ok(text) => {
                let points_to = serde_json::from_str::<serde_json::Value>(&text)
                    .ok()
                    .and_then(|v| v["path"].as_str().map(String::from));
                match (points_to, &exe) {
                    (Some(t), Some(e)) if std::path::Path::new(&t) == e => "installed".to_string(),
                    (Some(t), _) => format!("installed, points to {t}"),
                    (None, _) => "manifest unreadable".to_string(),
                }
            }
            Err(_) => "not installed".to_string(),
        };
        let registry = registered_manifest(target.browser).map(|r| format!(" (registry → {r})")).unwrap_or_default();
        report(&format!("  {:<20} {state}: {}{registry}", target.label, target.manifest.display()));
    }
    let copy = install_dir(os, &paths.home).join(EXE_NAME);
    report(&format!(
        "  host copy: {} ({})",
        copy.display(),
        if copy.is_file() { "present" } else { "absent: run the downloaded host once to install it" }
    ));
    match install_policy::check() {
        PolicyState::Checked(blocked) if blocked.is_empty() => {
            report("  policy: no administrator policy blocks user-level native hosts")
        }
        state => state.describe().iter().for_each(|line| report(&format!("  policy: {line}"))),
    }
    report(&format!("\nConfig: {}", paths.config_file.display()));
    let text = match fs::read(&paths.config_file) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            report("  does not exist (it will be created with mode 0600)");
            String::new()
        }
        Err(e) => return Err(HostError::Io { what: "read", path: paths.config_file.clone(), source: e }),
    };
    let findings = lint(&text);
    for finding in &findings {
        report(&format!("  line {}: {}", finding.line, finding.message));
    }
    let config = match store::read_config(&paths.config_file) {
        Ok((_, config)) => {
            if findings.is_empty() {
                report("  parses; no lines that AWS clients read differently");
            }
            config
        }
        Err(e) => {
            report(&format!("  sso-bridge will not edit it: {e}"));
            return Ok(());
        }
    };
    report("\nSSO sessions:");
    let now = system_now();
    let sessions = config.sso_sessions();
    if sessions.is_empty() {
        report("  none");
    }
    for session in sessions {
        let file = paths.sso_cache_dir.join(cache_file_name(&session.name));
        let token = match fs::read_to_string(&file) {
            Err(_) => "no token (log in from the extension)".to_string(),
            Ok(json) => match summarize(&json, now) {
                Err(e) => format!("unreadable token file: {e}"),
                Ok(s) if s.expires_at > now => format!(
                    "valid until {}{}",
                    format_timestamp(s.expires_at),
                    if s.refreshable { ", refreshable" } else { "" }
                ),
                Ok(s) if s.refreshable => {
                    format!("expired at {}, the AWS CLI/SDK will refresh it", format_timestamp(s.expires_at))
                }
                Ok(s) => format!("expired at {} (log in again)", format_timestamp(s.expires_at)),
            },
        };
        let profiles: Vec<String> =
            config.sso_profiles().into_iter().filter(|p| p.session == session.name).map(|p| p.name).collect();
        report(&format!(
            "  {}: {token}; profiles: {}",
            session.name,
            if profiles.is_empty() { "none".into() } else { profiles.join(", ") }
        ));
    }
    Ok(())
}
