//! The control plane on a free port without a browser, for driving the `byoc` toolkit against a
//! real socket: a vendor key and a roomy licence installed, the first owner signed in.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{json, Value};

use super::certs::DOMAIN;

pub struct Plane {
    pub base: String,
    cookie: String,
    _data: tempfile::TempDir,
}

fn vendor() -> byoc_core::licence::SigningKey {
    byoc_core::licence::SigningKey::from_bytes(&[7u8; 32])
}

fn http() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

impl Plane {
    pub fn start() -> Plane {
        let data = tempfile::tempdir().unwrap();
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let mut config = byoc_server::config::Config::for_tests(data.path());
        config.public_url = Some(base.clone());
        let key_path = data.path().join("vendor.pem");
        std::fs::write(
            &key_path,
            byoc_core::licence::public_key_pem(&vendor().verifying_key()),
        )
        .unwrap();
        config.licence_public_key = Some(key_path);
        std::thread::spawn(move || {
            let rt = tokio::runtime::Runtime::new().unwrap();
            rt.block_on(async move {
                let state = byoc_server::prepare(config).await.unwrap();
                listener.set_nonblocking(true).unwrap();
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                axum::serve(listener, byoc_server::app(state))
                    .await
                    .unwrap();
            });
        });
        let mut plane = Plane {
            base,
            cookie: String::new(),
            _data: data,
        };
        plane.sign_in();
        let now = chrono::Utc::now();
        let payload = byoc_core::licence::LicencePayload {
            id: "LIC-TOOLKIT".into(),
            kind: byoc_core::licence::LicenceType::Trial,
            issued_to: "Toolkit test".into(),
            issuer_email: "vendor@example.com".into(),
            issued_at: now - chrono::Duration::days(1),
            valid_from: now - chrono::Duration::days(1),
            valid_until: now + chrono::Duration::days(90),
            max_sessions: 100_000,
            max_tps: 50_000,
            core_size: 64,
        };
        let line = byoc_core::licence::issue(&payload, &vendor()).unwrap();
        // The first installation replaces the built-in default: version 0.
        plane.call(
            "PUT",
            "/api/v1/licence",
            Some(json!({ "licence": line })),
            Some(0),
        );
        plane
    }

    fn sign_in(&mut self) {
        for _ in 0..100 {
            let reply = http()
                .post(&format!("{}/api/v1/session", self.base))
                .header("content-type", "application/json")
                .send(json!({"username": "admin", "password": byoc_server::config::TEST_ADMIN_PASSWORD}).to_string().as_str());
            if let Ok(resp) = reply {
                if resp.status() == 200 {
                    let cookie = resp.headers()["set-cookie"].to_str().unwrap();
                    self.cookie = cookie.split(';').next().unwrap().to_owned();
                    return;
                }
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the control plane did not start");
    }

    /// One API request as the signed-in owner: the status and the JSON answer.
    pub fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> (u16, Value) {
        let url = format!("{}{path}", self.base);
        let agent = http();
        let mut req = ureq::http::Request::builder()
            .method(method)
            .uri(&url)
            .header("cookie", &self.cookie)
            .header("x-requested-with", "test")
            .header("content-type", "application/json");
        if let Some(v) = if_match {
            req = req.header("if-match", format!("\"{v}\""));
        }
        let body = body.map(|b| b.to_string()).unwrap_or_default();
        let mut resp = agent.run(req.body(body).unwrap()).unwrap();
        let text = resp.body_mut().read_to_string().unwrap();
        let json = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{method} {path}: not JSON ({e}): {text}"));
        (resp.status().as_u16(), json)
    }

    /// Like [`Plane::send`], asserting success.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        body: Option<Value>,
        if_match: Option<i64>,
    ) -> Value {
        let (status, json) = self.send(method, path, body, if_match);
        assert!(
            (200..300).contains(&status),
            "{method} {path}: {status} {json}"
        );
        json
    }

    pub fn deployment(&self, id: &str) -> Value {
        self.call("GET", &format!("/api/v1/deployments/{id}"), None, None)
    }

    /// A new project with one deployment waiting for `byoc create`: its id and bootstrap key.
    pub fn new_deployment(&self, name: &str, cloud: &str, region: &str) -> (String, String) {
        let project = self.call(
            "POST",
            "/api/v1/projects",
            Some(json!({"name": format!("p-{name}")})),
            None,
        );
        let body = json!({"name": name, "cloud": cloud, "region": region, "vpc_cidr": "10.0.0.0/16",
                          "sessions": 1000, "tps": 500, "domain": DOMAIN});
        let change = self.call(
            "POST",
            &format!(
                "/api/v1/projects/{}/deployments",
                project["id"].as_str().unwrap()
            ),
            Some(body),
            None,
        );
        (
            change["deployment"]["id"].as_str().unwrap().to_owned(),
            change["bootstrap"]["key"]["key"]
                .as_str()
                .unwrap()
                .to_owned(),
        )
    }
}
