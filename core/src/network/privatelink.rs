//! PrivateLink (SPEC §6, the seed `emqx-privatelink-aliyun.zh.md`, reference/domain.md §3): the
//! deployment's VPC is the service consumer, the customer's endpoint service the provider. The
//! console shows the [`Principal`] the customer adds to the endpoint service's whitelist and the
//! zone their load balancer must share; the customer enters the [`EndpointServiceId`], whose
//! region must be the deployment's; once they allow the connection the link runs with an
//! [`Endpoint`] in the deployment's VPC.

use crate::api::{FormField, PrivateLinkField};
use std::fmt;
use std::net::Ipv4Addr;

use serde::{Deserialize, Serialize};

use super::cidr::Cidr;
use super::ids::{
    aliyun_resource_id, aws_service_suffix, gcp_resource_name, AliyunAccountUid, AwsAccountId,
    GcpProjectId, IdError, IdKind,
};
use super::{check_description, NetworkError};
use crate::api::{CreatePrivateLinkRequest, PrivateLink};
use crate::catalog::Cloud;
use crate::domain::DomainName;
use crate::lang::Name;

/// What kind of identity the customer whitelists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum PrincipalKind {
    /// Alibaba Cloud: the account UID, added to the endpoint service's whitelist (白名单).
    AccountUid,
    /// AWS: the account's root principal ARN, added to the endpoint service's Allow principals.
    Arn,
    /// Google Cloud: the project ID, added to the service attachment's consumer accept list.
    ProjectId,
}

impl PrincipalKind {
    pub fn name(self) -> Name {
        match self {
            PrincipalKind::AccountUid => Name {
                en: "Account UID",
                zh: "账号 UID",
            },
            PrincipalKind::Arn => Name {
                en: "Principal ARN",
                zh: "主体 ARN",
            },
            PrincipalKind::ProjectId => Name {
                en: "Project ID",
                zh: "项目 ID",
            },
        }
    }
}

/// The identity of the account hosting the deployment, as the customer's endpoint service must
/// allow it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Principal {
    pub kind: PrincipalKind,
    pub value: String,
}

impl Principal {
    /// From the account the deployment runs in (its `cloud_account_id` output): aliyun the UID,
    /// aws `arn:aws:iam::<account>:root`, aws-cn `arn:aws-cn:iam::<account>:root` (the China
    /// partition), gcp the project ID. An account not in its cloud's format is an error.
    pub fn for_deployment(cloud: Cloud, account: &str) -> Result<Principal, IdError> {
        Ok(match cloud {
            Cloud::Aliyun => Principal {
                kind: PrincipalKind::AccountUid,
                value: AliyunAccountUid::parse(account)?.to_string(),
            },
            Cloud::Aws | Cloud::AwsCn => {
                let partition = if cloud == Cloud::AwsCn {
                    "aws-cn"
                } else {
                    "aws"
                };
                Principal {
                    kind: PrincipalKind::Arn,
                    value: format!(
                        "arn:{partition}:iam::{}:root",
                        AwsAccountId::parse(account)?
                    ),
                }
            }
            Cloud::Gcp => Principal {
                kind: PrincipalKind::ProjectId,
                value: GcpProjectId::parse(account)?.to_string(),
            },
        })
    }
}

/// An endpoint service identifier in its cloud's format, in the deployment's region:
/// - aliyun: the instance ID `epsrv-…`, or the service name
///   `com.aliyuncs.privatelink.<region>.epsrv-…`;
/// - aws: `com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`; aws-cn also
///   `cn.com.amazonaws.vpce.<region>.vpce-svc-<17 hex>`;
/// - gcp: `projects/<project>/regions/<region>/serviceAttachments/<name>` (a full
///   `https://…/compute/v1/` URL is accepted too).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct EndpointServiceId {
    text: String,
    key: String,
}

const ALIYUN_SERVICE_PREFIX: &str = "com.aliyuncs.privatelink.";
const AWS_SERVICE_PREFIX: &str = "com.amazonaws.vpce.";
const AWS_CN_SERVICE_PREFIX: &str = "cn.com.amazonaws.vpce.";
const GCP_URL_PREFIXES: [&str; 2] = [
    "https://www.googleapis.com/compute/v1/",
    "https://compute.googleapis.com/compute/v1/",
];

fn same_region(what: IdKind, given: &str, region: &str) -> Result<(), IdError> {
    if given == region {
        Ok(())
    } else {
        Err(IdError::Region {
            what,
            given: given.to_owned(),
            expected: region.to_owned(),
        })
    }
}

