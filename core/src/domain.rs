//! The domain clients use to reach the broker (SPEC §3): a fully qualified host name of RFC 1123
//! labels. The user points it at the load balancer with an A record, and the TLS certificate must
//! match it, so anything a DNS provider or a certificate could not carry is refused here.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::catalog::{Cloud, Site};
use crate::lang::{Lang, Name};

/// RFC 1035 §2.3.4: 253 characters in presentation form, without the trailing dot.
pub const MAX_DOMAIN_LEN: usize = 253;
/// RFC 1035 §2.3.4.
pub const MAX_LABEL_LEN: usize = 63;

/// A validated domain name: lowercase ASCII, no trailing dot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "String")]
pub struct DomainName(String);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error("enter a domain name, for example mqtt.example.com")]
    Empty,
    #[error("\"{input}\" is an IP address; enter a domain name that points to the load balancer instead")]
    IpAddress { input: String },
    #[error(
        "label \"{label}\" contains a wildcard; enter the exact name clients connect to, \
         for example mqtt.example.com"
    )]
    Wildcard { label: String },
    #[error(
        "label \"{label}\" contains non-ASCII characters; enter the internationalised name in its \
         punycode form (xn--…)"
    )]
    NonAscii { label: String },
    #[error("the domain name is {length} characters long; the limit is {MAX_DOMAIN_LEN}")]
    TooLong { length: usize },
    #[error(
        "label {position} of the domain name is empty; remove the leading dot or the repeated dots"
    )]
    EmptyLabel { position: usize },
    #[error("label \"{label}\" is {length} characters long; a label has at most {MAX_LABEL_LEN}")]
    LabelTooLong { label: String, length: usize },
    #[error("label \"{label}\" contains {character:?}; use only letters, digits and hyphens")]
    InvalidCharacter { label: String, character: char },
    #[error("label \"{label}\" starts with a hyphen")]
    LeadingHyphen { label: String },
    #[error("label \"{label}\" ends with a hyphen")]
    TrailingHyphen { label: String },
    #[error(
        "\"{label}\" is a single label; enter a fully qualified name such as mqtt.example.com"
    )]
    SingleLabel { label: String },
    #[error("the last label \"{label}\" is all digits; a top-level domain never is")]
    NumericTld { label: String },
}

impl DomainError {
    /// Stable machine-readable code, used in API problems and translated messages.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Empty => "domain_empty",
            DomainError::IpAddress { .. } => "domain_ip_address",
            DomainError::Wildcard { .. } => "domain_wildcard",
            DomainError::NonAscii { .. } => "domain_not_punycode",
            DomainError::TooLong { .. } => "domain_too_long",
            DomainError::EmptyLabel { .. } => "domain_empty_label",
            DomainError::LabelTooLong { .. } => "domain_label_too_long",
            DomainError::InvalidCharacter { .. } => "domain_invalid_character",
            DomainError::LeadingHyphen { .. } => "domain_leading_hyphen",
            DomainError::TrailingHyphen { .. } => "domain_trailing_hyphen",
            DomainError::SingleLabel { .. } => "domain_single_label",
            DomainError::NumericTld { .. } => "domain_numeric_tld",
        }
    }

    /// The message in `lang`: English is the `Display` text, Chinese says the same.
    pub fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::En => self.to_string(),
            Lang::ZhCn => self.message_zh(),
        }
    }

    fn message_zh(&self) -> String {
        match self {
            DomainError::Empty => "请输入域名，例如 mqtt.example.com".to_owned(),
            DomainError::IpAddress { input } => {
                format!("“{input}”是 IP 地址，请输入指向负载均衡的域名")
            }
            DomainError::Wildcard { label } => format!(
                "标签“{label}”包含通配符，请输入客户端实际连接的完整域名，例如 mqtt.example.com"
            ),
            DomainError::NonAscii { label } => {
                format!("标签“{label}”包含非 ASCII 字符，请输入国际化域名的 Punycode 形式（xn--…）")
            }
            DomainError::TooLong { length } => {
                format!("域名长度为 {length} 个字符，上限为 {MAX_DOMAIN_LEN} 个")
            }
            DomainError::EmptyLabel { position } => {
                format!("域名的第 {position} 个标签为空，请删除开头的点或重复的点")
            }
            DomainError::LabelTooLong { label, length } => {
                format!("标签“{label}”长 {length} 个字符，单个标签最多 {MAX_LABEL_LEN} 个")
            }
            DomainError::InvalidCharacter { label, character } => {
                format!("标签“{label}”包含“{character}”，只能使用字母、数字和连字符")
            }
            DomainError::LeadingHyphen { label } => format!("标签“{label}”以连字符开头"),
            DomainError::TrailingHyphen { label } => format!("标签“{label}”以连字符结尾"),
            DomainError::SingleLabel { label } => {
                format!("“{label}”只有一个标签，请输入完整域名，例如 mqtt.example.com")
            }
            DomainError::NumericTld { label } => {
                format!("最后一个标签“{label}”全部为数字，顶级域名不会是纯数字")
            }
        }
    }

    /// The request field every domain error belongs to.
    pub fn field(&self) -> &'static str {
        "domain"
    }
}

