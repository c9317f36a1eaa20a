//! The catalog: which clouds the broker can be deployed to and in which regions (SPEC §2,
//! reference/domain.md §5). The China site serves `aliyun` and `aws-cn`; the international site
//! serves `aws` and `gcp`. Region codes are the providers' own.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::api;
use crate::lang::{Lang, Name};

/// A cloud provider the broker can run in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Cloud {
    #[serde(rename = "aliyun")]
    Aliyun,
    #[serde(rename = "aws-cn")]
    AwsCn,
    #[serde(rename = "aws")]
    Aws,
    #[serde(rename = "gcp")]
    Gcp,
}

/// Which of the vendor's two sites a cloud belongs to; it decides, for example, whether a domain
/// needs ICP filing.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Site {
    China,
    International,
}

/// A region of one cloud.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    pub cloud: Cloud,
    pub code: &'static str,
    pub name: Name,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CatalogError {
    #[error("unknown cloud \"{0}\"; expected one of aliyun, aws-cn, aws, gcp")]
    UnknownCloud(String),
    #[error("region \"{region}\" is not offered on {cloud}")]
    UnknownRegion { cloud: Cloud, region: String },
}

impl CatalogError {
    /// Stable machine-readable code, used in API problems and translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            CatalogError::UnknownCloud(_) => "unknown_cloud",
            CatalogError::UnknownRegion { .. } => "unknown_region",
        }
    }

    /// The error in `lang`, a clause like the English `Display`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (CatalogError::UnknownCloud(c), Lang::ZhCn) => {
                format!("未知的云服务商 \"{c}\"；应为 aliyun、aws-cn、aws、gcp 之一")
            }
            (CatalogError::UnknownRegion { cloud, region }, Lang::ZhCn) => {
                format!("{cloud} 不提供区域 \"{region}\"")
            }
        }
    }
}

impl Cloud {
    /// Every cloud, in the order the console lists them.
    pub const ALL: [Cloud; 4] = [Cloud::Aliyun, Cloud::AwsCn, Cloud::Aws, Cloud::Gcp];

    pub fn code(self) -> &'static str {
        match self {
            Cloud::Aliyun => "aliyun",
            Cloud::AwsCn => "aws-cn",
            Cloud::Aws => "aws",
            Cloud::Gcp => "gcp",
        }
    }

    pub fn name(self) -> Name {
        match self {
            Cloud::Aliyun => Name {
                en: "Alibaba Cloud",
                zh: "阿里云",
            },
            Cloud::AwsCn => Name {
                en: "AWS China",
                zh: "亚马逊云科技",
            },
            Cloud::Aws => Name {
                en: "AWS",
                zh: "AWS",
            },
            Cloud::Gcp => Name {
                en: "Google Cloud",
                zh: "谷歌云",
            },
        }
    }

    pub fn site(self) -> Site {
        match self {
            Cloud::Aliyun | Cloud::AwsCn => Site::China,
            Cloud::Aws | Cloud::Gcp => Site::International,
        }
    }

    /// The regions offered on this cloud, in the order the console lists them.
    pub fn regions(self) -> &'static [Region] {
        match self {
            Cloud::Aliyun => ALIYUN,
            Cloud::AwsCn => AWS_CN,
            Cloud::Aws => AWS,
            Cloud::Gcp => GCP,
        }
    }

    /// Finds one of this cloud's regions by its provider code (exact, case-sensitive: providers'
    /// APIs are).
    pub fn region(self, code: &str) -> Result<&'static Region, CatalogError> {
        self.regions()
            .iter()
            .find(|r| r.code == code)
            .ok_or_else(|| CatalogError::UnknownRegion {
                cloud: self,
                region: code.to_owned(),
            })
    }
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Cloud {
    type Err = CatalogError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Cloud::ALL
            .into_iter()
            .find(|c| c.code() == s)
            .ok_or_else(|| CatalogError::UnknownCloud(s.to_owned()))
    }
}

const fn region(cloud: Cloud, code: &'static str, en: &'static str, zh: &'static str) -> Region {
    Region {
        cloud,
        code,
        name: Name { en, zh },
    }
}

// China site (reference/domain.md §5, EMQ/prereq-cn); names as the providers' consoles show them.
const ALIYUN: &[Region] = &[
    region(
        Cloud::Aliyun,
        "cn-beijing",
        "China (Beijing)",
        "华北2（北京）",
    ),
    region(
        Cloud::Aliyun,
        "cn-shanghai",
        "China (Shanghai)",
        "华东2（上海）",
    ),
    region(
        Cloud::Aliyun,
        "cn-shenzhen",
        "China (Shenzhen)",
        "华南1（深圳）",
    ),
    region(
        Cloud::Aliyun,
        "cn-hangzhou",
        "China (Hangzhou)",
        "华东1（杭州）",
    ),
    region(
        Cloud::Aliyun,
        "cn-zhangjiakou",
        "China (Zhangjiakou)",
        "华北3（张家口）",
    ),
    region(
        Cloud::Aliyun,
        "cn-chengdu",
        "China (Chengdu)",
        "西南1（成都）",
    ),
];

