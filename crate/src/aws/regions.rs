//! The AWS regions SSO Bridge offers in its pickers, and the rule for a region typed by hand.
//!
//! A well-formed region the list does not know (AWS opens a few every year) is accepted with a
//! warning instead of refused, so a new region works before SSO Bridge is updated; a typo such as
//! `us-east-9` is shown as "not a known region" before it becomes a "network error" at sign-in.

use serde::Serialize;

use crate::endpoints::partition_of;
use crate::error::Error;

/// Regions of the partitions SSO Bridge can reach (aws, aws-cn, aws-us-gov, aws-eusc), as of
/// December 2026. IAM Identity Center and the profiles' `region` both draw from this list.
pub const KNOWN_REGIONS: &[&str] = &[
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "af-south-1",
    "ap-east-1",
    "ap-east-2",
    "ap-south-1",
    "ap-south-2",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
    "ap-southeast-3",
    "ap-southeast-4",
    "ap-southeast-5",
    "ap-southeast-6",
    "ap-southeast-7",
    "ca-central-1",
    "ca-west-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "il-central-1",
    "me-central-1",
    "me-south-1",
    "mx-central-1",
    "sa-east-1",
    "cn-north-1",
    "cn-northwest-1",
    "us-gov-east-1",
    "us-gov-west-1",
    "eusc-de-east-1",
];

/// A region that passed [`check_region`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RegionCheck {
    pub region: String,
    /// False for a well-formed region that is not in [`KNOWN_REGIONS`]: usable, but worth a
    /// warning next to the field.
    pub known: bool,
}

/// Checks a region typed into `field` (trimmed). Refuses what is not a region at all; accepts an
/// unknown but well-formed one with `known: false`.
pub fn check_region(field: &str, value: &str) -> Result<RegionCheck, Error> {
    let region = value.trim();
    if region.is_empty() {
        return Err(Error::invalid_input(field, "is empty; choose a region such as us-east-1"));
    }
    partition_of(region).map_err(|_| Error::invalid_input(field, "is not an AWS region such as us-east-1"))?;
    Ok(RegionCheck { region: region.to_string(), known: KNOWN_REGIONS.contains(&region) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_region_is_well_formed() {
        for r in KNOWN_REGIONS {
            assert!(partition_of(r).is_ok(), "{r}");
        }
    }

    #[test]
    fn known_unknown_and_invalid() {
        assert_eq!(
            check_region("region", " ap-northeast-1 ").unwrap(),
            RegionCheck { region: "ap-northeast-1".into(), known: true }
        );
        assert!(!check_region("region", "us-east-9").unwrap().known);
        assert!(check_region("region", "eusc-de-east-1").unwrap().known);
        for bad in ["", "us-east-123", "tokyo", "us-east-1.evil.com"] {
            match check_region("region", bad) {
                Err(Error::InvalidInput { field, .. }) => assert_eq!(field, "region"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
