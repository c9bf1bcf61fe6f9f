//! Which pages are device-verification pages, the one rule behind the extension's manifest (its
//! device-guard matches, generated at build time from these hosts) and the service worker's check
//! of who may ask about device codes (issue 10, finding 3): exact hosts and paths, never a
//! pattern that can match somewhere else in a URL.

pub use crate::endpoints::{device_page_host, signin_host, SIGNIN_DEVICE_PATH};
use crate::setup::{portal_page, PortalDomain};

use super::custom_domain_of;

/// The parts of a page URL the rule looks at.
struct PageUrl<'a> {
    https: bool,
    /// Lower-cased.
    host: String,
    has_port: bool,
    path: &'a str,
    query: &'a str,
    /// Without the `#`.
    fragment: &'a str,
}

fn parse(url: &str) -> Option<PageUrl<'_>> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '\\') {
        return None;
    }
    let (https, rest) = match url.strip_prefix("https://") {
        Some(rest) => (true, rest),
        None => (false, url.strip_prefix("http://")?),
    };
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, rest) = rest.split_at(end);
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let (host, has_port) = match authority.rsplit_once(':') {
        Some((host, _)) if !authority.ends_with(']') => (host, true),
        _ => (authority, false),
    };
    let (before_fragment, fragment) = rest.split_once('#').unwrap_or((rest, ""));
    let (path, query) = before_fragment.split_once('?').unwrap_or((before_fragment, ""));
    Some(PageUrl { https, host: host.to_ascii_lowercase(), has_port, path, query, fragment })
}

/// A portal's device route in the fragment: `#/device`, `#!/device?user_code=…`, any case.
fn is_device_route(fragment: &str) -> bool {
    let route = fragment.strip_prefix('!').unwrap_or(fragment);
    let route = route.strip_prefix('/').unwrap_or(route);
    route.get(..6).is_some_and(|word| word.eq_ignore_ascii_case("device"))
        && matches!(route.as_bytes().get(6), None | Some(b'/' | b'?'))
}

