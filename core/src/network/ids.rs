//! The cloud identifiers a user pastes into the network forms, one parser per format, so a typo
//! is caught as they type (console) and again on the server, with the same words.
//!
//! Formats and where they come from:
//! - AWS / AWS China resource IDs (`pcx-`, `vpc-`): the prefix and 8 hexadecimal digits (IDs
//!   made before 2018) or 17 (the long format since); account IDs are 12 digits.
//!   [docs.aws.amazon.com: "Resource IDs"; reference/domain.md §4.1]
//! - Google Cloud project IDs: 6 to 30 characters, lowercase letters, digits and hyphens,
//!   starting with a letter and not ending with a hyphen; network names are RFC 1035 labels of at
//!   most 63 characters. [cloud.google.com/resource-manager/docs/creating-managing-projects,
//!   cloud.google.com/compute/docs/naming-resources]
//! - Alibaba Cloud: account UIDs are 16 digits; resource IDs are a prefix (`cen-`, `vpc-`,
//!   `epsrv-`) and lowercase letters and digits. The SDK examples show 18 to 21 characters after
//!   the prefix (`cen-7qthudw0ll6jmc****`, `vpc-bp15zckdt37pq72zv****`,
//!   `epsrv-hp3vpx8yqxblby3i****`, reference/domain.md §3.1, §4.1); the documented length is not
//!   published, so 12 to 32 are accepted: refusing a real ID would be worse than letting a rare
//!   typo through to the provider.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::lang::{Lang, Name};

/// Which identifier a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum IdKind {
    AwsPeeringId,
    AwsAccountId,
    AwsVpcId,
    GcpProjectId,
    GcpNetwork,
    CenInstanceId,
    AliyunAccountUid,
    AliyunVpcId,
    /// Alibaba Cloud endpoint service ID (`epsrv-…`) or its service name.
    AliyunEndpointService,
    /// AWS endpoint service name (`com.amazonaws.vpce.<region>.vpce-svc-…`).
    AwsEndpointService,
    /// Google Cloud service attachment (`projects/<p>/regions/<r>/serviceAttachments/<name>`).
    GcpServiceAttachment,
}

impl IdKind {
    pub fn name(self) -> Name {
        let (en, zh) = match self {
            IdKind::AwsPeeringId => ("the peering connection ID", "对等连接 ID"),
            IdKind::AwsAccountId => ("the AWS account ID", "AWS 账户 ID"),
            IdKind::AwsVpcId | IdKind::AliyunVpcId => ("the VPC ID", "VPC ID"),
            IdKind::GcpProjectId => ("the project ID", "项目 ID"),
            IdKind::GcpNetwork => ("the VPC network name", "VPC 网络名称"),
            IdKind::CenInstanceId => ("the CEN instance ID", "云企业网实例 ID"),
            IdKind::AliyunAccountUid => ("the account UID", "账号 UID"),
            IdKind::AliyunEndpointService => ("the endpoint service ID", "终端节点服务实例 ID"),
            IdKind::AwsEndpointService => ("the endpoint service name", "终端节点服务名称"),
            IdKind::GcpServiceAttachment => ("the service attachment", "服务连接"),
        };
        Name { en, zh }
    }

    /// A well-formed example, shown with every format error.
    pub fn example(self) -> &'static str {
        match self {
            IdKind::AwsPeeringId => "pcx-0a1b2c3d4e5f67890",
            IdKind::AwsAccountId => "123456789012",
            IdKind::AwsVpcId => "vpc-0a1b2c3d4e5f67890",
            IdKind::GcpProjectId => "my-project-123",
            IdKind::GcpNetwork => "my-network",
            IdKind::CenInstanceId => "cen-7qthudw0ll6jmcabcd",
            IdKind::AliyunAccountUid => "1234567890123456",
            IdKind::AliyunVpcId => "vpc-bp15zckdt37pq72zvabcd",
            IdKind::AliyunEndpointService => "epsrv-hp3vpx8yqxblby3iabcd",
            IdKind::AwsEndpointService => "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a",
            IdKind::GcpServiceAttachment => {
                "projects/my-project/regions/us-east1/serviceAttachments/my-service"
            }
        }
    }
}