const AWS_CN: &[Region] = &[
    region(
        Cloud::AwsCn,
        "cn-northwest-1",
        "China (Ningxia)",
        "中国（宁夏）",
    ),
    region(
        Cloud::AwsCn,
        "cn-north-1",
        "China (Beijing)",
        "中国（北京）",
    ),
];

// International site (reference/domain.md §5, EMQ/prereq-intl).
const AWS: &[Region] = &[
    region(
        Cloud::Aws,
        "us-east-1",
        "US East (N. Virginia)",
        "美国东部（弗吉尼亚北部）",
    ),
    region(
        Cloud::Aws,
        "us-east-2",
        "US East (Ohio)",
        "美国东部（俄亥俄）",
    ),
    region(
        Cloud::Aws,
        "us-west-1",
        "US West (N. California)",
        "美国西部（加利福尼亚北部）",
    ),
    region(
        Cloud::Aws,
        "us-west-2",
        "US West (Oregon)",
        "美国西部（俄勒冈）",
    ),
    region(
        Cloud::Aws,
        "eu-west-1",
        "Europe (Ireland)",
        "欧洲（爱尔兰）",
    ),
    region(
        Cloud::Aws,
        "eu-central-1",
        "Europe (Frankfurt)",
        "欧洲（法兰克福）",
    ),
    region(
        Cloud::Aws,
        "ap-southeast-1",
        "Asia Pacific (Singapore)",
        "亚太地区（新加坡）",
    ),
    region(
        Cloud::Aws,
        "ap-south-1",
        "Asia Pacific (Mumbai)",
        "亚太地区（孟买）",
    ),
    region(
        Cloud::Aws,
        "ap-east-1",
        "Asia Pacific (Hong Kong)",
        "亚太地区（香港）",
    ),
    region(
        Cloud::Aws,
        "ap-northeast-1",
        "Asia Pacific (Tokyo)",
        "亚太地区（东京）",
    ),
];

const GCP: &[Region] = &[
    region(
        Cloud::Gcp,
        "us-east1",
        "South Carolina (us-east1)",
        "南卡罗来纳（us-east1）",
    ),
    region(
        Cloud::Gcp,
        "us-west1",
        "Oregon (us-west1)",
        "俄勒冈（us-west1）",
    ),
    region(
        Cloud::Gcp,
        "us-central1",
        "Iowa (us-central1)",
        "爱荷华（us-central1）",
    ),
    region(
        Cloud::Gcp,
        "europe-west3",
        "Frankfurt (europe-west3)",
        "法兰克福（europe-west3）",
    ),
    region(
        Cloud::Gcp,
        "europe-north1",
        "Finland (europe-north1)",
        "芬兰（europe-north1）",
    ),
    region(
        Cloud::Gcp,
        "asia-south1",
        "Mumbai (asia-south1)",
        "孟买（asia-south1）",
    ),
    region(
        Cloud::Gcp,
        "asia-southeast1",
        "Singapore (asia-southeast1)",
        "新加坡（asia-southeast1）",
    ),
    region(
        Cloud::Gcp,
        "asia-east1",
        "Taiwan (asia-east1)",
        "台湾（asia-east1）",
    ),
];

/// The whole catalog as the API serves it and the console shows it.
pub fn catalog() -> api::Catalog {
    api::Catalog {
        clouds: Cloud::ALL
            .into_iter()
            .map(|cloud| api::CatalogCloud {
                code: cloud,
                name_en: cloud.name().en.to_owned(),
                name_zh: cloud.name().zh.to_owned(),
                site: cloud.site(),
                regions: cloud
                    .regions()
                    .iter()
                    .map(|r| api::CatalogRegion {
                        code: r.code.to_owned(),
                        name_en: r.name.en.to_owned(),
                        name_zh: r.name.zh.to_owned(),
                    })
                    .collect(),
            })
            .collect(),
    }
}

impl api::CatalogCloud {
    /// The cloud's display name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::ZhCn => &self.name_zh,
        }
    }
}