/// Whether a page is one the device guard is meant for, by exact host and path:
/// - `https://device.sso.REGION.amazonaws.com[.cn|.eu]/…` (the OIDC device pages),
/// - `https://REGION.signin.aws/platform/authorize…`,
/// - an access portal's `#/device` route,
/// - on a custom portal domain: its `#/device` route, `/device[/…]`, `/platform/authorize` or a
///   `user_code` query parameter (test and private setups serve the device pages themselves).
///
/// No credentials in the URL, no explicit port on AWS's hosts; a region must be one the core can
/// place in a partition.
pub fn is_device_page(url: &str, domains: &[PortalDomain]) -> bool {
    let Some(page) = parse(url) else { return false };
    if page.https && !page.has_port {
        if let Some(region) = page.host.strip_prefix("device.sso.").and_then(|r| r.split('.').next()) {
            if device_page_host(region).is_ok_and(|host| host == page.host) {
                return true;
            }
        }
        if let Some(region) = page.host.strip_suffix(".signin.aws") {
            if signin_host(region).ok().flatten().is_some_and(|host| host == page.host) {
                return page.path == SIGNIN_DEVICE_PATH;
            }
        }
        if portal_page(url).is_some() {
            return is_device_route(page.fragment);
        }
    }
    if custom_domain_of(domains, url).is_none() {
        return false;
    }
    is_device_route(page.fragment)
        || page.path == "/device"
        || page.path.starts_with("/device/")
        || page.path == SIGNIN_DEVICE_PATH
        || page.query.split('&').any(|pair| pair.split('=').next() == Some("user_code"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domains() -> Vec<PortalDomain> {
        vec![
            PortalDomain { origin: "http://127.0.0.1:4000".into(), region: String::new() },
            PortalDomain { origin: "https://*.example.com".into(), region: "eu-west-1".into() },
        ]
    }

    #[test]
    fn device_hosts_follow_the_partition() {
        assert_eq!(device_page_host("eu-west-1").unwrap(), "device.sso.eu-west-1.amazonaws.com");
        assert_eq!(device_page_host("cn-north-1").unwrap(), "device.sso.cn-north-1.amazonaws.com.cn");
        assert_eq!(device_page_host("eusc-de-east-1").unwrap(), "device.sso.eusc-de-east-1.amazonaws.eu");
        assert_eq!(signin_host("us-gov-west-1").unwrap().as_deref(), Some("us-gov-west-1.signin.aws"));
        assert_eq!(signin_host("cn-north-1").unwrap(), None);
        assert!(device_page_host("us-east-1.evil.com").is_err());
        assert!(signin_host("x").is_err());
    }

    #[test]
    fn aws_device_pages_by_exact_host_and_path() {
        for ok in [
            "https://device.sso.eu-west-1.amazonaws.com/",
            "https://device.sso.eu-west-1.amazonaws.com/?user_code=ABCD-EFGH",
            "https://device.sso.cn-north-1.amazonaws.com.cn/",
            "https://device.sso.eusc-de-east-1.amazonaws.eu/",
            "https://DEVICE.sso.us-east-1.amazonaws.com/",
            "https://us-east-1.signin.aws/platform/authorize?request_uri=urn%3Ax",
            "https://acme.awsapps.com/start/#/device",
            "https://acme.awsapps.com/start/#!/device?user_code=ABCD-EFGH",
            "https://ssoins-1.portal.eu-west-1.app.aws/#/Device/",
        ] {
            assert!(is_device_page(ok, &[]), "{ok}");
        }
        for bad in [
            // Finding 3: the old globs matched these anywhere in the URL.
            "https://bucket.s3.amazonaws.com/device/index.html?x=.awsapps.com/",
            "https://bucket.s3.amazonaws.com/?x=device.sso.us-east-1.amazonaws.com",
            "https://device.sso.eu-west-1.amazonaws.com.evil.example/",
            "https://device.sso.cn-north-1.amazonaws.com/",
            "https://device.sso.us-east-123.amazonaws.com/",
            "https://device.sso.eu-west-1.amazonaws.com:8443/",
            "http://device.sso.eu-west-1.amazonaws.com/",
            "https://user@device.sso.eu-west-1.amazonaws.com/",
            "https://us-east-1.signin.aws/other",
            "https://us-east-1.signin.aws/platform/authorize/x",
            "https://cn-north-1.signin.aws/platform/authorize",
            "https://evil.signin.aws/platform/authorize",
            "https://acme.awsapps.com/start/#/",
            "https://acme.awsapps.com/start/#/devices",
            "https://acme.awsapps.com/device/",
            "https://acme.awsapps.com.evil.example/#/device",
            "https://evil.example/#/device",
            "https://evil.example/device?user_code=ABCD-EFGH",
            "not a url",
        ] {
            assert!(!is_device_page(bad, &domains()), "{bad}");
        }
    }

    #[test]
    fn custom_domains_serve_their_own_device_pages() {
        for ok in [
            "http://127.0.0.1:4000/device",
            "http://127.0.0.1:4000/device/confirm",
            "http://127.0.0.1:4000/?user_code=ABCD-EFGH",
            "http://127.0.0.1:4000/x?a=1&user_code=ABCD-EFGH",
            "http://127.0.0.1:4000/platform/authorize?request_uri=x",
            "http://127.0.0.1:4000/start/#/device",
            "https://sso.example.com/#/device",
        ] {
            assert!(is_device_page(ok, &domains()), "{ok}");
            assert!(!is_device_page(ok, &[]), "{ok} without the domain");
        }
        for bad in [
            "http://127.0.0.1:4000/start/#/",
            "http://127.0.0.1:4000/devices",
            "http://127.0.0.1:4000/?xuser_code=1",
            "http://127.0.0.1:4001/device",
            "https://example.com/device",
        ] {
            assert!(!is_device_page(bad, &domains()), "{bad}");
        }
    }
}