/// Why an identifier is not in its cloud's format.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("enter {}", .what.name().en)]
    Empty { what: IdKind },
    #[error("{} starts with \"{expected}\", e.g. {}", .what.name().en, .what.example())]
    Prefix {
        what: IdKind,
        expected: &'static str,
    },
    #[error("{}", length_en(*.what, .prefix, .expected, *.got))]
    Length {
        what: IdKind,
        prefix: &'static str,
        expected: &'static str,
        got: usize,
    },
    #[error("{} may hold only {allowed}; \"{given}\" is not allowed", .what.name().en)]
    Characters {
        what: IdKind,
        allowed: &'static str,
        given: char,
    },
    #[error("{} does not have the expected form, e.g. {}", .what.name().en, .what.example())]
    Shape { what: IdKind },
    #[error(
        "{} is in region {given}, but the deployment is in {expected}: the provider only connects within one region",
        .what.name().en
    )]
    Region {
        what: IdKind,
        given: String,
        expected: String,
    },
}

impl IdError {
    pub fn kind(&self) -> IdKind {
        match self {
            IdError::Empty { what }
            | IdError::Prefix { what, .. }
            | IdError::Length { what, .. }
            | IdError::Characters { what, .. }
            | IdError::Shape { what }
            | IdError::Region { what, .. } => *what,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            IdError::Empty { .. } => "id_missing",
            IdError::Prefix { .. } => "id_prefix",
            IdError::Length { .. } => "id_length",
            IdError::Characters { .. } => "id_characters",
            IdError::Shape { .. } => "id_shape",
            IdError::Region { .. } => "id_region",
        }
    }

    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        let what = self.kind().name().zh;
        let example = self.kind().example();
        match self {
            IdError::Empty { .. } => format!("请填写{what}"),
            IdError::Prefix { expected, .. } => {
                format!("{what}以“{expected}”开头，例如 {example}")
            }
            IdError::Length {
                prefix,
                expected,
                got,
                ..
            } => {
                let after = if prefix.is_empty() {
                    String::new()
                } else {
                    format!("在“{prefix}”之后")
                };
                format!(
                    "{what}{after}应为{}，而不是 {got} 个字符，例如 {example}",
                    zh_expected(expected)
                )
            }
            IdError::Characters { allowed, given, .. } => {
                format!("{what}只能包含{}；不能包含“{given}”", zh_allowed(allowed))
            }
            IdError::Shape { .. } => format!("{what}的格式不正确，例如 {example}"),
            IdError::Region {
                given, expected, ..
            } => format!(
                "{what}位于区域 {given}，而部署位于 {expected}：云服务商只在同一区域内建立连接"
            ),
        }
    }
}

fn length_en(what: IdKind, prefix: &str, expected: &str, got: usize) -> String {
    let after = if prefix.is_empty() {
        String::new()
    } else {
        format!(" after \"{prefix}\"")
    };
    format!(
        "{} has {expected}{after}, not {got}, e.g. {}",
        what.name().en,
        what.example()
    )
}

// The expected lengths and character sets are a few fixed phrases; their Chinese forms live here
// beside the English ones they translate.
const HEX_8_OR_17: &str = "8 or 17 hexadecimal digits";
const HEX_17: &str = "17 hexadecimal digits";
const DIGITS_12: &str = "12 digits";
const DIGITS_16: &str = "16 digits";
const ALIYUN_ID_LEN: &str = "12 to 32 characters";
const PROJECT_LEN: &str = "6 to 30 characters";
const LABEL_LEN: &str = "1 to 63 characters";
const LOWER_HEX: &str = "lowercase hexadecimal digits (0-9, a-f)";
const DIGITS: &str = "digits";
const LOWER_ALNUM: &str = "lowercase letters and digits";
const LOWER_ALNUM_HYPHEN: &str = "lowercase letters, digits and hyphens";