impl DomainName {
    /// Parses what a user typed: surrounding whitespace and one trailing dot (the root) are
    /// dropped, letters are lowercased.
    pub fn parse(s: &str) -> Result<DomainName, DomainError> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(DomainError::Empty);
        }
        if is_ip_address(trimmed) {
            return Err(DomainError::IpAddress {
                input: trimmed.to_owned(),
            });
        }
        let name = trimmed.strip_suffix('.').unwrap_or(trimmed);
        if name.is_empty() {
            return Err(DomainError::Empty);
        }
        // Wildcards and IDNs first: they have their own advice, which beats the generic
        // "invalid character" a later check would give.
        for label in name.split('.') {
            if label.contains('*') {
                return Err(DomainError::Wildcard {
                    label: label.to_owned(),
                });
            }
            if !label.is_ascii() {
                return Err(DomainError::NonAscii {
                    label: label.to_owned(),
                });
            }
        }
        if name.len() > MAX_DOMAIN_LEN {
            return Err(DomainError::TooLong { length: name.len() });
        }
        let labels: Vec<&str> = name.split('.').collect();
        for (i, label) in labels.iter().enumerate() {
            check_label(label, i + 1)?;
        }
        match labels.as_slice() {
            [single] => Err(DomainError::SingleLabel {
                label: (*single).to_owned(),
            }),
            [.., tld] if tld.bytes().all(|b| b.is_ascii_digit()) => Err(DomainError::NumericTld {
                label: (*tld).to_owned(),
            }),
            _ => Ok(DomainName(name.to_ascii_lowercase())),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The labels, leftmost first.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.0.split('.')
    }
}

fn check_label(label: &str, position: usize) -> Result<(), DomainError> {
    if label.is_empty() {
        return Err(DomainError::EmptyLabel { position });
    }
    if let Some(character) = label
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-'))
    {
        return Err(DomainError::InvalidCharacter {
            label: label.to_owned(),
            character,
        });
    }
    if label.len() > MAX_LABEL_LEN {
        return Err(DomainError::LabelTooLong {
            label: label.to_owned(),
            length: label.len(),
        });
    }
    if label.starts_with('-') {
        return Err(DomainError::LeadingHyphen {
            label: label.to_owned(),
        });
    }
    if label.ends_with('-') {
        return Err(DomainError::TrailingHyphen {
            label: label.to_owned(),
        });
    }
    Ok(())
}

fn is_ip_address(s: &str) -> bool {
    let unbracketed = s
        .strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .unwrap_or(s);
    // A trailing dot after an IPv4 address is still an address, not a name.
    let bare = unbracketed.strip_suffix('.').unwrap_or(unbracketed);
    bare.parse::<IpAddr>().is_ok()
}

impl fmt::Display for DomainName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for DomainName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl FromStr for DomainName {
    type Err = DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DomainName::parse(s)
    }
}

impl TryFrom<String> for DomainName {
    type Error = DomainError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        DomainName::parse(&s)
    }
}

/// A domain accepted for a deployment on one cloud.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DomainCheck {
    pub domain: DomainName,
    /// Mainland China serves only domains with ICP filing, made with the same cloud.
    pub icp_filing_required: bool,
}

