//! What a person types or opens when setting SSO Bridge up: a portal (start URL, SSO region,
//! session name), the options, and the access-portal page they already have open. Shared by the
//! popup, the options page and the portal content script (issue 6), through the wasm layer.

use serde::{Deserialize, Serialize};

use crate::endpoints::{partition_of, Endpoints};
use crate::error::Error;
use crate::fields;
use crate::names::{is_name_char, MAX_NAME_LEN};

/// A configured access portal: one `[sso-session]` in `~/.aws/config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Portal {
    pub session_name: String,
    pub start_url: String,
    pub region: String,
    /// `region` for this portal's new profiles; none means the person's default, else `region`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile_region: Option<String>,
    /// Listing this portal again in the background, at sign-in and on a schedule.
    #[serde(default, skip_serializing_if = "AutoSync::is_off")]
    pub auto_sync: AutoSync,
}

/// What a background listing of a portal does with roles that are new since the last listing.
/// It never removes anything: removing waits for the person's review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum AutoSync {
    /// No background listing.
    #[default]
    Off,
    /// List, and tell the person how many roles are new.
    Notify,
    /// List, add the new roles' profiles, and tell the person.
    Add,
}

impl AutoSync {
    pub fn is_off(&self) -> bool {
        *self == AutoSync::Off
    }
}

/// Checks a portal as typed; the error's field is the form field to show it next to (the first
/// of [`check_portal_fields`]).
pub fn check_portal(portal: &Portal) -> Result<Portal, Error> {
    check_portal_fields(portal).map_err(|mut errors| errors.swap_remove(0).into())
}

/// Checks a portal as typed, every field at once: the trimmed portal, or one error per field
/// that fails, in the form's order, so the person can fix them all before the next submit.
pub fn check_portal_fields(portal: &Portal) -> Result<Portal, Vec<fields::FieldError>> {
    let start_url = portal.start_url.trim().to_string();
    // A dual-stack portal's URL names its region: fill it in, and refuse a contradiction.
    let url_region = portal_page(&start_url).and_then(|p| p.region);
    let mut errors = Vec::new();
    let mut check = |r: Result<(), fields::FieldError>| {
        if let Err(e) = r {
            errors.push(e);
        }
    };
    check(fields::start_url("startUrl", &start_url));
    let region = match (portal.region.trim(), url_region) {
        ("", Some(r)) => r,
        (typed, Some(r)) if typed != r => {
            check(Err(fields::fail("region", format!("does not match the start URL, which is in {r}"))));
            typed.to_string()
        }
        (typed, _) => {
            check(fields::region("region", typed));
            typed.to_string()
        }
    };
    let session_name = portal.session_name.trim().to_string();
    check(crate::names::check_name(&session_name).map_err(|e| fields::fail("sessionName", e.to_string())));
    let profile_region = portal.profile_region.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if let Some(r) = &profile_region {
        check(fields::region("profileRegion", r));
    }
    let trimmed = Portal { session_name, start_url, region, profile_region, auto_sync: portal.auto_sync };
    if !errors.is_empty() {
        return Err(errors);
    }
    // What the field checks cannot see: the endpoints this portal resolves to.
    match Endpoints::resolve(&trimmed.region, &trimmed.start_url, false, None) {
        Ok(_) => Ok(trimmed),
        Err(Error::InvalidInput { field, reason }) => Err(vec![fields::fail(field, reason)]),
        Err(e) => Err(vec![fields::fail("region", e.to_string())]),
    }
}

/// A session name from a start URL: the portal's own name (`https://acme.awsapps.com/start` →
/// `acme`), made safe for a section header.
pub fn suggest_session_name(start_url: &str) -> String {
    let host = host_of(start_url).unwrap_or("");
    let label = if host.parse::<std::net::Ipv4Addr>().is_ok() || host == "localhost" {
        "local"
    } else {
        host.split('.').next().unwrap_or("")
    };
    let name: String = label.chars().map(|c| if is_name_char(c) { c } else { '-' }).take(MAX_NAME_LEN).collect();
    let name = name.trim_matches('-');
    if name.is_empty() {
        "sso".to_string()
    } else {
        name.to_string()
    }
}