fn zh_expected(en: &str) -> &'static str {
    match en {
        HEX_8_OR_17 => "8 或 17 位十六进制数字",
        HEX_17 => "17 位十六进制数字",
        DIGITS_12 => "12 位数字",
        DIGITS_16 => "16 位数字",
        ALIYUN_ID_LEN => "12 到 32 个字符",
        PROJECT_LEN => "6 到 30 个字符",
        _ => "1 到 63 个字符",
    }
}

fn zh_allowed(en: &str) -> &'static str {
    match en {
        LOWER_HEX => "小写十六进制数字（0-9、a-f）",
        DIGITS => "数字",
        LOWER_ALNUM => "小写字母和数字",
        _ => "小写字母、数字和连字符",
    }
}

fn nonempty(s: &str, what: IdKind) -> Result<&str, IdError> {
    let t = s.trim();
    if t.is_empty() {
        Err(IdError::Empty { what })
    } else {
        Ok(t)
    }
}

fn only(
    s: &str,
    what: IdKind,
    allowed: &'static str,
    ok: impl Fn(char) -> bool,
) -> Result<(), IdError> {
    match s.chars().find(|c| !ok(*c)) {
        Some(given) => Err(IdError::Characters {
            what,
            allowed,
            given,
        }),
        None => Ok(()),
    }
}

fn lower_hex(c: char) -> bool {
    c.is_ascii_digit() || ('a'..='f').contains(&c)
}

fn lower_alnum(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_lowercase()
}

/// `prefix` then lowercase hexadecimal of one of `lengths` (AWS resource IDs).
pub(crate) fn aws_resource_id(
    s: &str,
    what: IdKind,
    prefix: &'static str,
    lengths: &[usize],
    expected: &'static str,
) -> Result<String, IdError> {
    let t = nonempty(s, what)?;
    let rest = t.strip_prefix(prefix).ok_or(IdError::Prefix {
        what,
        expected: prefix,
    })?;
    only(rest, what, LOWER_HEX, lower_hex)?;
    if !lengths.contains(&rest.len()) {
        return Err(IdError::Length {
            what,
            prefix,
            expected,
            got: rest.chars().count(),
        });
    }
    Ok(t.to_owned())
}

fn digits(s: &str, what: IdKind, len: usize, expected: &'static str) -> Result<String, IdError> {
    let t = nonempty(s, what)?;
    only(t, what, DIGITS, |c| c.is_ascii_digit())?;
    if t.len() != len {
        return Err(IdError::Length {
            what,
            prefix: "",
            expected,
            got: t.len(),
        });
    }
    Ok(t.to_owned())
}

/// `prefix` then 12 to 32 lowercase letters and digits (Alibaba Cloud resource IDs).
pub(crate) fn aliyun_resource_id(
    s: &str,
    what: IdKind,
    prefix: &'static str,
) -> Result<String, IdError> {
    let t = nonempty(s, what)?;
    let rest = t.strip_prefix(prefix).ok_or(IdError::Prefix {
        what,
        expected: prefix,
    })?;
    only(rest, what, LOWER_ALNUM, lower_alnum)?;
    if !(12..=32).contains(&rest.len()) {
        return Err(IdError::Length {
            what,
            prefix,
            expected: ALIYUN_ID_LEN,
            got: rest.len(),
        });
    }
    Ok(t.to_owned())
}

/// An RFC 1035 label: a lowercase letter, then lowercase letters, digits and hyphens, not
/// ending with a hyphen, `min` to `max` characters (Google Cloud names).
fn rfc1035(
    s: &str,
    what: IdKind,
    (min, max, expected): (usize, usize, &'static str),
) -> Result<String, IdError> {
    let t = nonempty(s, what)?;
    only(t, what, LOWER_ALNUM_HYPHEN, |c| lower_alnum(c) || c == '-')?;
    if !(min..=max).contains(&t.len()) {
        return Err(IdError::Length {
            what,
            prefix: "",
            expected,
            got: t.len(),
        });
    }
    if !t.starts_with(|c: char| c.is_ascii_lowercase()) || t.ends_with('-') {
        return Err(IdError::Shape { what });
    }
    Ok(t.to_owned())
}

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_type!(
    /// `pcx-` and 8 or 17 hexadecimal digits.
    AwsPeeringId
);
id_type!(
    /// 12 digits.
    AwsAccountId
);
id_type!(
    /// `vpc-` and 8 or 17 hexadecimal digits.
    AwsVpcId
);
id_type!(
    /// 6 to 30 lowercase letters, digits and hyphens; a letter first, no hyphen last.
    GcpProjectId
);
id_type!(
    /// An RFC 1035 label of at most 63 characters.
    GcpNetwork
);
id_type!(
    /// `cen-` and lowercase letters and digits.
    CenInstanceId
);
id_type!(
    /// 16 digits.
    AliyunAccountUid
);
id_type!(
    /// `vpc-` and lowercase letters and digits.
    AliyunVpcId
);

impl AwsPeeringId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        aws_resource_id(s, IdKind::AwsPeeringId, "pcx-", &[8, 17], HEX_8_OR_17).map(Self)
    }
}

