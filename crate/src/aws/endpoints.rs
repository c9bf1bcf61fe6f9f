//! Where the OIDC and portal APIs live for a region, or where an override says they live.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Base URLs (no trailing `/`) of the two APIs a login and a listing talk to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoints {
    /// SSO OIDC: `/client/register`, `/device_authorization`, `/token`, `/authorize`.
    pub oidc: String,
    /// SSO portal: `/assignment/accounts`, `/assignment/roles`.
    pub portal: String,
}

/// The AWS partitions IAM Identity Center runs in that this crate knows the DNS suffixes of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Aws,
    AwsCn,
    AwsUsGov,
    /// The AWS European Sovereign Cloud (`eusc-de-east-1`).
    AwsEusc,
}

impl Partition {
    /// The IPv4-only endpoints' suffix (`oidc.{region}.{suffix}`).
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
            Partition::AwsEusc => "amazonaws.eu",
        }
    }

    /// The dual-stack (IPv4 + IPv6) endpoints' suffix, as the SDKs' partition data names it.
    pub fn dual_stack_dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "api.aws",
            Partition::AwsCn => "api.amazonwebservices.com.cn",
            Partition::AwsEusc => "api.amazonwebservices.eu",
        }
    }
}

/// Checks a region name (`us-east-1`, `cn-north-1`, `us-gov-west-1`) and returns its partition.
///
/// The region ends up in a host name, so anything but `[a-z]+(-[a-z]+)+-[0-9]+` is refused rather
/// than letting a crafted value point the login somewhere else. ISO partitions are refused: their
/// DNS suffixes differ and nobody reaches them from a consumer browser.
pub fn partition_of(region: &str) -> Result<Partition, Error> {
    let invalid = || Error::InvalidRegion(region.chars().take(64).collect());
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = region.len() <= 32
        && parts.len() >= 3
        && parts[..parts.len() - 1].iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
        && parts[parts.len() - 1].len() <= 2
        && !parts[parts.len() - 1].is_empty()
        && parts[parts.len() - 1].bytes().all(|b| b.is_ascii_digit())
        && (parts[0].len() == 2 || parts[0] == "eusc");
    if !well_formed {
        return Err(invalid());
    }
    if parts[1].starts_with("iso") {
        return Err(invalid());
    }
    Ok(match parts[0] {
        "cn" => Partition::AwsCn,
        "eusc" => Partition::AwsEusc,
        "us" if parts[1] == "gov" => Partition::AwsUsGov,
        _ => Partition::Aws,
    })
}

impl Endpoints {
    /// The public (IPv4) endpoints of `region`.
    pub fn for_region(region: &str) -> Result<Self, Error> {
        Self::public(region, false)
    }

    /// The public endpoints of `region`, dual-stack or IPv4-only.
    pub fn public(region: &str, dual_stack: bool) -> Result<Self, Error> {
        let partition = partition_of(region)?;
        let suffix = if dual_stack { partition.dual_stack_dns_suffix() } else { partition.dns_suffix() };
        Ok(Endpoints {
            oidc: format!("https://oidc.{region}.{suffix}"),
            portal: format!("https://portal.sso.{region}.{suffix}"),
        })
    }

    /// An explicit pair of base URLs (tests, the emulator, private setups). Only `http(s)://` URLs
    /// without query or fragment are accepted; a trailing `/` is dropped.
    pub fn custom(oidc: &str, portal: &str) -> Result<Self, Error> {
        Ok(Endpoints { oidc: base_url("endpoints.oidc", oidc)?, portal: base_url("endpoints.portal", portal)? })
    }

    /// The override when there is one (validated), else the region's public endpoints:
    /// dual-stack when asked or when the start URL is a dual-stack portal (`*.app.aws`), whose
    /// instances do not complete the device flow on the IPv4 endpoints. The region is validated
    /// either way, because it also goes into the token cache and the config.
    pub fn resolve(
        region: &str,
        start_url: &str,
        force_dual_stack: bool,
        endpoint_override: Option<&Endpoints>,
    ) -> Result<Self, Error> {
        let public = Self::public(region, force_dual_stack || is_dual_stack_portal(start_url))?;
        match endpoint_override {
            Some(o) => Self::custom(&o.oidc, &o.portal),
            None => Ok(public),
        }
    }
}

/// The path of the newer sign-in device pages (`https://REGION.signin.aws/platform/authorize`).
pub const SIGNIN_DEVICE_PATH: &str = "/platform/authorize";

/// The host of a region's OIDC device-verification pages:
/// `device.sso.eu-west-1.amazonaws.com`, `device.sso.cn-north-1.amazonaws.com.cn`.
pub fn device_page_host(region: &str) -> Result<String, Error> {
    Ok(format!("device.sso.{region}.{}", partition_of(region)?.dns_suffix()))
}

