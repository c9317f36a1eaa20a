//! The toolkit's Alibaba Cloud signature (ACS3-HMAC-SHA256) equals the one Alibaba Cloud's own
//! library computes (PyPI `alibabacloud-openapi-util` 0.2.4, installed by this test into a
//! virtualenv under `~/.cache/byoc`, skipped when present) for 300 random requests: random
//! methods, query keys and values (spaces, `*`, `~`, `/`, non-ASCII), header names in any case and
//! values with surrounding blanks, and bodies.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use byoc_agent::cloud::aliyun::sign::{authorization, Request};
use serde_json::json;

/// The virtualenv's python, installed by the script both Alibaba Cloud tests share.
fn python() -> PathBuf {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/aliyun/venv.sh");
    let out = Command::new(script)
        .stderr(Stdio::inherit())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "cannot install alibabacloud-openapi-util"
    );
    PathBuf::from(String::from_utf8(out.stdout).unwrap().trim())
}

/// A small deterministic generator (xorshift), so a failure can be replayed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[usize::try_from(self.next() % from.len() as u64).unwrap()]
    }

    fn text(&mut self, alphabet: &[&str], max: u64) -> String {
        let n = self.next() % max + 1;
        (0..n).map(|_| self.pick(alphabet)).collect()
    }
}

const KEY: &[&str] = &["a", "B", "c", "Z", "0", "9", ".", "-", "_", "Id", "Region"];
const VALUE: &[&str] = &[
    "a", "Z", "5", " ", "*", "~", "/", "+", "=", "&", "中", "é", "%", "-", "_", ".",
];
const HEADER: &[&str] = &[
    "x-acs-date",
    "X-Acs-Action",
    "x-acs-version",
    "host",
    "Content-Type",
    "x-acs-signature-nonce",
    "X-ACS-CONTENT-SHA256",
];

#[test]
fn equals_alibaba_clouds_own_library_for_random_requests() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut cases = Vec::new();
    let mut ours = Vec::new();
    for _ in 0..300 {
        let method = rng.pick(&["GET", "POST", "PUT", "DELETE"]).to_owned();
        let path = rng.pick(&["/", "/", "/v1/x", "/a-b/c_d"]).to_owned();
        let mut query = BTreeMap::new();
        for _ in 0..rng.next() % 5 {
            query.insert(rng.text(KEY, 8), rng.text(VALUE, 12));
        }
        let mut headers = BTreeMap::new();
        for _ in 0..rng.next() % 5 + 1 {
            let name = rng.pick(HEADER);
            // One spelling per name: the library joins repeated names, requests never repeat.
            if headers
                .keys()
                .any(|k: &String| k.eq_ignore_ascii_case(name))
            {
                continue;
            }
            let value = format!(
                "{}{}{}",
                rng.pick(&["", " "]),
                rng.text(VALUE, 10).trim(),
                rng.pick(&["", "  "])
            );
            headers.insert(name.to_owned(), value);
        }
        let body = rng.text(VALUE, 20);
        let secret = rng.text(KEY, 30);
        let q: Vec<(String, String)> = query.clone().into_iter().collect();
        let h: Vec<(String, String)> = headers.clone().into_iter().collect();
        ours.push(authorization(
            &Request {
                method: &method,
                path: &path,
                query: &q,
                headers: &h,
                body: body.as_bytes(),
            },
            "LTAI-test-key",
            &secret,
        ));
        cases.push(
            json!({"method": method, "path": path, "query": query, "headers": headers,
                          "body": body, "ak": "LTAI-test-key", "secret": secret}),
        );
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/aliyun/sign_oracle.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(
            serde_json::Value::Array(cases.clone())
                .to_string()
                .as_bytes(),
        )
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let theirs: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(theirs.len(), ours.len());
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        assert_eq!(a, b, "request {i}: {}", cases[i]);
    }
}
