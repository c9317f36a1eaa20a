//! AWS's Query protocol (EC2 and Elastic Load Balancing v2): form-encoded POSTs signed with the
//! vendor's own SigV4 implementation (`aws-sigv4`), XML answers. Throttling and server errors are
//! retried; a permission error names the IAM action so the customer knows which policy line is
//! missing.

use std::time::{Duration, SystemTime};

use aws_credential_types::Credentials as SigningCredentials;
use aws_sigv4::http_request::{sign, SignableBody, SignableRequest, SigningSettings};
use aws_sigv4::sign::v4;

use super::credentials::Credentials;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Service {
    Ec2,
    Elb,
}

impl Service {
    /// The IAM prefix of its actions, which is also its SigV4 signing name.
    pub fn prefix(self) -> &'static str {
        match self {
            Service::Ec2 => "ec2",
            Service::Elb => "elasticloadbalancing",
        }
    }

    fn version(self) -> &'static str {
        match self {
            Service::Ec2 => "2016-11-15",
            Service::Elb => "2015-12-01",
        }
    }

    /// The service-specific endpoint variable of the AWS SDKs and CLI.
    fn endpoint_variable(self) -> &'static str {
        match self {
            Service::Ec2 => "AWS_ENDPOINT_URL_EC2",
            Service::Elb => "AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2",
        }
    }
}

/// Why a call failed.
#[derive(Debug, Clone, thiserror::Error)]
pub enum AwsError {
    #[error("AWS refused {action}: the credentials' policy does not allow it ({code}: {message}). Attach the {operation} policy from the console's Prerequisites page to these credentials.")]
    Permission {
        action: String,
        code: String,
        message: String,
        operation: String,
    },
    #[error("AWS refused the credentials for {action} ({code}: {message}); check AWS_ACCESS_KEY_ID and its secret")]
    Credentials {
        action: String,
        code: String,
        message: String,
    },
    #[error("{action} failed ({code}): {message}")]
    Api {
        action: String,
        code: String,
        message: String,
    },
    #[error("cannot reach AWS for {action} at {url}: {reason}")]
    Network {
        action: String,
        url: String,
        reason: String,
    },
    #[error("{action}: AWS answered something unreadable: {reason}")]
    Unreadable { action: String, reason: String },
    #[error("{0}")]
    Plan(String),
}

impl AwsError {
    /// The provider's error code, when AWS gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AwsError::Permission { code, .. }
            | AwsError::Credentials { code, .. }
            | AwsError::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// Reads one environment variable (the process's, or a test's).
pub type Env = Box<dyn Fn(&str) -> Option<String>>;

pub struct Client {
    http: ureq::Agent,
    credentials: Credentials,
    pub region: String,
    env: Env,
    /// The operation whose policy the credentials should carry, for permission messages.
    pub operation: String,
    /// How long to wait before retrying a throttled call (multiplied per attempt).
    pub backoff: Duration,
}

impl Client {
    pub fn new(credentials: Credentials, region: &str, operation: &str, env: Env) -> Client {
        let http: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(60)))
            .http_status_as_error(false)
            .build()
            .into();
        Client {
            http,
            credentials,
            region: region.to_owned(),
            env,
            operation: operation.to_owned(),
            backoff: Duration::from_millis(500),
        }
    }

    /// The service's endpoint: the service-specific variable, then `AWS_ENDPOINT_URL`, then AWS's
    /// own (`.amazonaws.com.cn` in the China regions).
    pub fn endpoint(&self, service: Service) -> String {
        let var = |k: &str| {
            (self.env)(k)
                .map(|v| v.trim().to_owned())
                .filter(|v| !v.is_empty())
        };
        if let Some(url) = var(service.endpoint_variable()).or_else(|| var("AWS_ENDPOINT_URL")) {
            return url.trim_end_matches('/').to_owned() + "/";
        }
        let suffix = if self.region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        format!("https://{}.{}.{suffix}/", service.prefix(), self.region)
    }

    /// Calls one action; `params` are the action's own, without Action and Version.
    pub fn call(
        &self,
        service: Service,
        action: &str,
        params: &[(String, String)],
    ) -> Result<roxmltree_owned::Xml, AwsError> {
        let iam_action = format!("{}:{action}", service.prefix());
        let mut body = format!("Action={}&Version={}", encode(action), service.version());
        for (k, v) in params {
            body.push('&');
            body.push_str(&form(k));
            body.push('=');
            body.push_str(&form(v));
        }
        let url = self.endpoint(service);
        // A read may be repeated freely. A change is repeated only when AWS said it was
        // throttled (so it did not happen); after a lost answer or a server error it may have
        // happened, so the engine looks for its resource again instead of creating it twice.
        let read_only = action.starts_with("Describe");
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let outcome = self.send(service, &url, &body, &iam_action);
            let retry = match &outcome {
                Err(AwsError::Network { .. }) => read_only,
                Err(AwsError::Api { code, .. }) => {
                    is_throttling(code) || (read_only && is_transient(code))
                }
                _ => false,
            };
            if !retry || attempt >= 6 {
                return outcome;
            }
            std::thread::sleep(self.backoff * 2u32.pow(attempt - 1));
        }
    }

    fn send(
        &self,
        service: Service,
        url: &str,
        body: &str,
        action: &str,
    ) -> Result<roxmltree_owned::Xml, AwsError> {
        let content_type = "application/x-www-form-urlencoded; charset=utf-8";
        let identity = SigningCredentials::new(
            &self.credentials.access_key_id,
            &self.credentials.secret_access_key,
            self.credentials.session_token.clone(),
            None,
            "byoc",
        )
        .into();
        let params = v4::SigningParams::builder()
            .identity(&identity)
            .region(&self.region)
            .name(service.prefix())
            .time(SystemTime::now())
            .settings(SigningSettings::default())
            .build()
            .map_err(|e| AwsError::Plan(format!("cannot sign {action}: {e}")))?
            .into();
        let signable = SignableRequest::new(
            "POST",
            url,
            [("content-type", content_type)].into_iter(),
            SignableBody::Bytes(body.as_bytes()),
        )
        .map_err(|e| AwsError::Plan(format!("cannot sign {action}: {e}")))?;
        let (instructions, _) = sign(signable, &params)
            .map_err(|e| AwsError::Plan(format!("cannot sign {action}: {e}")))?
            .into_parts();
        let mut req = self.http.post(url).header("content-type", content_type);
        for (name, value) in instructions.headers() {
            req = req.header(name, value);
        }
        let mut resp = req.send(body).map_err(|e| AwsError::Network {
            action: action.to_owned(),
            url: url.to_owned(),
            reason: e.to_string(),
        })?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| AwsError::Network {
                action: action.to_owned(),
                url: url.to_owned(),
                reason: e.to_string(),
            })?;
        let xml = roxmltree_owned::Xml::parse(text).map_err(|e| AwsError::Unreadable {
            action: action.to_owned(),
            reason: format!("HTTP {status}: {e}"),
        })?;
        if (200..300).contains(&status) {
            return Ok(xml);
        }
        let code = xml
            .first("Code")
            .unwrap_or_else(|| format!("HTTP {status}"));
        let message = xml.first("Message").unwrap_or_default();
        Err(classify(action, code, message, &self.operation))
    }
}

