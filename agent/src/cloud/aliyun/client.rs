//! Alibaba Cloud's RPC-style API for ECS, VPC and SLB: every parameter in the query string, the
//! request signed with ACS3-HMAC-SHA256 ([`super::sign`]), a JSON answer. Errors are classified
//! so a missing RAM permission is named with its action (`ecs:RunInstances`) and the policy to
//! attach; throttled calls are repeated, and reads are repeated after a network or server error
//! (a change is not: the engine looks for its resource again, or repeats it under the same
//! `ClientToken`).

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use sha2::Digest;

use super::credentials::Credentials;
use super::sign::{self, Request};
use crate::cloud::percent_encode;

/// The three products the plan uses, with their API versions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Product {
    Ecs,
    Vpc,
    Slb,
}

impl Product {
    /// The RAM action prefix and the endpoint's first label.
    pub fn code(self) -> &'static str {
        match self {
            Product::Ecs => "ecs",
            Product::Vpc => "vpc",
            Product::Slb => "slb",
        }
    }

    pub fn version(self) -> &'static str {
        match self {
            Product::Ecs => "2014-05-26",
            Product::Vpc => "2016-04-28",
            Product::Slb => "2014-05-15",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AliyunError {
    #[error("Alibaba Cloud refused {action}: the RAM user's policy does not allow it ({code}: {message}). Attach the {operation} policy from the console's Prerequisites page to this RAM user.")]
    Permission {
        action: String,
        code: String,
        message: String,
        operation: String,
    },
    #[error("Alibaba Cloud refused the credentials for {action} ({code}: {message}); check ALIBABA_CLOUD_ACCESS_KEY_ID and its secret")]
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
    #[error("cannot reach Alibaba Cloud for {action} at {url}: {reason}")]
    Network {
        action: String,
        url: String,
        reason: String,
    },
    #[error("{action}: Alibaba Cloud answered something unreadable: {reason}")]
    Unreadable { action: String, reason: String },
    #[error("{0}")]
    Plan(String),
}

impl AliyunError {
    /// The provider's error code, when Alibaba Cloud gave one.
    pub fn code(&self) -> Option<&str> {
        match self {
            AliyunError::Permission { code, .. }
            | AliyunError::Credentials { code, .. }
            | AliyunError::Api { code, .. } => Some(code),
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
    /// The operation whose policy the RAM user should carry, for permission messages.
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

    /// The product's regional endpoint, or `ALIBABA_CLOUD_ENDPOINT_URL` (tests; one endpoint for
    /// every product, which tells them apart by the signed `x-acs-version`).
    pub fn endpoint(&self, product: Product) -> String {
        match (self.env)("ALIBABA_CLOUD_ENDPOINT_URL")
            .map(|v| v.trim().trim_end_matches('/').to_owned())
            .filter(|v| !v.is_empty())
        {
            Some(url) => url + "/",
            None => format!("https://{}.{}.aliyuncs.com/", product.code(), self.region),
        }
    }

    /// Calls one action with its own parameters; `RegionId` is added.
    pub fn call(
        &self,
        product: Product,
        action: &str,
        params: &[(String, String)],
    ) -> Result<Value, AliyunError> {
        let ram_action = format!("{}:{action}", product.code());
        let mut query = params.to_vec();
        query.push(("RegionId".into(), self.region.clone()));
        let read_only = action.starts_with("Describe") || action.starts_with("List");
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let outcome = self.send(product, action, &ram_action, &query);
            let retry = match &outcome {
                Err(AliyunError::Network { .. }) => read_only,
                Err(AliyunError::Api { code, .. }) => {
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
        product: Product,
        action: &str,
        ram_action: &str,
        query: &[(String, String)],
    ) -> Result<Value, AliyunError> {
        let url = self.endpoint(product);
        let host = url
            .split("://")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or_default()
            .to_owned();
        let body: &[u8] = b"";
        let mut headers = vec![
            ("host".to_owned(), host),
            ("x-acs-action".to_owned(), action.to_owned()),
            ("x-acs-version".to_owned(), product.version().to_owned()),
            (
                "x-acs-date".to_owned(),
                chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string(),
            ),
            ("x-acs-signature-nonce".to_owned(), nonce()),
            (
                "x-acs-content-sha256".to_owned(),
                sign::content_sha256(body),
            ),
        ];
        if let Some(token) = &self.credentials.security_token {
            headers.push(("x-acs-security-token".to_owned(), token.clone()));
        }
        let authorization = sign::authorization(
            &Request {
                method: "POST",
                path: "/",
                query,
                headers: &headers,
                body,
            },
            &self.credentials.access_key_id,
            &self.credentials.access_key_secret,
        );
        let query_string = query
            .iter()
            .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let full = format!("{url}?{query_string}");
        let network = |reason: String| AliyunError::Network {
            action: ram_action.to_owned(),
            url: url.clone(),
            reason,
        };
        let mut req = self.http.post(&full);
        for (name, value) in headers.iter().filter(|(n, _)| n != "host") {
            req = req.header(name.as_str(), value.as_str());
        }
        let mut resp = req
            .header("authorization", &authorization)
            .send(body)
            .map_err(|e| network(e.to_string()))?;
        let status = resp.status().as_u16();
        let text = resp
            .body_mut()
            .with_config()
            .limit(16 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| network(e.to_string()))?;
        let value: Value = serde_json::from_str(&text).map_err(|e| AliyunError::Unreadable {
            action: ram_action.to_owned(),
            reason: format!("HTTP {status}: {e}"),
        })?;
        if (200..300).contains(&status) {
            return Ok(value);
        }
        let code = value["Code"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| format!("HTTP {status}"));
        let message = value["Message"].as_str().unwrap_or_default().to_owned();
        // Alibaba Cloud names the action it judged; it is the one called.
        let judged = value["AccessDeniedDetail"]["AuthAction"]
            .as_str()
            .unwrap_or(ram_action);
        Err(classify(judged, code, message, &self.operation))
    }
}

/// A unique value per request (the signature's replay guard): the time, the process and a
/// counter, hashed.
fn nonce() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let digest = sha2::Sha256::digest(format!("{now}:{}:{n}", std::process::id()).as_bytes());
    crate::cloud::hex(&digest[..16])
}

fn classify(action: &str, code: String, message: String, operation: &str) -> AliyunError {
    let action = action.to_owned();
    if code.starts_with("Forbidden") || code == "NoPermission" || code.starts_with("NoPermission.")
    {
        return AliyunError::Permission {
            action,
            code,
            message,
            operation: operation.to_owned(),
        };
    }
    if code.starts_with("InvalidAccessKeyId")
        || code.starts_with("InvalidSecurityToken")
        || matches!(
            code.as_str(),
            "SignatureDoesNotMatch" | "IncompleteSignature" | "InvalidAccessKeySecret"
        )
    {
        return AliyunError::Credentials {
            action,
            code,
            message,
        };
    }
    AliyunError::Api {
        action,
        code,
        message,
    }
}

/// Alibaba Cloud refused the call for its rate: it did not happen.
fn is_throttling(code: &str) -> bool {
    code == "Throttling" || code.starts_with("Throttling.")
}

/// Worth asking again (for a read): throttling or a server-side failure.
fn is_transient(code: &str) -> bool {
    is_throttling(code)
        || matches!(
            code,
            "ServiceUnavailable" | "InternalError" | "UnknownError" | "SystemBusy"
        )
        || code.starts_with("HTTP 5")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_errors_name_the_action_and_the_policy() {
        let e = classify(
            "ecs:RunInstances",
            "Forbidden.RAM".into(),
            "User not authorized".into(),
            "create",
        );
        let text = e.to_string();
        assert!(matches!(e, AliyunError::Permission { .. }));
        assert!(
            text.contains("ecs:RunInstances") && text.contains("create policy"),
            "{text}"
        );
        assert!(matches!(
            classify(
                "vpc:CreateVpc",
                "InvalidAccessKeyId.NotFound".into(),
                String::new(),
                "create"
            ),
            AliyunError::Credentials { .. }
        ));
        assert!(matches!(
            classify(
                "vpc:CreateVpc",
                "Throttling.User".into(),
                String::new(),
                "create"
            ),
            AliyunError::Api { .. }
        ));
        assert!(is_throttling("Throttling.User") && !is_throttling("ThrottlingX"));
    }

    #[test]
    fn nonces_do_not_repeat() {
        let a = nonce();
        assert_eq!(a.len(), 32);
        assert_ne!(a, nonce());
    }
}