impl EndpointServiceId {
    /// What an endpoint service identifier is on `cloud` (the form field's kind).
    pub fn kind(cloud: Cloud) -> IdKind {
        match cloud {
            Cloud::Aliyun => IdKind::AliyunEndpointService,
            Cloud::Aws | Cloud::AwsCn => IdKind::AwsEndpointService,
            Cloud::Gcp => IdKind::GcpServiceAttachment,
        }
    }

    /// A well-formed identifier on `cloud` in `region`, to show as an example: the static
    /// examples of [`IdKind`] name one region, which would contradict the region rule.
    pub fn example(cloud: Cloud, region: &str) -> String {
        match cloud {
            Cloud::Aliyun => IdKind::AliyunEndpointService.example().to_owned(),
            Cloud::Aws => format!("{AWS_SERVICE_PREFIX}{region}.vpce-svc-0654fb016640c364a"),
            Cloud::AwsCn => format!("{AWS_CN_SERVICE_PREFIX}{region}.vpce-svc-0654fb016640c364a"),
            Cloud::Gcp => {
                format!("projects/my-project/regions/{region}/serviceAttachments/my-service")
            }
        }
    }

    pub fn parse(cloud: Cloud, region: &str, s: &str) -> Result<EndpointServiceId, IdError> {
        match cloud {
            Cloud::Aliyun => parse_aliyun(region, s),
            Cloud::Aws | Cloud::AwsCn => parse_aws(cloud, region, s),
            Cloud::Gcp => parse_gcp(region, s),
        }
    }

    /// As the user entered it (trimmed, URL prefix removed).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// What makes two links the same service, whichever form was entered: aliyun the
    /// `epsrv-…` ID, aws the `vpce-svc-…` ID, gcp the attachment path.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for EndpointServiceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn parse_aliyun(region: &str, s: &str) -> Result<EndpointServiceId, IdError> {
    let what = IdKind::AliyunEndpointService;
    let text = s.trim();
    let id = match text.strip_prefix(ALIYUN_SERVICE_PREFIX) {
        Some(rest) => {
            let (given, id) = rest.split_once('.').ok_or(IdError::Shape { what })?;
            let id = aliyun_resource_id(id, what, "epsrv-")?;
            same_region(what, given, region)?;
            id
        }
        None => aliyun_resource_id(text, what, "epsrv-")?,
    };
    Ok(EndpointServiceId {
        text: text.to_owned(),
        key: id,
    })
}

fn parse_aws(cloud: Cloud, region: &str, s: &str) -> Result<EndpointServiceId, IdError> {
    let what = IdKind::AwsEndpointService;
    let text = s.trim();
    if text.is_empty() {
        return Err(IdError::Empty { what });
    }
    // The China partition's console shows the `cn.` form; the API also takes the other.
    let prefixes: &[&str] = if cloud == Cloud::AwsCn {
        &[AWS_CN_SERVICE_PREFIX, AWS_SERVICE_PREFIX]
    } else {
        &[AWS_SERVICE_PREFIX]
    };
    let rest = prefixes
        .iter()
        .find_map(|p| text.strip_prefix(p))
        .ok_or(IdError::Prefix {
            what,
            expected: prefixes[0],
        })?;
    let (given, service) = rest.split_once('.').ok_or(IdError::Shape { what })?;
    let key = aws_service_suffix(service)?;
    same_region(what, given, region)?;
    Ok(EndpointServiceId {
        text: text.to_owned(),
        key,
    })
}

fn parse_gcp(region: &str, s: &str) -> Result<EndpointServiceId, IdError> {
    let what = IdKind::GcpServiceAttachment;
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(IdError::Empty { what });
    }
    let text = GCP_URL_PREFIXES
        .iter()
        .find_map(|p| trimmed.strip_prefix(p))
        .unwrap_or(trimmed);
    if !text.starts_with("projects/") {
        return Err(IdError::Prefix {
            what,
            expected: "projects/",
        });
    }
    let parts: Vec<&str> = text.split('/').collect();
    let ["projects", project, "regions", given, "serviceAttachments", name] = parts.as_slice()
    else {
        return Err(IdError::Shape { what });
    };
    GcpProjectId::parse(project)?;
    gcp_resource_name(name)?;
    same_region(what, given, region)?;
    Ok(EndpointServiceId {
        text: text.to_owned(),
        key: text.to_owned(),
    })
}

/// Where a running link is reached from the deployment: the endpoint's domain name, its IP
/// address in the deployment's VPC, or both (Google Cloud endpoints have only an address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    pub domain: Option<DomainName>,
    pub ip: Option<Ipv4Addr>,
}