impl api::CatalogRegion {
    /// The region's display name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.name_en,
            Lang::ZhCn => &self.name_zh,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn offers_exactly_the_four_clouds_of_the_spec() {
        let codes: Vec<_> = Cloud::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, ["aliyun", "aws-cn", "aws", "gcp"]);
    }

    #[test]
    fn cloud_codes_parse_and_round_trip_through_serde() {
        for cloud in Cloud::ALL {
            assert_eq!(cloud.code().parse::<Cloud>(), Ok(cloud));
            let json = serde_json::to_string(&cloud).unwrap();
            assert_eq!(json, format!("\"{}\"", cloud.code()));
            assert_eq!(serde_json::from_str::<Cloud>(&json).unwrap(), cloud);
        }
    }

    #[test]
    fn rejects_unknown_cloud_with_stable_code() {
        for bad in ["", "azure", "AWS", "aws_cn", " aws"] {
            let err = bad.parse::<Cloud>().unwrap_err();
            assert_eq!(err.code(), "unknown_cloud", "{bad:?}");
            assert!(err.to_string().contains("aliyun, aws-cn, aws, gcp"));
        }
    }

    #[test]
    fn china_site_serves_aliyun_and_aws_cn() {
        assert_eq!(Cloud::Aliyun.site(), Site::China);
        assert_eq!(Cloud::AwsCn.site(), Site::China);
        assert_eq!(Cloud::Aws.site(), Site::International);
        assert_eq!(Cloud::Gcp.site(), Site::International);
    }

    #[test]
    fn regions_match_the_reference_lists() {
        let codes = |c: Cloud| c.regions().iter().map(|r| r.code).collect::<Vec<_>>();
        assert_eq!(
            codes(Cloud::Aliyun),
            [
                "cn-beijing",
                "cn-shanghai",
                "cn-shenzhen",
                "cn-hangzhou",
                "cn-zhangjiakou",
                "cn-chengdu"
            ]
        );
        assert_eq!(codes(Cloud::AwsCn), ["cn-northwest-1", "cn-north-1"]);
        assert_eq!(
            codes(Cloud::Aws),
            [
                "us-east-1",
                "us-east-2",
                "us-west-1",
                "us-west-2",
                "eu-west-1",
                "eu-central-1",
                "ap-southeast-1",
                "ap-south-1",
                "ap-east-1",
                "ap-northeast-1"
            ]
        );
        assert_eq!(
            codes(Cloud::Gcp),
            [
                "us-east1",
                "us-west1",
                "us-central1",
                "europe-west3",
                "europe-north1",
                "asia-south1",
                "asia-southeast1",
                "asia-east1"
            ]
        );
    }

    #[test]
    fn every_region_belongs_to_its_cloud_is_unique_and_named_in_both_languages() {
        for cloud in Cloud::ALL {
            let mut seen = HashSet::new();
            for r in cloud.regions() {
                assert_eq!(r.cloud, cloud);
                assert!(seen.insert(r.code), "duplicate {}", r.code);
                assert!(!r.name.en.is_empty() && r.name.en.is_ascii(), "{}", r.code);
                assert!(!r.name.zh.is_ascii(), "{} needs a Chinese name", r.code);
            }
        }
    }

    #[test]
    fn finds_a_region_by_code_only_on_its_own_cloud() {
        assert_eq!(
            Cloud::Aliyun.region("cn-hangzhou").unwrap().name.zh,
            "华东1（杭州）"
        );
        let err = Cloud::Aws.region("cn-hangzhou").unwrap_err();
        assert_eq!(err.code(), "unknown_region");
        assert_eq!(
            err.to_string(),
            "region \"cn-hangzhou\" is not offered on aws"
        );
        assert!(Cloud::AwsCn.region("us-east-1").is_err());
        assert!(Cloud::Gcp.region("US-EAST1").is_err());
    }

    #[test]
    fn catalog_dto_lists_every_cloud_and_region_with_both_names() {
        let cat = catalog();
        assert_eq!(cat.clouds.len(), 4);
        let aws_cn = cat.clouds.iter().find(|c| c.code == Cloud::AwsCn).unwrap();
        assert_eq!(aws_cn.name(Lang::ZhCn), "亚马逊云科技");
        assert_eq!(aws_cn.regions[0].name(Lang::En), "China (Ningxia)");
        assert_eq!(aws_cn.regions[0].name(Lang::ZhCn), "中国（宁夏）");
        let total: usize = cat.clouds.iter().map(|c| c.regions.len()).sum();
        assert_eq!(total, 6 + 2 + 10 + 8);
        // The wire format is what the console and automation read: pin its shape.
        let json = serde_json::to_value(&cat).unwrap();
        assert_eq!(json["clouds"][0]["code"], "aliyun");
        assert_eq!(json["clouds"][0]["site"], "china");
        assert_eq!(json["clouds"][0]["regions"][0]["code"], "cn-beijing");
        assert_eq!(json["clouds"][0]["regions"][0]["name_zh"], "华北2（北京）");
    }
}
