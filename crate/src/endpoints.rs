//! Where the OIDC and portal APIs live for a region, or where an override says they live.

use serde::{Deserialize, Serialize};

use crate::error::Error;

/// Base URLs (no trailing `/`) of the two APIs a login and a listing talk to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Endpoints {
    /// SSO OIDC: `/client/register`, `/device_authorization`, `/token`, `/authorize`.
    pub oidc: String,
    /// SSO portal: `/assignment/accounts`, `/assignment/roles`.
    pub portal: String,
}

/// The AWS partitions IAM Identity Center runs in that this crate knows the DNS suffix of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Partition {
    Aws,
    AwsCn,
    AwsUsGov,
}

impl Partition {
    pub fn dns_suffix(self) -> &'static str {
        match self {
            Partition::Aws | Partition::AwsUsGov => "amazonaws.com",
            Partition::AwsCn => "amazonaws.com.cn",
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
        && parts[0].len() == 2;
    if !well_formed {
        return Err(invalid());
    }
    if parts[1].starts_with("iso") {
        return Err(invalid());
    }
    Ok(match parts[0] {
        "cn" => Partition::AwsCn,
        "us" if parts[1] == "gov" => Partition::AwsUsGov,
        _ => Partition::Aws,
    })
}

impl Endpoints {
    /// The public endpoints of `region`.
    pub fn for_region(region: &str) -> Result<Self, Error> {
        let suffix = partition_of(region)?.dns_suffix();
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

    /// The override when there is one (validated), else the region's public endpoints. The region
    /// is validated either way, because it also goes into the token cache and the config.
    pub fn resolve(region: &str, endpoint_override: Option<&Endpoints>) -> Result<Self, Error> {
        let public = Self::for_region(region)?;
        match endpoint_override {
            Some(o) => Self::custom(&o.oidc, &o.portal),
            None => Ok(public),
        }
    }
}

fn base_url(field: &str, url: &str) -> Result<String, Error> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| Error::invalid_input(field, "must start with https:// or http://"))?;
    let host = rest.split('/').next().unwrap_or("");
    if host.is_empty() || url.contains(['?', '#', ' ', '\n', '\r', '\t']) || host.contains('@') {
        return Err(Error::invalid_input(field, "must be a plain base URL (no credentials, query or fragment)"));
    }
    Ok(url.trim_end_matches('/').to_string())
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
            Some(&Endpoints { oidc: "http://127.0.0.1:9/".into(), portal: "http://127.0.0.1:9".into() }),
        )
        .unwrap();
        assert_eq!(e.oidc, "http://127.0.0.1:9");
        assert!(Endpoints::custom("ftp://x", "http://y").is_err());
        assert!(Endpoints::custom("http://a@b", "http://y").is_err());
        assert!(Endpoints::custom("http://x?y", "http://y").is_err());
        assert!(Endpoints::resolve("nope", Some(&e)).is_err());
    }
}