/// Parses the domain and says whether it needs ICP filing on `cloud`.
pub fn check_domain(s: &str, cloud: Cloud) -> Result<DomainCheck, DomainError> {
    Ok(DomainCheck {
        domain: DomainName::parse(s)?,
        icp_filing_required: cloud.site() == Site::China,
    })
}

/// The ICP reminder the console shows for clouds of the China site.
pub fn icp_notice(cloud: Cloud) -> Option<Name> {
    match cloud {
        Cloud::Aliyun => Some(Name {
            en: "The domain must have ICP filing (ICP 备案), and the filing must be made with \
                 Alibaba Cloud, the cloud of this deployment.",
            zh: "域名须完成 ICP 备案，且备案的云服务商须与本部署所用的云平台（阿里云）一致。",
        }),
        Cloud::AwsCn => Some(Name {
            en: "The domain must have ICP filing (ICP 备案), and the filing must be made with \
                 AWS China, the cloud of this deployment.",
            zh: "域名须完成 ICP 备案，且备案的云服务商须与本部署所用的云平台（亚马逊云科技）一致。",
        }),
        Cloud::Aws | Cloud::Gcp => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(s: &str) -> String {
        DomainName::parse(s)
            .unwrap_or_else(|e| panic!("{s:?}: {e}"))
            .as_str()
            .to_owned()
    }

    fn err(s: &str) -> DomainError {
        DomainName::parse(s).unwrap_err()
    }

    #[test]
    fn accepts_ordinary_names() {
        assert_eq!(ok("mqtt.example.com"), "mqtt.example.com");
        assert_eq!(ok("example.com"), "example.com");
        assert_eq!(ok("a.b.c.d.e.example.co.uk"), "a.b.c.d.e.example.co.uk");
        assert_eq!(ok("1.example.com"), "1.example.com");
        assert_eq!(ok("mqtt-1.my-company.io"), "mqtt-1.my-company.io");
        assert_eq!(ok("x.y"), "x.y");
    }

    #[test]
    fn lowercases_uppercase_letters() {
        assert_eq!(ok("MQTT.Example.COM"), "mqtt.example.com");
    }

    #[test]
    fn trims_surrounding_whitespace() {
        assert_eq!(ok("  mqtt.example.com\t\n"), "mqtt.example.com");
    }

    #[test]
    fn drops_one_trailing_dot() {
        assert_eq!(ok("mqtt.example.com."), "mqtt.example.com");
    }

    #[test]
    fn refuses_two_trailing_dots_as_an_empty_label() {
        let e = err("mqtt.example.com..");
        assert_eq!(e.code(), "domain_empty_label");
        assert_eq!(e, DomainError::EmptyLabel { position: 4 });
    }

    #[test]
    fn refuses_leading_and_repeated_dots_naming_the_position() {
        assert_eq!(err(".example.com"), DomainError::EmptyLabel { position: 1 });
        let e = err("mqtt..example.com");
        assert_eq!(e, DomainError::EmptyLabel { position: 2 });
        assert_eq!(
            e.to_string(),
            "label 2 of the domain name is empty; remove the leading dot or the repeated dots"
        );
    }

    #[test]
    fn refuses_empty_input_with_its_own_error() {
        for s in ["", "   ", "\t\n", "."] {
            let e = err(s);
            assert_eq!(e, DomainError::Empty, "{s:?}");
            assert_eq!(e.code(), "domain_empty");
        }
    }

    #[test]
    fn accepts_a_63_character_label() {
        let label = "a".repeat(63);
        assert_eq!(ok(&format!("{label}.com")), format!("{label}.com"));
    }

    #[test]
    fn refuses_a_64_character_label_naming_it() {
        let label = "b".repeat(64);
        let e = err(&format!("mqtt.{label}.com"));
        assert_eq!(e.code(), "domain_label_too_long");
        assert_eq!(
            e.to_string(),
            format!("label \"{label}\" is 64 characters long; a label has at most 63")
        );
    }

    fn name_of_length(total: usize) -> String {
        // 63-character labels joined by dots, with a shorter last label to hit `total` exactly.
        let mut name = String::new();
        while name.len() + 64 < total {
            name.push_str(&"a".repeat(63));
            name.push('.');
        }
        let rest = total - name.len();
        name.push_str(&"z".repeat(rest));
        assert_eq!(name.len(), total);
        name
    }

    #[test]
    fn accepts_253_characters() {
        let name = name_of_length(253);
        assert_eq!(ok(&name), name);
        // The trailing dot does not count towards the limit.
        assert_eq!(ok(&format!("{name}.")), name);
    }

    #[test]
    fn refuses_254_characters() {
        let e = err(&name_of_length(254));
        assert_eq!(e, DomainError::TooLong { length: 254 });
        assert_eq!(e.code(), "domain_too_long");
        assert_eq!(
            e.to_string(),
            "the domain name is 254 characters long; the limit is 253"
        );
    }

    #[test]
    fn refuses_a_single_label() {
        let e = err("localhost");
        assert_eq!(e.code(), "domain_single_label");
        assert_eq!(
            e.to_string(),
            "\"localhost\" is a single label; enter a fully qualified name such as mqtt.example.com"
        );
        assert_eq!(err("com.").code(), "domain_single_label");
    }

    #[test]
    fn refuses_a_leading_hyphen_naming_the_label() {
        let e = err("-mqtt.example.com");
        assert_eq!(e.code(), "domain_leading_hyphen");
        assert_eq!(e.to_string(), "label \"-mqtt\" starts with a hyphen");
    }

    #[test]
    fn refuses_a_trailing_hyphen_naming_the_label() {
        let e = err("mqtt.example-.com");
        assert_eq!(e.code(), "domain_trailing_hyphen");
        assert_eq!(e.to_string(), "label \"example-\" ends with a hyphen");
        assert_eq!(err("mqtt.example.com-").code(), "domain_trailing_hyphen");
    }

    #[test]
    fn accepts_hyphens_inside_a_label() {
        assert_eq!(ok("a--b.example.com"), "a--b.example.com");
    }

    #[test]
    fn refuses_wildcards_with_their_own_error() {
        let e = err("*.example.com");
        assert_eq!(e.code(), "domain_wildcard");
        assert_eq!(
            e.to_string(),
            "label \"*\" contains a wildcard; enter the exact name clients connect to, \
             for example mqtt.example.com"
        );
        assert_eq!(
            err("mqtt.*.example.com"),
            DomainError::Wildcard { label: "*".into() }
        );
        assert_eq!(
            err("mq*tt.example.com"),
            DomainError::Wildcard {
                label: "mq*tt".into()
            }
        );
    }

    #[test]
    fn refuses_idn_asking_for_the_punycode_form() {
        let e = err("bücher.example.com");
        assert_eq!(e.code(), "domain_not_punycode");
        assert_eq!(
            e.to_string(),
            "label \"bücher\" contains non-ASCII characters; enter the internationalised name \
             in its punycode form (xn--…)"
        );
        assert_eq!(
            err("mqtt.例子.中国"),
            DomainError::NonAscii {
                label: "例子".into()
            }
        );
    }

    #[test]
    fn accepts_punycode_labels() {
        assert_eq!(ok("xn--bcher-kva.example.com"), "xn--bcher-kva.example.com");
        assert_eq!(
            ok("mqtt.xn--fsqu00a.xn--fiqs8s"),
            "mqtt.xn--fsqu00a.xn--fiqs8s"
        );
        assert_eq!(ok("XN--BCHER-KVA.example.com"), "xn--bcher-kva.example.com");
    }

    #[test]
    fn refuses_ipv4_addresses() {
        for s in ["10.0.0.1", "192.168.1.1.", " 8.8.8.8 "] {
            let e = err(s);
            assert_eq!(e.code(), "domain_ip_address", "{s:?}");
        }
        assert_eq!(
            err("10.0.0.1").to_string(),
            "\"10.0.0.1\" is an IP address; enter a domain name that points to the load balancer \
             instead"
        );
    }

    #[test]
    fn refuses_ipv6_addresses() {
        for s in ["::1", "2001:db8::1", "[2001:db8::1]"] {
            assert_eq!(err(s).code(), "domain_ip_address", "{s:?}");
        }
    }

    #[test]
    fn refuses_an_all_numeric_tld() {
        let e = err("mqtt.example.123");
        assert_eq!(e.code(), "domain_numeric_tld");
        assert_eq!(
            e.to_string(),
            "the last label \"123\" is all digits; a top-level domain never is"
        );
        // Looks like an address but is not one: still not a name.
        assert_eq!(err("10.0.0.256").code(), "domain_numeric_tld");
        assert_eq!(ok("123.example.com1"), "123.example.com1");
    }

    #[test]
    fn refuses_other_characters_naming_the_label_and_character() {
        let e = err("my_host.example.com");
        assert_eq!(e.code(), "domain_invalid_character");
        assert_eq!(
            e.to_string(),
            "label \"my_host\" contains '_'; use only letters, digits and hyphens"
        );
        for s in [
            "mqtt example.com",
            "mqtt.exa!mple.com",
            "https://mqtt.example.com",
            "mqtt.example.com:8883",
            "mqtt.example.com/path",
        ] {
            assert_eq!(err(s).code(), "domain_invalid_character", "{s:?}");
        }
    }

    #[test]
    fn check_requires_icp_filing_on_the_china_site_only() {
        for (cloud, icp) in [
            (Cloud::Aliyun, true),
            (Cloud::AwsCn, true),
            (Cloud::Aws, false),
            (Cloud::Gcp, false),
        ] {
            let c = check_domain(" MQTT.Example.com. ", cloud).unwrap();
            assert_eq!(c.domain.as_str(), "mqtt.example.com");
            assert_eq!(c.icp_filing_required, icp, "{cloud}");
            assert_eq!(icp_notice(cloud).is_some(), icp, "{cloud}");
        }
        assert!(icp_notice(Cloud::Aliyun).unwrap().zh.contains("阿里云"));
        assert!(icp_notice(Cloud::AwsCn)
            .unwrap()
            .zh
            .contains("亚马逊云科技"));
    }

    #[test]
    fn chinese_messages_name_the_offending_label_too() {
        assert_eq!(
            err("my_host.example.com").message(Lang::ZhCn),
            "标签“my_host”包含“_”，只能使用字母、数字和连字符"
        );
        assert_eq!(
            err("*.example.com").message(Lang::ZhCn),
            "标签“*”包含通配符，请输入客户端实际连接的完整域名，例如 mqtt.example.com"
        );
    }

    #[test]
    fn check_passes_parse_errors_through() {
        assert_eq!(
            check_domain("*.example.com", Cloud::Aws)
                .unwrap_err()
                .code(),
            "domain_wildcard"
        );
    }

    #[test]
    fn serialises_as_a_plain_string_and_reads_back_validated() {
        let d = DomainName::parse("Mqtt.Example.com").unwrap();
        assert_eq!(serde_json::to_string(&d).unwrap(), "\"mqtt.example.com\"");
        let back: DomainName = serde_json::from_str("\"MQTT.example.com.\"").unwrap();
        assert_eq!(back, d);
        assert!(serde_json::from_str::<DomainName>("\"*.example.com\"").is_err());
        let c = check_domain("mqtt.example.com", Cloud::Aliyun).unwrap();
        assert_eq!(
            serde_json::to_value(&c).unwrap(),
            serde_json::json!({"domain":"mqtt.example.com","icp_filing_required":true})
        );
    }

    #[test]
    fn display_labels_and_from_str_agree_with_parse() {
        let d: DomainName = "a.B.c".parse().unwrap();
        assert_eq!(d.to_string(), "a.b.c");
        assert_eq!(d.labels().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(d.as_ref(), "a.b.c");
    }

    #[test]
    fn every_error_has_a_snake_case_code_and_the_domain_field() {
        let errors = [
            err(""),
            err("1.2.3.4"),
            err("*.a.b"),
            err("ü.a.b"),
            err(&name_of_length(300)),
            err("a..b"),
            err(&format!("{}.b", "a".repeat(64))),
            err("a_b.c"),
            err("-a.b"),
            err("a-.b"),
            err("a"),
            err("a.1"),
        ];
        let mut codes = std::collections::HashSet::new();
        for e in &errors {
            assert!(e.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
            assert_eq!(e.field(), "domain");
            assert_eq!(e.message(Lang::En), e.to_string());
            assert!(!e.message(Lang::ZhCn).is_ascii(), "{e}");
            codes.insert(e.code());
        }
        assert_eq!(codes.len(), errors.len(), "every error has its own code");
    }
}