impl Endpoint {
    pub fn parse(
        domain: Option<&str>,
        ip: Option<&str>,
        vpc: Cidr,
    ) -> Result<Endpoint, NetworkError> {
        let domain = domain.map(str::trim).filter(|d| !d.is_empty());
        let ip = ip.map(str::trim).filter(|i| !i.is_empty());
        if domain.is_none() && ip.is_none() {
            return Err(NetworkError::EndpointMissing);
        }
        let domain = domain
            .map(DomainName::parse)
            .transpose()
            .map_err(NetworkError::EndpointDomain)?;
        let ip = ip
            .map(|i| {
                i.parse::<Ipv4Addr>()
                    .map_err(|_| NetworkError::EndpointIp(i.to_owned()))
            })
            .transpose()?;
        if let Some(ip) = ip.filter(|ip| !vpc.contains(*ip)) {
            return Err(NetworkError::EndpointOutsideVpc { ip, vpc });
        }
        Ok(Endpoint { domain, ip })
    }
}

/// A PrivateLink request every rule has accepted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PrivateLinkSpec {
    pub service: EndpointServiceId,
    pub description: Option<String>,
}

/// Every rule of a PrivateLink request for a deployment on `cloud` in `region`.
pub fn validate_privatelink(
    cloud: Cloud,
    region: &str,
    req: &CreatePrivateLinkRequest,
) -> Result<PrivateLinkSpec, Vec<NetworkError>> {
    let service = EndpointServiceId::parse(cloud, region, &req.service_id).map_err(|error| {
        NetworkError::Id {
            field: PrivateLinkField::ServiceId.name(),
            error,
        }
    });
    let description = check_description(req.description.as_deref());
    match (service, description) {
        (Ok(service), Ok(description)) => Ok(PrivateLinkSpec {
            service,
            description,
        }),
        (s, d) => Err(s.err().into_iter().chain(d.err()).collect()),
    }
}

