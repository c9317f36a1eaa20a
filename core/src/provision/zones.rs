//! The availability zones the plan places subnets in, per region. The create policy has no
//! `ec2:DescribeAvailabilityZones`, so they come from here; an account whose zone names differ
//! (AWS maps zone letters per account in some regions) passes its own with `--zones`.

use crate::catalog::Cloud;

/// The zones of a region, in the order subnets take them; empty for a region the catalog lacks.
pub fn zones(cloud: Cloud, region: &str) -> &'static [&'static str] {
    match (cloud, region) {
        (Cloud::AwsCn, "cn-northwest-1") => {
            &["cn-northwest-1a", "cn-northwest-1b", "cn-northwest-1c"]
        }
        (Cloud::AwsCn, "cn-north-1") => &["cn-north-1a", "cn-north-1b", "cn-north-1d"],
        (Cloud::Aws, "us-east-1") => &["us-east-1a", "us-east-1b", "us-east-1c"],
        (Cloud::Aws, "us-east-2") => &["us-east-2a", "us-east-2b", "us-east-2c"],
        // Two zones for new accounts: the third subnet shares the first zone.
        (Cloud::Aws, "us-west-1") => &["us-west-1a", "us-west-1c"],
        (Cloud::Aws, "us-west-2") => &["us-west-2a", "us-west-2b", "us-west-2c"],
        (Cloud::Aws, "eu-west-1") => &["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        (Cloud::Aws, "eu-central-1") => &["eu-central-1a", "eu-central-1b", "eu-central-1c"],
        (Cloud::Aws, "ap-southeast-1") => {
            &["ap-southeast-1a", "ap-southeast-1b", "ap-southeast-1c"]
        }
        (Cloud::Aws, "ap-south-1") => &["ap-south-1a", "ap-south-1b", "ap-south-1c"],
        (Cloud::Aws, "ap-east-1") => &["ap-east-1a", "ap-east-1b", "ap-east-1c"],
        // ap-northeast-1b is closed to new accounts.
        (Cloud::Aws, "ap-northeast-1") => {
            &["ap-northeast-1a", "ap-northeast-1c", "ap-northeast-1d"]
        }
        _ => &[],
    }
}

/// Checks zones given by hand: one to three, distinct, each the region's name and a letter.
pub fn check(region: &str, given: &[String]) -> Result<Vec<String>, String> {
    if given.is_empty() || given.len() > 3 {
        return Err(format!(
            "--zones takes one to three zones of {region}, comma-separated"
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for zone in given {
        let zone = zone.trim();
        let letter = zone.strip_prefix(region);
        if !matches!(letter, Some(l) if l.len() == 1 && l.bytes().all(|b| b.is_ascii_lowercase())) {
            return Err(format!(
                "\"{zone}\" is not a zone of {region} (zones are the region's name and a letter, such as {region}a)"
            ));
        }
        if out.iter().any(|z| z == zone) {
            return Err(format!("the zone {zone} is given twice"));
        }
        out.push(zone.to_owned());
    }
    Ok(out)
}