impl AwsAccountId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        digits(s, IdKind::AwsAccountId, 12, DIGITS_12).map(Self)
    }
}

impl AwsVpcId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        aws_resource_id(s, IdKind::AwsVpcId, "vpc-", &[8, 17], HEX_8_OR_17).map(Self)
    }
}

impl GcpProjectId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        rfc1035(s, IdKind::GcpProjectId, (6, 30, PROJECT_LEN)).map(Self)
    }
}

impl GcpNetwork {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        rfc1035(s, IdKind::GcpNetwork, (1, 63, LABEL_LEN)).map(Self)
    }
}

impl CenInstanceId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        aliyun_resource_id(s, IdKind::CenInstanceId, "cen-").map(Self)
    }
}

impl AliyunAccountUid {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        digits(s, IdKind::AliyunAccountUid, 16, DIGITS_16).map(Self)
    }
}

impl AliyunVpcId {
    pub fn parse(s: &str) -> Result<Self, IdError> {
        aliyun_resource_id(s, IdKind::AliyunVpcId, "vpc-").map(Self)
    }
}

/// The 17 hexadecimal digits of an AWS endpoint service ID, after `vpce-svc-`.
pub(crate) fn aws_service_suffix(s: &str) -> Result<String, IdError> {
    aws_resource_id(s, IdKind::AwsEndpointService, "vpce-svc-", &[17], HEX_17)
}