/// The host of a region's newer sign-in pages (`eu-west-1.signin.aws`, which serve device
/// approvals at [`SIGNIN_DEVICE_PATH`]); none in China, which has no `signin.aws`.
pub fn signin_host(region: &str) -> Result<Option<String>, Error> {
    Ok((partition_of(region)? != Partition::AwsCn).then(|| format!("{region}.signin.aws")))
}

/// True for the portals of dual-stack IAM Identity Center instances:
/// `https://ssoins-1234.portal.eu-west-1.app.aws`.
pub fn is_dual_stack_portal(start_url: &str) -> bool {
    start_url
        .strip_prefix("https://")
        .and_then(|rest| rest.split(['/', '?', '#', ':']).next())
        .is_some_and(|host| host.ends_with(".app.aws"))
}

fn base_url(field: &str, url: &str) -> Result<String, Error> {
    Ok(crate::fields::base_url(field, url)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_follow_the_partition() {
        let e = Endpoints::for_region("eu-west-1").unwrap();
        assert_eq!(e.oidc, "https://oidc.eu-west-1.amazonaws.com");
        assert_eq!(e.portal, "https://portal.sso.eu-west-1.amazonaws.com");
        let cn = Endpoints::for_region("cn-northwest-1").unwrap();
        assert_eq!(cn.oidc, "https://oidc.cn-northwest-1.amazonaws.com.cn");
        assert_eq!(cn.portal, "https://portal.sso.cn-northwest-1.amazonaws.com.cn");
        assert_eq!(partition_of("us-gov-west-1"), Ok(Partition::AwsUsGov));
        assert_eq!(Endpoints::for_region("us-gov-east-1").unwrap().oidc, "https://oidc.us-gov-east-1.amazonaws.com");
        assert_eq!(partition_of("ap-southeast-4"), Ok(Partition::Aws));
        let eusc = Endpoints::for_region("eusc-de-east-1").unwrap();
        assert_eq!(eusc.oidc, "https://oidc.eusc-de-east-1.amazonaws.eu");
        assert_eq!(eusc.portal, "https://portal.sso.eusc-de-east-1.amazonaws.eu");
    }

    #[test]
    fn app_aws_portals_use_the_dual_stack_endpoints() {
        let start = "https://ssoins-7223a1b2c3d4e5f6.portal.ap-northeast-1.app.aws";
        let e = Endpoints::resolve("ap-northeast-1", start, false, None).unwrap();
        assert_eq!(e.oidc, "https://oidc.ap-northeast-1.api.aws");
        assert_eq!(e.portal, "https://portal.sso.ap-northeast-1.api.aws");
        let classic = Endpoints::resolve("ap-northeast-1", "https://acme.awsapps.com/start", false, None).unwrap();
        assert_eq!(classic.oidc, "https://oidc.ap-northeast-1.amazonaws.com");
        let forced = Endpoints::resolve("eu-west-1", "https://acme.awsapps.com/start", true, None).unwrap();
        assert_eq!(forced.portal, "https://portal.sso.eu-west-1.api.aws");
        let cn = Endpoints::resolve("cn-north-1", "https://acme.awsapps.cn/start", true, None).unwrap();
        assert_eq!(cn.oidc, "https://oidc.cn-north-1.api.amazonwebservices.com.cn");
        // Only the host counts: a path that mentions app.aws is not a dual-stack portal.
        assert!(!is_dual_stack_portal("https://evil.example/x.app.aws"));
        assert!(!is_dual_stack_portal("http://a.portal.us-east-1.app.aws"));
    }

    #[test]
    fn rejects_bad_regions() {
        for bad in [
            "",
            "us",
            "us-east",
            "US-EAST-1",
            "us-east-1.evil.com",
            "us-east-1/x",
            "evil.com#-a-1",
            "us-iso-east-1",
            "us-east-123",
            "u-east-1",
            "us--1",
            "us-east-1 ",
        ] {
            assert_eq!(partition_of(bad).map_err(|e| e.code()), Err("invalid_region"), "{bad:?}");
        }
    }

    #[test]
    fn override_is_validated_and_trimmed() {
        let e = Endpoints::resolve(
            "us-east-1",
            "https://a.awsapps.com/start",
            false,
            Some(&Endpoints { oidc: "http://127.0.0.1:9/".into(), portal: "http://127.0.0.1:9".into() }),
        )
        .unwrap();
        assert_eq!(e.oidc, "http://127.0.0.1:9");
        assert!(Endpoints::custom("ftp://x", "http://y").is_err());
        assert!(Endpoints::custom("http://a@b", "http://y").is_err());
        assert!(Endpoints::custom("http://x?y", "http://y").is_err());
        assert!(Endpoints::resolve("nope", "https://a.awsapps.com/start", false, Some(&e)).is_err());
    }
}
