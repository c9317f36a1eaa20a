//! The availability zones the plan places subnets in, per region. Neither cloud's create policy
//! can list zones (no `ec2:DescribeAvailabilityZones`, no `ecs:DescribeZones`), so they come from
//! here; an account whose zone names differ (AWS maps zone letters per account in some regions;
//! Alibaba Cloud sells out zones for some instance types) passes its own with `--zones`.

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
        // Alibaba Cloud: zones open to new accounts, newest first where older ones sell out.
        (Cloud::Aliyun, "cn-hangzhou") => &[
            "cn-hangzhou-h",
            "cn-hangzhou-i",
            "cn-hangzhou-j",
            "cn-hangzhou-k",
        ],
        (Cloud::Aliyun, "cn-shanghai") => &[
            "cn-shanghai-l",
            "cn-shanghai-m",
            "cn-shanghai-n",
            "cn-shanghai-e",
        ],
        (Cloud::Aliyun, "cn-beijing") => &[
            "cn-beijing-h",
            "cn-beijing-i",
            "cn-beijing-j",
            "cn-beijing-k",
        ],
        (Cloud::Aliyun, "cn-shenzhen") => &[
            "cn-shenzhen-c",
            "cn-shenzhen-d",
            "cn-shenzhen-e",
            "cn-shenzhen-f",
        ],
        (Cloud::Aliyun, "cn-zhangjiakou") => {
            &["cn-zhangjiakou-a", "cn-zhangjiakou-b", "cn-zhangjiakou-c"]
        }
        (Cloud::Aliyun, "cn-chengdu") => &["cn-chengdu-a", "cn-chengdu-b"],
        _ => &[],
    }
}

/// How many subnets (vSwitches on Alibaba Cloud) the plan makes, so how many zones it can use.
pub fn subnet_count(cloud: Cloud) -> usize {
    match cloud {
        Cloud::Aliyun => 4,
        _ => 3,
    }
}

/// Checks zones given by hand: one to as many as the plan has subnets, distinct, each the
/// region's name and a letter (`us-east-1a` on AWS, `cn-hangzhou-h` on Alibaba Cloud).
pub fn check(cloud: Cloud, region: &str, given: &[String]) -> Result<Vec<String>, String> {
    let most = subnet_count(cloud);
    let (sep, example) = match cloud {
        Cloud::Aliyun => ("-", format!("{region}-h")),
        _ => ("", format!("{region}a")),
    };
    if given.is_empty() || given.len() > most {
        return Err(format!(
            "--zones takes one to {most} zones of {region}, comma-separated"
        ));
    }
    let mut out: Vec<String> = Vec::new();
    for zone in given {
        let zone = zone.trim();
        let letter = zone
            .strip_prefix(region)
            .and_then(|rest| rest.strip_prefix(sep));
        if !matches!(letter, Some(l) if l.len() == 1 && l.bytes().all(|b| b.is_ascii_lowercase())) {
            return Err(format!(
                "\"{zone}\" is not a zone of {region} (zones are the region's name and a letter, such as {example})"
            ));
        }
        if out.iter().any(|z| z == zone) {
            return Err(format!("the zone {zone} is given twice"));
        }
        out.push(zone.to_owned());
    }
    Ok(out)
}