/// A session name that is already in use: a configured portal's, or an `[sso-session]` in the
/// config (with its start URL, when it has one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct NameInUse {
    pub name: String,
    #[serde(default)]
    pub start_url: Option<String>,
}

/// [`suggest_session_name`], made different from every name in use by another portal with `-2`,
/// `-3`, ...: a new portal never walks into a `session_conflict` because of its suggested name. A
/// section of the same portal (same start URL) may keep its name.
pub fn suggest_unique_session_name(start_url: &str, in_use: &[NameInUse]) -> String {
    let base = suggest_session_name(start_url);
    let taken = |n: &str| {
        in_use.iter().any(|u| {
            u.name == n && !u.start_url.as_deref().is_some_and(|s| crate::fields::same_start_url(s, start_url))
        })
    };
    let mut name = base.clone();
    let mut i = 2;
    while taken(&name) {
        let suffix = format!("-{i}");
        let room = MAX_NAME_LEN - suffix.len();
        name = format!("{}{suffix}", &base[..base.len().min(room)]);
        i += 1;
    }
    name
}

/// Where a page found open in the browser points, when it is an access portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PortalPage {
    pub start_url: String,
    /// Known from the host name of the newer `*.app.aws` portals; `None` for `*.awsapps.com`.
    pub region: Option<String>,
}

/// Recognises an access-portal page URL and returns its start URL:
/// `https://acme.awsapps.com/start/#/?tab=accounts` → `https://acme.awsapps.com/start`,
/// `https://ssoins-1234.portal.eu-west-1.app.aws/#/` → that origin with region `eu-west-1`.
pub fn portal_page(url: &str) -> Option<PortalPage> {
    let host = host_of(url)?;
    let origin = format!("https://{host}");
    if !url.starts_with(&origin) {
        return None;
    }
    if host.ends_with(".awsapps.com") || host.ends_with(".awsapps.cn") || host.ends_with(".portal.amazonaws.com") {
        return Some(PortalPage { start_url: format!("{origin}/start"), region: None });
    }
    if let Some(rest) = host.strip_suffix(".app.aws") {
        let region = rest.rsplit('.').next().filter(|r| partition_of(r).is_ok()).map(str::to_string);
        return Some(PortalPage { start_url: origin, region });
    }
    None
}

fn host_of(url: &str) -> Option<&str> {
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then_some(host)
}

/// Which login flow the extension runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub enum LoginFlow {
    Pkce,
    Device,
}

/// The options page, as stored in `chrome.storage.local` (nothing secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Settings {
    pub name_template: String,
    pub default_region: String,
    /// `""` writes no `output` key.
    pub default_output: String,
    pub login_flow: LoginFlow,
    pub prune_default: bool,
    /// Advanced: base URLs instead of the region's public endpoints (tests, private setups).
    pub endpoints: Option<Endpoints>,
    /// Confirm device codes that SSO Bridge itself requested, on the verification page.
    #[serde(default)]
    pub auto_confirm_device: bool,
    /// Always use the dual-stack (IPv6) endpoints; `*.app.aws` portals use them regardless.
    #[serde(default)]
    pub dual_stack: bool,
    /// Access portals on custom domains, where the portal panel also runs.
    #[serde(default)]
    pub portal_domains: Vec<PortalDomain>,
}

/// A custom domain that serves an access portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortalDomain {
    /// `https://sso.example.com` (or a loopback `http://` origin for tests): no path.
    pub origin: String,
    pub region: String,
}

/// The `output` values the AWS CLI accepts.
pub const OUTPUT_FORMATS: &[&str] = &fields::OUTPUT_FORMATS;

