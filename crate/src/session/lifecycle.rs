//! Decisions about a session's life in the browser that the service worker used to make in JS:
//! when to refresh, whether a device-verification page shows one of our codes, and which
//! configured portal a page belongs to. The worker only stores what these return and calls
//! `chrome.*` on it.

use serde::{Deserialize, Serialize};

use crate::endpoints::partition_of;
use crate::fields::same_start_url;
use crate::setup::{portal_page, Portal, PortalDomain};

pub mod badge;
pub mod device_pages;
pub mod waits;
pub use badge::{badge_for, Badge, BadgeTone};
pub use device_pages::{device_page_host, is_device_page, signin_host, SIGNIN_DEVICE_PATH};
pub use waits::Wait;

/// Refresh this long before the access token expires: earlier than botocore's own refresh
/// window (15 minutes), so the CLI never has to refresh it itself.
pub const REFRESH_LEAD_MS: u64 = 20 * 60 * 1000;
/// Never schedule a refresh sooner than this (a token that is about to expire, a clock skew).
pub const MIN_REFRESH_DELAY_MS: u64 = 60 * 1000;

/// When to refresh a token that expires at `expires_at_ms` (epoch ms).
pub fn refresh_at_ms(expires_at_ms: u64, now_ms: u64) -> u64 {
    expires_at_ms.saturating_sub(REFRESH_LEAD_MS).max(now_ms + MIN_REFRESH_DELAY_MS)
}

/// A device login waiting for the person, as the worker stores it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct WaitingDeviceLogin {
    pub session_name: String,
    pub user_code: String,
    /// The verification tab the extension opened for it, if any.
    #[serde(default)]
    pub tab_id: Option<i64>,
}

/// A tab judged ours, remembered for the next pages of the same approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct OwnedTab {
    /// Normalised user code ("" when the page showed none).
    pub code: String,
    pub until_ms: u64,
}

/// Tabs judged ours stay ours this long (Confirm, then Allow, then "approved").
pub const OWNED_TAB_TTL_MS: u64 = 15 * 60 * 1000;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct DeviceVerdict {
    /// The code (or, with no visible code, the tab) belongs to a login SSO Bridge runs.
    pub ours: bool,
    /// That login still waits for approval (so confirming is useful).
    pub waiting: bool,
    pub session_name: Option<String>,
    /// Store this for the tab (replacing what was there).
    pub remember: Option<OwnedTab>,
}

/// Codes compare without case, spaces and dashes: `abcd-efgh` is `ABCDEFGH`.
pub fn normalize_user_code(code: &str) -> String {
    code.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect()
}

/// Whether the device-verification page in `tab_id` belongs to a login SSO Bridge is running.
/// With a visible code, the code decides; with none (the newer `*.signin.aws` pages), only a tab
/// the extension itself opened for a waiting login is ours. A tab judged ours stays ours for the
/// next pages of that approval, unless it then shows a different code.
pub fn device_verdict(
    waiting: &[WaitingDeviceLogin],
    user_code: Option<&str>,
    tab_id: i64,
    remembered: Option<&OwnedTab>,
    now_ms: u64,
) -> DeviceVerdict {
    let code = user_code.map(normalize_user_code).unwrap_or_default();
    let matched = if code.is_empty() {
        waiting.iter().find(|w| w.tab_id == Some(tab_id))
    } else {
        waiting.iter().find(|w| normalize_user_code(&w.user_code) == code)
    };
    if let Some(w) = matched {
        return DeviceVerdict {
            ours: true,
            waiting: true,
            session_name: Some(w.session_name.clone()),
            remember: Some(OwnedTab { code: normalize_user_code(&w.user_code), until_ms: now_ms + OWNED_TAB_TTL_MS }),
        };
    }
    let still_ours = remembered.is_some_and(|r| r.until_ms > now_ms && (code.is_empty() || code == r.code));
    DeviceVerdict { ours: still_ours, waiting: false, session_name: None, remember: None }
}

/// Where a portal page's region came from, for the panel's wording.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub enum RegionSource {
    /// The configured portal.
    Portal,
    /// The host name (`*.app.aws`).
    Host,
    /// The custom domain's setting.
    Domain,
    /// An API call the page made (a hint from the content script).
    Page,
}

/// The portal a page belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct PortalMatch {
    pub start_url: String,
    pub region: Option<String>,
    pub region_from: Option<RegionSource>,
    /// The configured portal's session, when the page's portal is configured.
    pub session_name: Option<String>,
}

fn scheme_and_host(url: &str) -> Option<(&str, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty() && !authority.contains('@')).then_some((scheme, authority))
}

/// The custom portal domain (`https://sso.example.com`, `https://*.example.com`,
/// `http://127.0.0.1:4000`) a page URL is on, if any.
pub fn custom_domain_of<'a>(domains: &'a [PortalDomain], url: &str) -> Option<&'a PortalDomain> {
    let (scheme, authority) = scheme_and_host(url)?;
    domains.iter().find(|d| {
        let Some((d_scheme, d_authority)) = scheme_and_host(&d.origin) else { return false };
        if !d_scheme.eq_ignore_ascii_case(scheme) {
            return false;
        }
        match d_authority.strip_prefix("*.") {
            Some(suffix) => {
                authority.len() > suffix.len() + 1
                    && authority.to_ascii_lowercase().ends_with(&format!(".{}", suffix.to_ascii_lowercase()))
            }
            None => authority.eq_ignore_ascii_case(d_authority),
        }
    })
}

/// The portal `url` belongs to: a configured one (by start URL), or one recognised from the
/// host name or a custom domain. `hints` are regions the page revealed; only well-formed ones
/// count, and only when nothing better is known.
pub fn portal_for_page(
    url: &str,
    portals: &[Portal],
    domains: &[PortalDomain],
    hints: &[String],
) -> Option<PortalMatch> {
    let (start_url, region, region_from) = if let Some(d) = custom_domain_of(domains, url) {
        let (scheme, authority) = scheme_and_host(url)?;
        let origin = format!("{scheme}://{authority}");
        let path = &url[origin.len()..];
        let path = path.split(['?', '#']).next().unwrap_or("");
        let start_url = if path == "/start" || path.starts_with("/start/") {
            format!("{origin}/start")
        } else if path.is_empty() || path == "/" {
            origin
        } else {
            return None;
        };
        let region = (!d.region.is_empty()).then(|| d.region.clone());
        let from = region.as_ref().map(|_| RegionSource::Domain);
        (start_url, region, from)
    } else {
        let p = portal_page(url)?;
        let from = p.region.as_ref().map(|_| RegionSource::Host);
        (p.start_url, p.region, from)
    };
    if let Some(portal) = portals.iter().find(|p| same_start_url(&p.start_url, &start_url)) {
        return Some(PortalMatch {
            start_url: portal.start_url.clone(),
            region: Some(portal.region.clone()),
            region_from: Some(RegionSource::Portal),
            session_name: Some(portal.session_name.clone()),
        });
    }
    if region.is_none() {
        if let Some(hint) = hints.iter().take(5).find(|h| partition_of(h).is_ok()) {
            return Some(PortalMatch {
                start_url,
                region: Some(hint.clone()),
                region_from: Some(RegionSource::Page),
                session_name: None,
            });
        }
    }
    Some(PortalMatch { start_url, region, region_from, session_name: None })
}

#[cfg(test)]
mod tests;
