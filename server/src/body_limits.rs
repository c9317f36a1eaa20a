//! How large a request body each route accepts (issue "Hardening"): as small as its largest
//! legitimate request, so nobody can make the server read, parse or store megabytes where a few
//! KiB are all a valid request holds. A larger body is refused with 413 before it is read whole.

use axum::http::Method;

const KIB: usize = 1024;

/// Sign-in: a username of at most 32 characters and a password of at most 128.
pub const SIGN_IN: usize = 4 * KIB;
/// The toolkit's `/agent/v1` messages: a few fields of at most 1000 characters each.
pub const AGENT: usize = 16 * KIB;
/// A licence line is at most 16 KiB (`core::licence`), as text or inside `{"licence": …}`.
pub const LICENCE: usize = 32 * KIB;
/// Bodies that carry a certificate chain (the TLS check, a new deployment): the certificate file
/// `core::tls` accepts, plus room for JSON escaping and the other fields.
pub const CERTIFICATE: usize = byoc_core::tls::MAX_INPUT_BYTES + 64 * KIB;
/// Every other JSON body: names, descriptions, tags, network IDs.
pub const DEFAULT: usize = 16 * KIB;

/// The largest body `method` on `path` accepts.
pub fn for_route(method: &Method, path: &str) -> usize {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    match (method, segments.as_slice()) {
        (&Method::POST, ["api", "v1", "session"]) => SIGN_IN,
        (_, ["agent", ..]) => AGENT,
        (&Method::PUT, ["api", "v1", "licence"]) => LICENCE,
        (&Method::POST, ["api", "v1", "prerequisites", "tls"])
        | (&Method::POST, ["api", "v1", "projects", _, "deployments"]) => CERTIFICATE,
        _ => DEFAULT,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_route_gets_the_limit_of_its_largest_valid_request() {
        assert_eq!(for_route(&Method::POST, "/api/v1/session"), SIGN_IN);
        assert_eq!(for_route(&Method::PUT, "/api/v1/session/password"), DEFAULT);
        assert_eq!(for_route(&Method::POST, "/agent/v1/register"), AGENT);
        assert_eq!(for_route(&Method::POST, "/agent/v1/network/report"), AGENT);
        assert_eq!(for_route(&Method::PUT, "/api/v1/licence"), LICENCE);
        assert_eq!(
            for_route(&Method::POST, "/api/v1/prerequisites/tls"),
            CERTIFICATE
        );
        assert_eq!(
            for_route(&Method::POST, "/api/v1/projects/p1/deployments/"),
            CERTIFICATE
        );
        assert_eq!(for_route(&Method::POST, "/api/v1/projects"), DEFAULT);
        assert_eq!(
            for_route(&Method::POST, "/api/v1/deployments/d1/peerings"),
            DEFAULT
        );
        const { assert!(SIGN_IN < AGENT && AGENT < LICENCE && LICENCE < CERTIFICATE) };
    }
}
