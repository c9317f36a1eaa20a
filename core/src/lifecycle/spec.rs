//! What a deployment is asked to be (SPEC §7), parsed into types the rest of the code trusts.
//! The console runs [`validate`] as the user types; the control plane runs it again on every
//! create, so both refuse exactly the same things with the same words.

use crate::api::DeploymentField;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::names::{DeploymentName, NameError, MAX_TAGS, RESERVED_TAG_KEY};
use crate::api::{
    CreateDeploymentRequest, DeploymentAvailability, RangeInUse, Tag, AVAILABILITY_OVERLAPS,
};
use crate::catalog::{CatalogError, Cloud};
use crate::domain::{DomainError, DomainName};
use crate::lang::Lang;
use crate::licence::DeploymentUse;
use crate::network::cidr::{suggest_vpc_cidr, Cidr};
use crate::network::{CidrError, VpcCidr};
use crate::policy::{PolicyError, TagCondition};
use crate::sizing::{self, Sizing, SizingError, SizingRequest};
use crate::tls::{self, CertSummary, Outcome, TlsCheck};

/// A deployment request every rule has accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct DeploymentSpec {
    pub name: DeploymentName,
    pub cloud: Cloud,
    pub region: &'static str,
    pub vpc_cidr: VpcCidr,
    pub sessions: u64,
    pub tps: u64,
    pub sizing: Sizing,
    pub domain: DomainName,
    /// Public data of the checked certificate, when one was given.
    pub certificate: Option<CertSummary>,
    pub tags: Vec<Tag>,
}

impl DeploymentSpec {
    /// What the deployment takes from the licence.
    pub fn licence_use(&self) -> DeploymentUse {
        DeploymentUse {
            sessions: self.sessions,
            tps: self.tps,
            vcpu: self.sizing.node_vcpu(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("at most {MAX_TAGS} tags")]
    TooMany,
    #[error(
        "the tag key \"{RESERVED_TAG_KEY}\" is reserved: the toolkit sets it on every resource"
    )]
    Reserved,
    #[error("the tag key \"{0}\" appears twice")]
    Duplicate(String),
    #[error("tag \"{key}\": {problem}")]
    Invalid { key: String, problem: String },
}