fn classify(action: &str, code: String, message: String, operation: &str) -> AwsError {
    let action = action.to_owned();
    match code.as_str() {
        "UnauthorizedOperation" | "AccessDenied" | "AccessDeniedException" => {
            AwsError::Permission {
                action,
                code,
                message,
                operation: operation.to_owned(),
            }
        }
        "AuthFailure"
        | "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "InvalidAccessKeyId" => AwsError::Credentials {
            action,
            code,
            message,
        },
        _ => AwsError::Api {
            action,
            code,
            message,
        },
    }
}

/// AWS refused the call for its rate: it did not happen.
fn is_throttling(code: &str) -> bool {
    matches!(
        code,
        "RequestLimitExceeded" | "Throttling" | "ThrottlingException"
    )
}

/// Worth asking again (for a read): throttling or a server-side failure.
fn is_transient(code: &str) -> bool {
    is_throttling(code)
        || matches!(
            code,
            "ServiceUnavailable" | "InternalError" | "InternalFailure" | "Unavailable"
        )
        || code.starts_with("HTTP 5")
}

/// A form body's encoding: RFC 3986 with a space as `+`. AWS decodes both spellings; the
/// emulator we test against verifies signatures only over the `+` one.
pub fn form(s: &str) -> String {
    encode(s).replace("%20", "+")
}

pub use super::super::percent_encode as encode;

/// A parsed answer that owns its text, with the few lookups the engine needs.
pub mod roxmltree_owned {
    pub struct Xml {
        text: String,
    }

    /// One element of an answer: its children's texts by name.
    #[derive(Clone, Debug, Default, PartialEq, Eq)]
    pub struct Item {
        pub fields: Vec<(String, String)>,
        /// `tagSet` (EC2) or `Tags` (ELB) of the element, when it has one.
        pub tags: Vec<(String, String)>,
    }

    impl Item {
        pub fn get(&self, name: &str) -> Option<&str> {
            self.fields
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        }

        /// Every value read under `name` (a list flattened: `ipRanges.cidrIp` of each range).
        pub fn all(&self, name: &str) -> Vec<&str> {
            self.fields
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
                .collect()
        }

