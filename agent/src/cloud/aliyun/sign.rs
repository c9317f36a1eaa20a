//! Alibaba Cloud's request signature V3 (`ACS3-HMAC-SHA256`), as its signature documentation
//! defines it: a canonical request (method, path, sorted and encoded query, the signed headers
//! lower-cased and sorted as `name:value` lines, their names joined by `;`, and the hex SHA-256 of
//! the body), hashed and signed with HMAC-SHA256 under the AccessKey secret. The secret is used
//! here and sent nowhere.

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

use crate::cloud::hex;

pub const ALGORITHM: &str = "ACS3-HMAC-SHA256";

/// A request as it is signed. Header names may come in any case; every header given is signed.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    pub method: &'a str,
    /// The path, `/` for RPC-style APIs.
    pub path: &'a str,
    pub query: &'a [(String, String)],
    pub headers: &'a [(String, String)],
    pub body: &'a [u8],
}

/// The hex SHA-256 of a body (also the `x-acs-content-sha256` header's value).
pub fn content_sha256(body: &[u8]) -> String {
    hex(&Sha256::digest(body))
}

/// Percent-encoding of the V3 signature: RFC 3986's unreserved characters stay, everything else
/// is `%XX` in upper case (so a space is `%20`, `*` is `%2A`, `~` stays).
pub use crate::cloud::percent_encode as encode;

/// The canonical request and the signed header names.
pub fn canonical_request(req: &Request) -> (String, String) {
    let mut query: Vec<(String, String)> = req
        .query
        .iter()
        .map(|(k, v)| (encode(k), encode(v)))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers: Vec<(String, String)> = req
        .headers
        .iter()
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = [
        req.method,
        req.path,
        &query,
        &canonical_headers,
        &signed,
        &content_sha256(req.body),
    ]
    .join("\n");
    (canonical, signed)
}

/// The hex signature of a request under `secret`.
pub fn signature(req: &Request, secret: &str) -> String {
    let (canonical, _) = canonical_request(req);
    let to_sign = format!("{ALGORITHM}\n{}", content_sha256(canonical.as_bytes()));
    // HMAC takes a key of any length; this cannot fail.
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret.as_bytes()) {
        Ok(mac) => mac,
        Err(_) => return String::new(),
    };
    mac.update(to_sign.as_bytes());
    hex(&mac.finalize().into_bytes())
}

/// The `Authorization` header's value.
pub fn authorization(req: &Request, access_key_id: &str, secret: &str) -> String {
    let (_, signed) = canonical_request(req);
    format!(
        "{ALGORITHM} Credential={access_key_id},SignedHeaders={signed},Signature={}",
        signature(req, secret)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The worked example of Alibaba Cloud's signature documentation (reference/provisioning.md).
    #[test]
    fn reproduces_the_documented_worked_example() {
        let query = pairs(&[
            (
                "ImageId",
                "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
            ),
            ("RegionId", "cn-shanghai"),
        ]);
        let empty = content_sha256(b"");
        let headers = pairs(&[
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-version", "2014-05-26"),
            ("x-acs-date", "2023-10-26T09:01:01Z"),
            ("x-acs-signature-nonce", "d410180a5abf7fe235dd9b74aca91fc0"),
            ("x-acs-content-sha256", &empty),
        ]);
        let req = Request {
            method: "POST",
            path: "/",
            query: &query,
            headers: &headers,
            body: b"",
        };
        assert_eq!(
            signature(&req, "YourAccessKeySecret"),
            "e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
        );
        let auth = authorization(&req, "YourAccessKeyId", "YourAccessKeySecret");
        assert_eq!(
            auth,
            "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=e521358f7776c97df52e6b2891a8bc73026794a071b50c3323388c4e0df64804"
        );
    }

    #[test]
    fn encoding_and_order_follow_the_documentation() {
        assert_eq!(encode("a b*c~d/é"), "a%20b%2Ac~d%2F%C3%A9");
        let query = pairs(&[("b", "2"), ("a", "x y"), ("A", "1")]);
        let headers = pairs(&[("X-Acs-Date", " 2024 "), ("Host", "h")]);
        let (canonical, signed) = canonical_request(&Request {
            method: "GET",
            path: "/",
            query: &query,
            headers: &headers,
            body: b"",
        });
        assert_eq!(signed, "host;x-acs-date");
        let lines: Vec<&str> = canonical.split('\n').collect();
        assert_eq!(lines[2], "A=1&a=x%20y&b=2");
        assert_eq!(lines[3], "host:h");
        assert_eq!(lines[4], "x-acs-date:2024");
    }
}