/// One broken rule of a deployment request, with the field it is about.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error(transparent)]
    Name(#[from] NameError),
    #[error("a deployment named \"{0}\" already exists in this project")]
    NameTaken(String),
    #[error(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    Cidr(#[from] CidrError),
    #[error(transparent)]
    Sizing(#[from] SizingError),
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// A certificate check failed; carries that check's sentences.
    #[error("{en}")]
    Certificate {
        check: String,
        en: String,
        zh: String,
    },
    #[error(transparent)]
    Tag(#[from] TagError),
}

impl SpecError {
    /// The request field, as named in [`CreateDeploymentRequest`].
    pub fn field(&self) -> DeploymentField {
        match self {
            SpecError::Name(_) | SpecError::NameTaken(_) => DeploymentField::Name,
            SpecError::Catalog(CatalogError::UnknownCloud(_)) => DeploymentField::Cloud,
            SpecError::Catalog(CatalogError::UnknownRegion { .. }) => DeploymentField::Region,
            SpecError::Cidr(_) => DeploymentField::VpcCidr,
            SpecError::Sizing(e) => e.field(),
            SpecError::Domain(_) => DeploymentField::Domain,
            SpecError::Certificate { .. } => DeploymentField::CertificatePem,
            SpecError::Tag(_) => DeploymentField::Tags,
        }
    }

    pub fn code(&self) -> String {
        match self {
            SpecError::Name(e) => e.code().into(),
            SpecError::NameTaken(_) => "name_taken".into(),
            SpecError::Catalog(e) => e.code().into(),
            SpecError::Cidr(e) => e.code().into(),
            SpecError::Sizing(e) => e.code().into(),
            SpecError::Domain(e) => e.code().into(),
            SpecError::Certificate { check, .. } => format!("certificate_{check}"),
            SpecError::Tag(TagError::TooMany) => "too_many_tags".into(),
            SpecError::Tag(TagError::Reserved) => "tag_reserved".into(),
            SpecError::Tag(TagError::Duplicate(_)) => "tag_duplicate".into(),
            SpecError::Tag(TagError::Invalid { .. }) => "tag_invalid".into(),
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            SpecError::Name(e) => e.message(lang),
            SpecError::NameTaken(n) => format!("此项目中已有名为“{n}”的部署"),
            SpecError::Catalog(CatalogError::UnknownCloud(c)) => {
                format!("未知的云平台“{c}”；可选 aliyun、aws-cn、aws、gcp")
            }
            SpecError::Catalog(CatalogError::UnknownRegion { cloud, region }) => {
                format!("{} 不提供区域“{region}”", cloud.name().zh)
            }
            SpecError::Cidr(e) => e.message(lang),
            SpecError::Sizing(e) => e.message(lang),
            SpecError::Domain(e) => e.message(lang),
            SpecError::Certificate { zh, .. } => zh.clone(),
            SpecError::Tag(TagError::TooMany) => format!("最多 {MAX_TAGS} 个标签"),
            SpecError::Tag(TagError::Reserved) => {
                format!("标签键“{RESERVED_TAG_KEY}”为保留键：工具包会为每个资源设置它")
            }
            SpecError::Tag(TagError::Duplicate(k)) => format!("标签键“{k}”重复"),
            SpecError::Tag(TagError::Invalid { key, problem }) => {
                format!("标签“{key}”无效：{problem}")
            }
        }
    }
}

fn check_tags(tags: &[Tag]) -> Result<Vec<Tag>, TagError> {
    if tags.len() > MAX_TAGS {
        return Err(TagError::TooMany);
    }
    let mut out: Vec<Tag> = Vec::with_capacity(tags.len());
    for tag in tags {
        let key = tag.key.trim();
        if key.eq_ignore_ascii_case(RESERVED_TAG_KEY) {
            return Err(TagError::Reserved);
        }
        if out.iter().any(|t| t.key == key) {
            return Err(TagError::Duplicate(key.to_owned()));
        }
        // The same rule as the policy's tag condition: these tags end up on the same resources.
        let parsed = TagCondition::parse(key, tag.value.trim()).map_err(|e| TagError::Invalid {
            key: key.to_owned(),
            problem: match e {
                PolicyError::InvalidTagKey(p) => format!("key {p}"),
                PolicyError::InvalidTagValue(p) => format!("value {p}"),
                other => other.to_string(),
            },
        })?;
        out.push(Tag {
            key: parsed.key,
            value: parsed.value,
        });
    }
    Ok(out)
}

/// The certificate's public chain, re-checked for `domain` at `now`: its summary, or every check
/// that failed (the key checks do not run; the key stays on the customer's machine). The console
/// runs this in its crypto worker and hands the answer to [`validate_with`].
pub fn check_certificate(
    pem: &str,
    domain: &str,
    now: DateTime<Utc>,
) -> Result<CertSummary, Vec<TlsCheck>> {
    let report = tls::inspect_chain(pem, domain, now);
    let failed: Vec<TlsCheck> = report
        .checks
        .into_iter()
        .filter(|c| c.outcome == Outcome::Fail)
        .collect();
    match report.summary {
        Some(summary) if failed.is_empty() => Ok(summary),
        _ if !failed.is_empty() => Err(failed),
        _ => Err(vec![TlsCheck {
            code: "pem_parse".into(),
            outcome: Outcome::Fail,
            message_en: "no certificate could be read".into(),
            message_zh: "无法读取证书".into(),
        }]),
    }
}

/// Every rule of a deployment request at once, so a form can show every problem together.
/// Name uniqueness needs the project's other names, which only the caller knows: pass them in
/// `taken_names`.
pub fn validate(
    req: &CreateDeploymentRequest,
    taken_names: &[&str],
    now: DateTime<Utc>,
) -> Result<DeploymentSpec, Vec<SpecError>> {
    validate_with(req, taken_names, |pem, domain| {
        check_certificate(pem, domain, now)
    })
}

/// [`validate`] with the certificate's verdict given by `certificate` (called with the PEM and the
/// parsed domain, only when both are there): the console computes [`check_certificate`] off the
/// page's thread and answers from that.
pub fn validate_with(
    req: &CreateDeploymentRequest,
    taken_names: &[&str],
    certificate: impl FnOnce(&str, &str) -> Result<CertSummary, Vec<TlsCheck>>,
) -> Result<DeploymentSpec, Vec<SpecError>> {
    let mut errors = Vec::new();
    let name = DeploymentName::parse(req.name.trim())
        .map_err(SpecError::from)
        .and_then(|n| {
            if taken_names.contains(&n.as_str()) {
                Err(SpecError::NameTaken(n.as_str().to_owned()))
            } else {
                Ok(n)
            }
        });
    let cloud: Result<Cloud, SpecError> = req.cloud.parse().map_err(SpecError::from);
    let region = cloud.as_ref().ok().map(|c| {
        c.region(req.region.trim())
            .map(|r| r.code)
            .map_err(SpecError::from)
    });
    let vpc_cidr = VpcCidr::parse(&req.vpc_cidr).map_err(SpecError::from);
    let sizing = cloud.as_ref().ok().map(|c| {
        sizing::validate(&SizingRequest {
            cloud: *c,
            sessions: req.sessions,
            tps: req.tps,
            nodes: req.nodes.map(|n| u8::try_from(n).unwrap_or(u8::MAX)),
            node_type: req.node_type.clone().filter(|t| !t.trim().is_empty()),
        })
    });
    let domain = DomainName::parse(req.domain.trim()).map_err(SpecError::from);
    let certificate = match (&req.certificate_pem, &domain) {
        (Some(pem), Ok(d)) if !pem.trim().is_empty() => {
            Some(certificate(pem, d.as_str()).map_err(|failed| {
                failed
                    .into_iter()
                    .map(|c| SpecError::Certificate {
                        check: c.code,
                        en: c.message_en,
                        zh: c.message_zh,
                    })
                    .collect::<Vec<_>>()
            }))
        }
        _ => None,
    };
    let tags = check_tags(&req.tags).map_err(SpecError::from);

    let name = name.map_err(|e| errors.push(e)).ok();
    let cloud = cloud.map_err(|e| errors.push(e)).ok();
    let region = region.and_then(|r| r.map_err(|e| errors.push(e)).ok());
    let vpc_cidr = vpc_cidr.map_err(|e| errors.push(e)).ok();
    let sizing = sizing.and_then(|s| {
        s.map_err(|es| errors.extend(es.into_iter().map(SpecError::from)))
            .ok()
    });
    let domain = domain.map_err(|e| errors.push(e)).ok();
    let certificate = match certificate {
        Some(Ok(summary)) => Some(summary),
        Some(Err(es)) => {
            errors.extend(es);
            None
        }
        None => None,
    };
    let tags = tags.map_err(|e| errors.push(e)).ok();
    match (name, cloud, region, vpc_cidr, sizing, domain, tags) {
        (
            Some(name),
            Some(cloud),
            Some(region),
            Some(vpc_cidr),
            Some(sizing),
            Some(domain),
            Some(tags),
        ) if errors.is_empty() => Ok(DeploymentSpec {
            name,
            cloud,
            region,
            vpc_cidr,
            sessions: req.sessions,
            tps: req.tps,
            sizing,
            domain,
            certificate,
            tags,
        }),
        _ => Err(errors),
    }
}

/// The spec's shape the toolkit receives at registration (`/agent/v1/register`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ToolkitSpec {
    pub name: String,
    pub cloud: Cloud,
    pub region: String,
    pub vpc_cidr: String,
    pub node_type: String,
    pub nodes: u8,
    pub agent_type: String,
    pub domain: String,
    pub tags: Vec<Tag>,
}

/// What the create wizard needs to know of the project's deployments `in_use` (deleted ones
/// aside) for the `name` and `vpc_cidr` being typed: the same name rule as [`validate`]'s
/// `taken_names`, the ranges it would overlap (by name, at most
/// [`AVAILABILITY_OVERLAPS`]) and the first suggested range that overlaps none. The server
/// answers this, so the browser never downloads every deployment.
pub fn availability(name: &str, vpc_cidr: &str, in_use: &[RangeInUse]) -> DeploymentAvailability {
    let name = DeploymentName::parse(name.trim())
        .map(|n| n.as_str().to_owned())
        .unwrap_or_default();
    let name_taken = !name.is_empty() && in_use.iter().any(|d| d.name == name);
    let ranges: Vec<(&RangeInUse, Cidr)> = in_use
        .iter()
        .filter_map(|d| Cidr::parse(&d.vpc_cidr).ok().map(|c| (d, c)))
        .collect();
    // Any range that parses is compared (one the VPC rules refuse is `validate`'s to explain).
    let mine = Cidr::parse(vpc_cidr.trim()).ok();
    let mut overlapping: Vec<RangeInUse> = match &mine {
        Some(mine) => ranges
            .iter()
            .filter(|(_, c)| mine.overlaps(c))
            .map(|(d, _)| (*d).clone())
            .collect(),
        None => Vec::new(),
    };
    overlapping.sort_by(|a, b| a.name.cmp(&b.name));
    let overlapping_total = u64::try_from(overlapping.len()).unwrap_or(u64::MAX);
    overlapping.truncate(AVAILABILITY_OVERLAPS);
    let taken: Vec<Cidr> = ranges.iter().map(|(_, c)| *c).collect();
    DeploymentAvailability {
        name,
        name_taken,
        vpc_cidr: mine.map(|_| vpc_cidr.trim().to_owned()).unwrap_or_default(),
        overlapping,
        overlapping_total,
        suggested_vpc_cidr: suggest_vpc_cidr(&taken).map(|c| c.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::FormField;

    fn now() -> DateTime<Utc> {
        "2026-06-01T00:00:00Z".parse().unwrap()
    }

    pub(crate) fn request() -> CreateDeploymentRequest {
        CreateDeploymentRequest {
            name: "mqtt-prod".into(),
            cloud: "aws".into(),
            region: "us-east-1".into(),
            vpc_cidr: "10.0.0.0/16".into(),
            sessions: 4_000,
            tps: 1_000,
            nodes: None,
            node_type: None,
            domain: "mqtt.example.com".into(),
            certificate_pem: None,
            tags: vec![Tag {
                key: "team".into(),
                value: "iot".into(),
            }],
        }
    }

    fn codes(req: &CreateDeploymentRequest, taken: &[&str]) -> Vec<(String, String)> {
        validate(req, taken, now())
            .unwrap_err()
            .iter()
            .map(|e| (e.field().name().to_owned(), e.code()))
            .collect()
    }

    #[test]
    fn a_valid_request_becomes_a_spec_with_its_sizing() {
        let spec = validate(&request(), &["other"], now()).unwrap();
        assert_eq!(spec.name.as_str(), "mqtt-prod");
        assert_eq!(spec.sizing.tier, 1);
        assert_eq!(spec.sizing.nodes, 2);
        assert_eq!(spec.sizing.node_type.name, "c6i.large");
        assert_eq!(spec.licence_use().vcpu, 4);
        assert_eq!(spec.licence_use().sessions, 4_000);
    }

    #[test]
    fn every_broken_rule_is_reported_with_its_field() {
        let req = CreateDeploymentRequest {
            name: "Bad_Name".into(),
            vpc_cidr: "8.8.8.0/24".into(),
            sessions: 0,
            domain: "localhost".into(),
            ..request()
        };
        let got = codes(&req, &[]);
        let fields: Vec<&str> = got.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            ["name", "vpc_cidr", "sessions", "domain"],
            "{got:?}"
        );
    }

    #[test]
    fn unknown_cloud_and_region_name_their_fields() {
        let req = CreateDeploymentRequest {
            cloud: "azure".into(),
            ..request()
        };
        assert_eq!(codes(&req, &[]), [("cloud".into(), "unknown_cloud".into())]);
        let req = CreateDeploymentRequest {
            region: "cn-hangzhou".into(),
            ..request()
        };
        assert_eq!(
            codes(&req, &[]),
            [("region".into(), "unknown_region".into())]
        );
        let err = &validate(&req, &[], now()).unwrap_err()[0];
        assert!(err.message(Lang::ZhCn).contains("cn-hangzhou"));
    }

    #[test]
    fn names_are_unique_in_the_project() {
        assert_eq!(
            codes(&request(), &["mqtt-prod"]),
            [("name".into(), "name_taken".into())]
        );
    }

    #[test]
    fn node_overrides_follow_the_sizing_rules() {
        let req = CreateDeploymentRequest {
            nodes: Some(1),
            ..request()
        };
        assert_eq!(
            codes(&req, &[]),
            [("nodes".into(), "nodes_out_of_range".into())]
        );
        let req = CreateDeploymentRequest {
            nodes: Some(300),
            ..request()
        };
        assert_eq!(
            codes(&req, &[]),
            [("nodes".into(), "nodes_out_of_range".into())]
        );
        let req = CreateDeploymentRequest {
            nodes: Some(4),
            node_type: Some("c6i.2xlarge".into()),
            ..request()
        };
        let spec = validate(&req, &[], now()).unwrap();
        assert_eq!(spec.licence_use().vcpu, 32);
        let req = CreateDeploymentRequest {
            sessions: 2_000_000,
            ..request()
        };
        assert_eq!(
            codes(&req, &[]),
            [("sessions".into(), "contact_sales".into())]
        );
    }

    #[test]
    fn tags_are_limited_unique_and_never_the_reserved_key() {
        let tag = |k: &str| Tag {
            key: k.into(),
            value: "v".into(),
        };
        let ten: Vec<Tag> = (0..10).map(|i| tag(&format!("k{i}"))).collect();
        assert!(validate(
            &CreateDeploymentRequest {
                tags: ten.clone(),
                ..request()
            },
            &[],
            now()
        )
        .is_ok());
        let mut eleven = ten;
        eleven.push(tag("k10"));
        let cases = [
            (eleven, "too_many_tags"),
            (vec![tag("used-by")], "tag_reserved"),
            (vec![tag("Used-By")], "tag_reserved"),
            (vec![tag("a"), tag("a")], "tag_duplicate"),
            (vec![tag("")], "tag_invalid"),
            (vec![tag("a\"b")], "tag_invalid"),
        ];
        for (tags, code) in cases {
            let req = CreateDeploymentRequest { tags, ..request() };
            assert_eq!(codes(&req, &[]), [("tags".into(), code.into())]);
        }
    }

    #[test]
    fn a_broken_certificate_is_refused_with_the_check_that_failed() {
        let req = CreateDeploymentRequest {
            certificate_pem: Some(
                "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n".into(),
            ),
            ..request()
        };
        let got = codes(&req, &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "certificate_pem");
        assert!(got[0].1.starts_with("certificate_"), "{got:?}");
    }

    fn in_use(list: &[(&str, &str)]) -> Vec<RangeInUse> {
        list.iter()
            .map(|(n, c)| RangeInUse {
                name: (*n).to_owned(),
                vpc_cidr: (*c).to_owned(),
            })
            .collect()
    }

    #[test]
    fn availability_names_the_name_taken_and_the_ranges_overlapped() {
        let used = in_use(&[
            ("alpha", "10.0.0.0/16"),
            ("bravo", "10.0.128.0/17"),
            ("charlie", "172.16.0.0/16"),
        ]);
        let a = availability("  alpha ", "10.0.0.0/8", &used);
        assert_eq!(a.name, "alpha");
        assert!(a.name_taken);
        assert_eq!(a.vpc_cidr, "10.0.0.0/8");
        let names: Vec<&str> = a.overlapping.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["alpha", "bravo"]);
        assert_eq!(a.overlapping_total, 2);
        // 10.0.0.0/16 is used: the next suggestion is free.
        assert_eq!(a.suggested_vpc_cidr.as_deref(), Some("10.10.0.0/16"));

        let b = availability("delta", "192.168.0.0/16", &used);
        assert!(!b.name_taken && b.overlapping.is_empty());
        // The same rule as `validate`: the name as DeploymentName spells it; an invalid one or an
        // invalid range asks nothing.
        let c = availability("Not A Name!", "10.0.0.0/33", &used);
        assert_eq!((c.name.as_str(), c.name_taken), ("", false));
        assert_eq!((c.vpc_cidr.as_str(), c.overlapping_total), ("", 0));
    }

    #[test]
    fn availability_names_at_most_ten_overlaps_and_counts_them_all() {
        let used: Vec<RangeInUse> = (0..25)
            .map(|i| RangeInUse {
                name: format!("d{i:02}"),
                vpc_cidr: format!("10.{i}.0.0/16"),
            })
            .collect();
        let a = availability("", "10.0.0.0/8", &used);
        assert_eq!(a.overlapping.len(), AVAILABILITY_OVERLAPS);
        assert_eq!(a.overlapping_total, 25);
        assert_eq!(a.overlapping[0].name, "d00");
        assert_eq!(a.suggested_vpc_cidr.as_deref(), Some("172.16.0.0/16"));
    }
}