/// A Google Cloud resource name inside a service attachment path (RFC 1035, at most 63).
pub(crate) fn gcp_resource_name(s: &str) -> Result<String, IdError> {
    rfc1035(s, IdKind::GcpServiceAttachment, (1, 63, LABEL_LEN))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code<T: fmt::Debug>(r: Result<T, IdError>) -> &'static str {
        r.unwrap_err().code()
    }

    #[test]
    fn aws_peering_ids_are_pcx_and_8_or_17_hex() {
        assert!(AwsPeeringId::parse("pcx-1a2b3c4d").is_ok());
        assert_eq!(
            AwsPeeringId::parse(" pcx-0a1b2c3d4e5f67890 ")
                .unwrap()
                .as_str(),
            "pcx-0a1b2c3d4e5f67890"
        );
        assert_eq!(code(AwsPeeringId::parse("vpc-1a2b3c4d")), "id_prefix");
        assert_eq!(code(AwsPeeringId::parse("pcx-1a2b3c4")), "id_length");
        assert_eq!(code(AwsPeeringId::parse("pcx-1a2b3c4d5e")), "id_length");
        assert_eq!(code(AwsPeeringId::parse("pcx-1A2B3C4D")), "id_characters");
        assert_eq!(code(AwsPeeringId::parse("pcx-1a2b3c4g")), "id_characters");
        assert_eq!(code(AwsPeeringId::parse("  ")), "id_missing");
    }

    #[test]
    fn aws_accounts_are_12_digits_and_vpcs_vpc_and_8_or_17_hex() {
        assert!(AwsAccountId::parse("123456789012").is_ok());
        assert_eq!(code(AwsAccountId::parse("12345678901")), "id_length");
        assert_eq!(code(AwsAccountId::parse("1234567890123")), "id_length");
        assert_eq!(code(AwsAccountId::parse("12345678901a")), "id_characters");
        assert!(AwsVpcId::parse("vpc-0a1b2c3d4e5f67890").is_ok());
        assert!(AwsVpcId::parse("vpc-0a1b2c3d").is_ok());
        assert_eq!(code(AwsVpcId::parse("pcx-0a1b2c3d")), "id_prefix");
        assert_eq!(code(AwsVpcId::parse("vpc-0a1b2c3d4e5f6789")), "id_length");
    }

    #[test]
    fn gcp_project_ids_follow_the_resource_manager_rules() {
        for ok in [
            "my-project",
            "abcdef",
            "a1-b2-c3",
            &format!("a{}", "b".repeat(29)),
        ] {
            assert!(GcpProjectId::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(code(GcpProjectId::parse("abcde")), "id_length");
        assert_eq!(
            code(GcpProjectId::parse(&format!("a{}", "b".repeat(30)))),
            "id_length"
        );
        assert_eq!(code(GcpProjectId::parse("1project")), "id_shape");
        assert_eq!(code(GcpProjectId::parse("project-")), "id_shape");
        assert_eq!(code(GcpProjectId::parse("My-Project")), "id_characters");
        assert_eq!(code(GcpProjectId::parse("my_project")), "id_characters");
    }

    #[test]
    fn gcp_networks_are_rfc_1035_labels() {
        assert!(GcpNetwork::parse("default").is_ok());
        assert!(GcpNetwork::parse("n").is_ok());
        assert!(GcpNetwork::parse(&format!("n{}", "x".repeat(62))).is_ok());
        assert_eq!(
            code(GcpNetwork::parse(&format!("n{}", "x".repeat(63)))),
            "id_length"
        );
        assert_eq!(code(GcpNetwork::parse("-net")), "id_shape");
        assert_eq!(code(GcpNetwork::parse("9net")), "id_shape");
        assert_eq!(code(GcpNetwork::parse("net.work")), "id_characters");
    }

    #[test]
    fn aliyun_ids_have_their_prefix_and_uids_16_digits() {
        assert!(CenInstanceId::parse("cen-7qthudw0ll6jmcabcd").is_ok());
        assert_eq!(
            code(CenInstanceId::parse("vpc-7qthudw0ll6jmcabcd")),
            "id_prefix"
        );
        assert_eq!(code(CenInstanceId::parse("cen-7qthud")), "id_length");
        assert_eq!(
            code(CenInstanceId::parse(&format!("cen-{}", "a".repeat(33)))),
            "id_length"
        );
        assert_eq!(
            code(CenInstanceId::parse("cen-7QTHUDW0LL6JMC")),
            "id_characters"
        );
        assert!(AliyunVpcId::parse("vpc-bp15zckdt37pq72zvabcd").is_ok());
        assert_eq!(
            code(AliyunVpcId::parse("vsw-bp15zckdt37pq72zv")),
            "id_prefix"
        );
        assert!(AliyunAccountUid::parse("1234567890123456").is_ok());
        assert_eq!(code(AliyunAccountUid::parse("123456789012")), "id_length");
        assert_eq!(
            code(AliyunAccountUid::parse("12345678901234x6")),
            "id_characters"
        );
    }

    #[test]
    fn messages_name_the_identifier_and_an_example_in_both_languages() {
        let e = AwsPeeringId::parse("pcx-123").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the peering connection ID has 8 or 17 hexadecimal digits after \"pcx-\", not 3, e.g. pcx-0a1b2c3d4e5f67890"
        );
        assert_eq!(
            e.message(Lang::ZhCn),
            "对等连接 ID在“pcx-”之后应为8 或 17 位十六进制数字，而不是 3 个字符，例如 pcx-0a1b2c3d4e5f67890"
        );
        let e = AliyunAccountUid::parse("12a").unwrap_err();
        assert!(
            e.message(Lang::ZhCn).contains("数字"),
            "{}",
            e.message(Lang::ZhCn)
        );
        let e = CenInstanceId::parse("x").unwrap_err();
        assert!(e.message(Lang::ZhCn).contains("cen-"));
    }
}