/// Checks the options; the error's field is the option to show it next to.
pub fn check_settings(settings: &Settings) -> Result<Settings, Error> {
    crate::naming::validate_template(&settings.name_template)
        .map_err(|e| Error::invalid_input("nameTemplate", e.to_string()))?;
    // "" means each portal's own IAM Identity Center region.
    if !settings.default_region.is_empty() {
        fields::region("defaultRegion", &settings.default_region)?;
    }
    if !settings.default_output.is_empty() {
        fields::output("defaultOutput", &settings.default_output)?;
    }
    let endpoints = match &settings.endpoints {
        Some(e) => Some(Endpoints::custom(&e.oidc, &e.portal)?),
        None => None,
    };
    for (i, d) in settings.portal_domains.iter().enumerate() {
        let field = format!("portalDomains[{i}]");
        fields::origin(&format!("{field}.origin"), &d.origin)?;
        fields::region(&format!("{field}.region"), &d.region)?;
    }
    Ok(Settings { endpoints, ..settings.clone() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn session_names_come_from_the_portal_host() {
        assert_eq!(suggest_session_name("https://acme.awsapps.com/start"), "acme");
        assert_eq!(suggest_session_name("https://d-90670ca891.awsapps.com/start/#/"), "d-90670ca891");
        assert_eq!(suggest_session_name("http://127.0.0.1:4000/start"), "local");
        assert_eq!(suggest_session_name("https://ex ample].awsapps.com/start"), "ex-ample");
        assert_eq!(suggest_session_name("not a url"), "sso");
    }

    #[test]
    fn suggested_names_avoid_taken_ones() {
        let used = |name: &str, url: Option<&str>| NameInUse { name: name.into(), start_url: url.map(Into::into) };
        let in_use = [used("acme", None), used("acme-2", Some("https://elsewhere.awsapps.com/start"))];
        assert_eq!(suggest_unique_session_name("https://acme.awsapps.com/start", &in_use), "acme-3");
        assert_eq!(suggest_unique_session_name("https://other.awsapps.com/start", &in_use), "other");
        // The config's own section for this very portal is no reason to rename.
        let same = [used("acme", Some("https://acme.awsapps.com/start/"))];
        assert_eq!(suggest_unique_session_name("https://acme.awsapps.com/start", &same), "acme");
    }

    #[test]
    fn portal_pages_give_their_start_url() {
        let p = portal_page("https://acme.awsapps.com/start/#/?tab=accounts").unwrap();
        assert_eq!((p.start_url.as_str(), p.region), ("https://acme.awsapps.com/start", None));
        let p = portal_page("https://ssoins-1234.portal.eu-west-1.app.aws/#/").unwrap();
        assert_eq!(p.start_url, "https://ssoins-1234.portal.eu-west-1.app.aws");
        assert_eq!(p.region.as_deref(), Some("eu-west-1"));
        let p = portal_page("https://acme.portal.amazonaws.com/start/#/").unwrap();
        assert_eq!(p.start_url, "https://acme.portal.amazonaws.com/start");
        assert_eq!(portal_page("https://evil.example/acme.awsapps.com/start"), None);
        assert_eq!(portal_page("https://acme.awsapps.com.evil.example/start"), None);
    }

    #[test]
    fn a_portal_is_checked_field_by_field() {
        let ok = Portal {
            session_name: " acme ".into(),
            start_url: "https://acme.awsapps.com/start".into(),
            region: "eu-west-1".into(),
            profile_region: None,
            auto_sync: AutoSync::Off,
        };
        assert_eq!(check_portal(&ok).unwrap().session_name, "acme");
        // The background sync setting passes through as chosen; an unknown one is refused.
        let add = Portal { auto_sync: AutoSync::Add, ..ok.clone() };
        assert_eq!(check_portal(&add).unwrap().auto_sync, AutoSync::Add);
        assert!(serde_json::from_value::<Portal>(serde_json::json!({
            "sessionName": "a", "startUrl": "https://a.awsapps.com/start", "region": "eu-west-1", "autoSync": "always"
        }))
        .is_err());
        assert!(!serde_json::to_string(&ok).unwrap().contains("autoSync"), "off is not stored");
        let field_of = |p: Portal| match check_portal(&p) {
            Err(Error::InvalidInput { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        };
        assert_eq!(field_of(Portal { start_url: "ftp://x".into(), ..ok.clone() }), "startUrl");
        assert_eq!(field_of(Portal { region: "moon-1".into(), ..ok.clone() }), "region");
        assert_eq!(field_of(Portal { session_name: "a]b".into(), ..ok.clone() }), "sessionName");
        assert_eq!(field_of(Portal { profile_region: Some("us-east-123".into()), ..ok.clone() }), "profileRegion");
        let app = Portal {
            start_url: "https://ssoins-1.portal.ap-northeast-1.app.aws".into(),
            region: String::new(),
            ..ok.clone()
        };
        assert_eq!(check_portal(&app).unwrap().region, "ap-northeast-1");
        assert_eq!(field_of(Portal { region: "us-east-1".into(), ..app }), "region");
    }

    #[test]
    fn every_wrong_field_of_a_portal_is_reported_at_once() {
        let all_wrong = Portal {
            session_name: "a]b".into(),
            start_url: "ftp://x".into(),
            region: "moon-1".into(),
            profile_region: Some("us-east-123".into()),
            auto_sync: AutoSync::Off,
        };
        let fields: Vec<String> = check_portal_fields(&all_wrong).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["startUrl", "region", "sessionName", "profileRegion"]);
        let empty = Portal {
            session_name: String::new(),
            start_url: String::new(),
            region: String::new(),
            profile_region: None,
            auto_sync: AutoSync::Off,
        };
        let fields: Vec<String> = check_portal_fields(&empty).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["startUrl", "region", "sessionName"]);
        // The first one is what check_portal reports.
        assert!(matches!(check_portal(&all_wrong), Err(Error::InvalidInput { field, .. }) if field == "startUrl"));
    }

    #[test]
    fn settings_are_checked() {
        let s = Settings {
            name_template: "{account_name}.{role_name}".into(),
            default_region: "us-east-1".into(),
            default_output: "json".into(),
            login_flow: LoginFlow::Pkce,
            prune_default: false,
            endpoints: None,
            auto_confirm_device: false,
            dual_stack: false,
            portal_domains: vec![
                PortalDomain { origin: "https://sso.example.com".into(), region: "eu-west-1".into() },
                PortalDomain { origin: "http://127.0.0.1:4567".into(), region: "us-east-1".into() },
            ],
        };
        assert!(check_settings(&s).is_ok());
        assert!(matches!(check_settings(&Settings { default_output: "xml".into(), ..s.clone() }),
            Err(Error::InvalidInput { field, .. }) if field == "defaultOutput"));
        assert!(matches!(check_settings(&Settings { name_template: "{nope}".into(), ..s.clone() }),
            Err(Error::InvalidInput { field, .. }) if field == "nameTemplate"));
        let bad_domain =
            vec![PortalDomain { origin: "https://sso.example.com/start".into(), region: "eu-west-1".into() }];
        assert!(matches!(check_settings(&Settings { portal_domains: bad_domain, ..s }),
            Err(Error::InvalidInput { field, .. }) if field == "portalDomains[0].origin"));
    }

    #[test]
    fn dual_stack_is_off_unless_stored() {
        let stored = r#"{"nameTemplate": "{account_name}.{role_name}", "defaultRegion": "", "defaultOutput": "json",
            "loginFlow": "pkce", "pruneDefault": false, "endpoints": null}"#;
        let s: Settings = serde_json::from_str(stored).unwrap();
        assert!(!s.dual_stack);
        let on: Settings = serde_json::from_str(&stored.replace("null}", r#"null, "dualStack": true}"#)).unwrap();
        assert!(check_settings(&on).unwrap().dual_stack);
        assert_eq!(serde_json::to_value(&on).unwrap()["dualStack"], true);
    }
}