/// The link among `existing` (a deployment's links on `cloud` in `region`) to the same endpoint
/// service as `service`, whichever form each was entered in: a deployment has one link per
/// service, so the console says so before the server refuses it.
pub fn same_service<'a>(
    cloud: Cloud,
    region: &str,
    service: &EndpointServiceId,
    existing: &'a [PrivateLink],
) -> Option<&'a PrivateLink> {
    existing.iter().find(|l| {
        EndpointServiceId::parse(cloud, region, &l.service_id)
            .is_ok_and(|other| other.key() == service.key())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::Lang;

    fn code(r: Result<EndpointServiceId, IdError>) -> &'static str {
        r.unwrap_err().code()
    }

    const SVC: &str = "vpce-svc-0654fb016640c364a";

    #[test]
    fn principals_per_cloud() {
        let p = Principal::for_deployment(Cloud::Aliyun, "1234567890123456").unwrap();
        assert_eq!(
            (p.kind, p.value.as_str()),
            (PrincipalKind::AccountUid, "1234567890123456")
        );
        let p = Principal::for_deployment(Cloud::Aws, "123456789012").unwrap();
        assert_eq!(
            (p.kind, p.value.as_str()),
            (PrincipalKind::Arn, "arn:aws:iam::123456789012:root")
        );
        let p = Principal::for_deployment(Cloud::AwsCn, "123456789012").unwrap();
        assert_eq!(p.value, "arn:aws-cn:iam::123456789012:root");
        let p = Principal::for_deployment(Cloud::Gcp, "byoc-host-1").unwrap();
        assert_eq!(
            (p.kind, p.value.as_str()),
            (PrincipalKind::ProjectId, "byoc-host-1")
        );
        assert!(Principal::for_deployment(Cloud::Aliyun, "123456789012").is_err());
        assert!(Principal::for_deployment(Cloud::Aws, "1234567890123456").is_err());
        assert_eq!(PrincipalKind::Arn.name().zh, "主体 ARN");
        assert_eq!(
            serde_json::to_value(PrincipalKind::AccountUid).unwrap(),
            "account_uid"
        );
    }

    #[test]
    fn aliyun_service_ids_are_epsrv_or_the_service_name_in_the_region() {
        let id =
            EndpointServiceId::parse(Cloud::Aliyun, "cn-hangzhou", " epsrv-hp3vpx8yqxblby3iabcd ")
                .unwrap();
        assert_eq!(
            (id.as_str(), id.key()),
            ("epsrv-hp3vpx8yqxblby3iabcd", "epsrv-hp3vpx8yqxblby3iabcd")
        );
        let full = EndpointServiceId::parse(
            Cloud::Aliyun,
            "cn-hangzhou",
            "com.aliyuncs.privatelink.cn-hangzhou.epsrv-hp3vpx8yqxblby3iabcd",
        )
        .unwrap();
        assert_eq!(full.key(), id.key(), "both forms name the same service");
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aliyun,
                "cn-hangzhou",
                "ep-hp3vpx8yqxblby3iabcd"
            )),
            "id_prefix"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aliyun,
                "cn-hangzhou",
                "epsrv-hp3v"
            )),
            "id_length"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aliyun,
                "cn-hangzhou",
                "epsrv-HP3VPX8YQXBLBY3I"
            )),
            "id_characters"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aliyun,
                "cn-hangzhou",
                "com.aliyuncs.privatelink.cn-shenzhen.epsrv-hp3vpx8yqxblby3iabcd"
            )),
            "id_region"
        );
        assert_eq!(
            code(EndpointServiceId::parse(Cloud::Aliyun, "cn-hangzhou", "")),
            "id_missing"
        );
    }

    #[test]
    fn aws_service_names_carry_the_region_and_17_hex() {
        let name = format!("com.amazonaws.vpce.us-east-1.{SVC}");
        let id = EndpointServiceId::parse(Cloud::Aws, "us-east-1", &name).unwrap();
        assert_eq!((id.as_str(), id.key()), (name.as_str(), SVC));
        assert_eq!(
            code(EndpointServiceId::parse(Cloud::Aws, "us-east-1", SVC)),
            "id_prefix"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aws,
                "us-east-1",
                &format!("cn.com.amazonaws.vpce.us-east-1.{SVC}")
            )),
            "id_prefix",
            "the China form is not an AWS one"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aws,
                "us-east-1",
                "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364"
            )),
            "id_length"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aws,
                "us-east-1",
                "com.amazonaws.vpce.us-east-1.vpce-0654fb016640c364a"
            )),
            "id_prefix"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Aws,
                "us-east-1",
                "com.amazonaws.vpce.us-east-1"
            )),
            "id_shape"
        );
        let err = EndpointServiceId::parse(
            Cloud::Aws,
            "us-east-1",
            &format!("com.amazonaws.vpce.eu-central-1.{SVC}"),
        )
        .unwrap_err();
        assert_eq!(err.code(), "id_region");
        assert_eq!(
            err.to_string(),
            "the endpoint service name is in region eu-central-1, but the deployment is in us-east-1: the provider only connects within one region"
        );
        assert!(err.message(Lang::ZhCn).contains("eu-central-1"));
    }

    #[test]
    fn aws_china_takes_both_forms_of_the_service_name() {
        for name in [
            format!("cn.com.amazonaws.vpce.cn-north-1.{SVC}"),
            format!("com.amazonaws.vpce.cn-north-1.{SVC}"),
        ] {
            let id = EndpointServiceId::parse(Cloud::AwsCn, "cn-north-1", &name).unwrap();
            assert_eq!(id.key(), SVC);
        }
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::AwsCn,
                "cn-north-1",
                &format!("cn.com.amazonaws.vpce.cn-northwest-1.{SVC}")
            )),
            "id_region"
        );
        let err = EndpointServiceId::parse(Cloud::AwsCn, "cn-north-1", "vpce-svc-x").unwrap_err();
        assert!(matches!(
            err,
            IdError::Prefix {
                expected: "cn.com.amazonaws.vpce.",
                ..
            }
        ));
    }

    #[test]
    fn gcp_service_attachments_are_paths_in_the_region() {
        let path = "projects/shop-prod/regions/us-east1/serviceAttachments/redis-psc";
        let id = EndpointServiceId::parse(Cloud::Gcp, "us-east1", path).unwrap();
        assert_eq!(id.key(), path);
        let url = format!("https://www.googleapis.com/compute/v1/{path}");
        assert_eq!(
            EndpointServiceId::parse(Cloud::Gcp, "us-east1", &url).unwrap(),
            id
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Gcp,
                "us-east1",
                "regions/us-east1/serviceAttachments/x"
            )),
            "id_prefix"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Gcp,
                "us-east1",
                "projects/shop-prod/regions/us-east1/forwardingRules/x"
            )),
            "id_shape"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Gcp,
                "us-east1",
                "projects/shop/regions/us-east1/serviceAttachments/x"
            )),
            "id_length"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Gcp,
                "us-east1",
                &format!(
                    "projects/shop-prod/regions/us-east1/serviceAttachments/{}",
                    "a".repeat(64)
                )
            )),
            "id_length"
        );
        assert_eq!(
            code(EndpointServiceId::parse(
                Cloud::Gcp,
                "us-east1",
                "projects/shop-prod/regions/us-west1/serviceAttachments/redis"
            )),
            "id_region"
        );
    }

    #[test]
    fn endpoints_have_a_domain_or_an_address_inside_the_vpc() {
        let vpc = Cidr::parse("10.0.0.0/16").unwrap();
        let e = Endpoint::parse(
            Some("ep-1.epsrv-x.cn-hangzhou.privatelink.aliyuncs.com"),
            None,
            vpc,
        )
        .unwrap();
        assert!(e.domain.is_some() && e.ip.is_none());
        let e = Endpoint::parse(None, Some("10.0.3.4"), vpc).unwrap();
        assert_eq!(e.ip, Some(Ipv4Addr::new(10, 0, 3, 4)));
        assert_eq!(
            Endpoint::parse(Some(" "), None, vpc).unwrap_err().code(),
            "endpoint_missing"
        );
        assert_eq!(
            Endpoint::parse(None, Some("10.0.3"), vpc)
                .unwrap_err()
                .code(),
            "endpoint_ip_invalid"
        );
        let err = Endpoint::parse(None, Some("10.1.0.1"), vpc).unwrap_err();
        assert_eq!(
            (err.code(), err.field()),
            ("endpoint_outside_vpc", "endpoint_ip")
        );
        assert_eq!(
            Endpoint::parse(Some("bad_name"), None, vpc)
                .unwrap_err()
                .code(),
            "endpoint_domain_invalid"
        );
    }

    #[test]
    fn a_privatelink_request_reports_every_field_at_once() {
        let req = CreatePrivateLinkRequest {
            service_id: "epsrv-x".into(),
            description: Some("\u{7}".into()),
        };
        let errors = validate_privatelink(Cloud::Aliyun, "cn-hangzhou", &req).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field(), e.code())).collect();
        assert_eq!(
            fields,
            [
                ("service_id", "id_length"),
                ("description", "description_invalid")
            ]
        );
        let ok = CreatePrivateLinkRequest {
            service_id: "epsrv-hp3vpx8yqxblby3iabcd".into(),
            description: Some("redis".into()),
        };
        let spec = validate_privatelink(Cloud::Aliyun, "cn-hangzhou", &ok).unwrap();
        assert_eq!(spec.description.as_deref(), Some("redis"));
    }

    #[test]
    fn one_link_per_service_whichever_form_was_entered() {
        let link = |service: &str| PrivateLink {
            id: "l1".into(),
            deployment_id: "d".into(),
            cloud: Cloud::Aliyun,
            service_id: service.into(),
            description: None,
            status: crate::lifecycle::privatelink::PrivateLinkStatus::Running,
            reason: None,
            endpoint_domain: None,
            endpoint_ip: None,
            principal: None,
            zone: None,
            allowed_actions: vec![],
            version: 1,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        };
        let existing = [link("epsrv-hp3vpx8yqxblby3iabcd")];
        let full = EndpointServiceId::parse(
            Cloud::Aliyun,
            "cn-shenzhen",
            "com.aliyuncs.privatelink.cn-shenzhen.epsrv-hp3vpx8yqxblby3iabcd",
        )
        .unwrap();
        assert_eq!(
            same_service(Cloud::Aliyun, "cn-shenzhen", &full, &existing).map(|l| l.id.as_str()),
            Some("l1")
        );
        let other =
            EndpointServiceId::parse(Cloud::Aliyun, "cn-shenzhen", "epsrv-hp3vpx8yqxblby3iffff")
                .unwrap();
        assert!(same_service(Cloud::Aliyun, "cn-shenzhen", &other, &existing).is_none());
    }

    #[test]
    fn the_examples_are_valid_in_the_region_they_are_shown_for() {
        for (cloud, region) in [
            (Cloud::Aliyun, "cn-shenzhen"),
            (Cloud::Aws, "eu-central-1"),
            (Cloud::AwsCn, "cn-northwest-1"),
            (Cloud::Gcp, "europe-west1"),
        ] {
            let example = EndpointServiceId::example(cloud, region);
            let parsed = EndpointServiceId::parse(cloud, region, &example);
            assert!(parsed.is_ok(), "{cloud:?} {example}: {parsed:?}");
            assert_eq!(
                EndpointServiceId::parse(cloud, region, "x")
                    .unwrap_err()
                    .kind(),
                EndpointServiceId::kind(cloud)
            );
        }
    }
}