        pub fn tag(&self, key: &str) -> Option<&str> {
            self.tags
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.as_str())
        }
    }

    impl Xml {
        pub fn parse(text: String) -> Result<Xml, String> {
            roxmltree::Document::parse(&text).map_err(|e| e.to_string())?;
            Ok(Xml { text })
        }

        /// `parse` has already read the text once, so it reads again; nothing is found if not.
        fn with<T: Default>(&self, f: impl FnOnce(&roxmltree::Document) -> T) -> T {
            match roxmltree::Document::parse(&self.text) {
                Ok(doc) => f(&doc),
                Err(_) => T::default(),
            }
        }

        /// The text of the first element named `name`, anywhere.
        pub fn first(&self, name: &str) -> Option<String> {
            self.with(|doc| {
                doc.descendants()
                    .find(|n| n.is_element() && n.tag_name().name() == name)
                    .map(|n| n.text().unwrap_or("").trim().to_owned())
            })
        }

        /// The entries (`item` in EC2, `member` in ELB) of every list named `list`, each with
        /// its direct children's texts (nested one level: `instanceState/name` reads as
        /// `instanceState.name`) and its tags.
        pub fn items(&self, list: &str) -> Vec<Item> {
            self.with(|doc| {
                doc.descendants()
                    .filter(|n| n.is_element() && n.tag_name().name() == list)
                    .flat_map(|l| l.children().filter(|c| c.is_element()))
                    .map(|entry| {
                        let mut item = Item::default();
                        for child in entry.children().filter(|c| c.is_element()) {
                            let name = child.tag_name().name();
                            if name == "tagSet" || name == "Tags" {
                                for t in child.children().filter(|c| c.is_element()) {
                                    let get = |k: &str| {
                                        t.children()
                                            .find(|c| c.tag_name().name() == k)
                                            .and_then(|c| c.text())
                                            .unwrap_or("")
                                            .to_owned()
                                    };
                                    let (k, v) = if name == "tagSet" {
                                        (get("key"), get("value"))
                                    } else {
                                        (get("Key"), get("Value"))
                                    };
                                    item.tags.push((k, v));
                                }
                                continue;
                            }
                            let grandchildren: Vec<_> =
                                child.children().filter(|c| c.is_element()).collect();
                            if grandchildren.is_empty() {
                                item.fields.push((
                                    name.to_owned(),
                                    child.text().unwrap_or("").trim().to_owned(),
                                ));
                            } else {
                                for g in grandchildren {
                                    let leaves: Vec<_> =
                                        g.children().filter(|c| c.is_element()).collect();
                                    if leaves.is_empty() {
                                        item.fields.push((
                                            format!("{name}.{}", g.tag_name().name()),
                                            g.text().unwrap_or("").trim().to_owned(),
                                        ));
                                        continue;
                                    }
                                    // A list inside (`ipRanges/item/cidrIp`): each entry's
                                    // leaves as `ipRanges.cidrIp`.
                                    for leaf in leaves {
                                        if leaf.children().any(|c| c.is_element()) {
                                            continue;
                                        }
                                        item.fields.push((
                                            format!("{name}.{}", leaf.tag_name().name()),
                                            leaf.text().unwrap_or("").trim().to_owned(),
                                        ));
                                    }
                                }
                            }
                        }
                        item
                    })
                    .collect()
            })
        }

        pub fn text(&self) -> &str {
            &self.text
        }
    }
}

#[cfg(test)]
mod tests {
    use super::roxmltree_owned::Xml;
    use super::*;

    #[test]
    fn encoding_leaves_only_unreserved_characters() {
        assert_eq!(encode("a b/c=d&e~f"), "a%20b%2Fc%3Dd%26e~f");
        assert_eq!(encode("中"), "%E4%B8%AD");
        assert_eq!(form("a b+c"), "a+b%2Bc");
    }

    #[test]
    fn ec2_and_elb_errors_are_classified_and_name_the_action() {
        let e = classify(
            "ec2:CreateVpc",
            "UnauthorizedOperation".into(),
            "You are not authorized".into(),
            "create",
        );
        assert!(
            e.to_string().contains("ec2:CreateVpc") && e.to_string().contains("create policy"),
            "{e}"
        );
        let e = classify(
            "ec2:CreateVpc",
            "AuthFailure".into(),
            "bad".into(),
            "create",
        );
        assert!(matches!(e, AwsError::Credentials { .. }));
        assert!(is_transient("RequestLimitExceeded") && !is_transient("InvalidParameterValue"));
        assert!(is_throttling("Throttling") && !is_throttling("InternalError"));
    }

    #[test]
    fn items_read_nested_fields_and_tags() {
        let xml = Xml::parse(
            r#"<DescribeInstancesResponse><reservationSet><item><instancesSet><item>
            <instanceId>i-1</instanceId><instanceState><code>16</code><name>running</name></instanceState>
            <tagSet><item><key>used-by</key><value>emqx-cloud</value></item></tagSet>
            </item></instancesSet></item></reservationSet></DescribeInstancesResponse>"#
                .into(),
        )
        .unwrap();
        let items = xml.items("instancesSet");
        assert_eq!(items.len(), 1);
        assert_eq!(items[0].get("instanceId"), Some("i-1"));
        assert_eq!(items[0].get("instanceState.name"), Some("running"));
        assert_eq!(items[0].tag("used-by"), Some("emqx-cloud"));
        let err = Xml::parse("<Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>m</Message></Error></Errors></Response>".into()).unwrap();
        assert_eq!(err.first("Code").as_deref(), Some("UnauthorizedOperation"));
        assert!(Xml::parse("not xml".into()).is_err());
    }
}
