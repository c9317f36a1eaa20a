//! Finding 5 (concurrent writes failed with "database is locked") and the standing checks:
//! 100 concurrent writers of each kind get no server error; every acknowledged create is listed
//! and audited exactly once; of concurrent actions on one version exactly one wins; and a
//! `kill -9` in the middle of writing loses nothing acknowledged and leaves nothing half-done.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use crate::server::{Client, Server, ADMIN_PASSWORD};

const WRITERS: usize = 100;

fn new_project(owner: &Client<'_>, name: &str) -> String {
    let project = owner.ok("POST", "/api/v1/projects", Some(json!({ "name": name })));
    project["id"].as_str().unwrap().to_owned()
}

fn create_body(name: &str) -> Value {
    json!({"name": name, "cloud": "aws", "region": "us-east-1", "vpc_cidr": "10.0.0.0/16",
           "sessions": 1000, "tps": 500, "domain": "mqtt.example.com"})
}

/// Every deployment of the project, following the list's cursors.
fn listed(owner: &Client<'_>, project: &str) -> Vec<Value> {
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/projects/{project}/deployments?limit=200");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = owner.ok("GET", &path, None);
        all.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return all,
        }
    }
}

/// How many successful `deployment.create` audit entries name each deployment.
fn create_audits(owner: &Client<'_>) -> HashMap<String, usize> {
    let mut counts = HashMap::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = "/api/v1/audit?action=deployment.create&limit=200".to_owned();
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = owner.ok("GET", &path, None);
        for entry in page["items"].as_array().unwrap() {
            if entry["outcome"] == "success" {
                let id = entry["target_id"].as_str().unwrap_or_default().to_owned();
                *counts.entry(id).or_insert(0) += 1;
            }
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return counts,
        }
    }
}

/// Runs `job(i)` on `n` threads released together; returns each answer's status and body.
fn together<F>(n: usize, job: F) -> Vec<(u16, String)>
where
    F: Fn(usize) -> (u16, String) + Send + Sync + 'static,
{
    let job = Arc::new(job);
    let gate = Arc::new(std::sync::Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|i| {
            let (job, gate) = (job.clone(), gate.clone());
            std::thread::spawn(move || {
                gate.wait();
                job(i)
            })
        })
        .collect();
    handles.into_iter().map(|h| h.join().unwrap()).collect()
}

fn no_server_errors(answers: &[(u16, String)]) {
    let errors = answers.iter().filter(|(s, _)| *s >= 500).count();
    assert_eq!(errors, 0, "server errors: {:?}", summary(answers));
}

/// How many answers had each status, and one body of each, for a readable failure.
fn summary(answers: &[(u16, String)]) -> Vec<(u16, usize, String)> {
    let mut by_status: std::collections::BTreeMap<u16, (usize, String)> = Default::default();
    for (status, body) in answers {
        let e = by_status
            .entry(*status)
            .or_insert((0, body.chars().take(200).collect()));
        e.0 += 1;
    }
    by_status.into_iter().map(|(s, (n, b))| (s, n, b)).collect()
}

#[test]
fn a_hundred_concurrent_creates_in_one_project_all_land_listed_and_audited_once() {
    let server = Server::start_licensed(&[]);
    let owner = server.admin();
    server.install_licence(&owner);
    let project = new_project(&owner, "busy");
    let (cookie, base, target) = (owner.cookie.clone(), server.base.clone(), project.clone());
    let answers = together(WRITERS, move |i| {
        let project = &target;
        let r = crate::server::http()
            .post(&format!("{base}/api/v1/projects/{project}/deployments"))
            .header("cookie", &cookie)
            .header("x-requested-with", "test")
            .header("content-type", "application/json")
            .send(create_body(&format!("edge-{i:03}")).to_string().as_str());
        let mut r = r.unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    });
    no_server_errors(&answers);
    let created: HashSet<String> = answers
        .iter()
        .filter(|(s, _)| *s == 201)
        .map(|(_, body)| {
            let v: Value = serde_json::from_str(body).unwrap();
            v["deployment"]["id"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(
        created.len(),
        WRITERS,
        "every create is acknowledged: {:?}",
        summary(&answers)
    );

    let ids: Vec<String> = listed(&owner, &project)
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), WRITERS, "listed once each");
    assert_eq!(ids.iter().cloned().collect::<HashSet<_>>(), created);
    let audits = create_audits(&owner);
    for id in &created {
        assert_eq!(audits.get(id), Some(&1), "{id} is audited exactly once");
    }
}

#[test]
fn of_a_hundred_concurrent_actions_on_one_version_exactly_one_wins() {
    let server = Server::start_licensed(&[]);
    let owner = server.admin();
    server.install_licence(&owner);
    let project = new_project(&owner, "race");
    let created = owner.ok(
        "POST",
        &format!("/api/v1/projects/{project}/deployments"),
        Some(create_body("contested")),
    );
    let id = created["deployment"]["id"].as_str().unwrap().to_owned();
    let version = created["deployment"]["version"].as_i64().unwrap();
    let (cookie, base) = (owner.cookie.clone(), server.base.clone());
    let answers = together(WRITERS, move |i| {
        // Half cancel, half delete: both are allowed while it waits for the toolkit.
        let action = if i % 2 == 0 { "cancel" } else { "delete" };
        let r = crate::server::http()
            .post(&format!("{base}/api/v1/deployments/{id}/actions/{action}"))
            .header("cookie", &cookie)
            .header("x-requested-with", "test")
            .header("if-match", &format!("\"{version}\""))
            .header("content-type", "application/json")
            .send("");
        let mut r = r.unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    });
    no_server_errors(&answers);
    let won = answers.iter().filter(|(s, _)| *s == 200).count();
    assert_eq!(won, 1, "exactly one action lands: {:?}", summary(&answers));
    let lost: Vec<_> = answers.iter().filter(|(s, _)| *s != 200).collect();
    assert!(
        lost.iter().all(|(s, _)| *s == 412 || *s == 409),
        "the others are told the version moved on (412) or the state no longer allows it (409): {:?}",
        summary(&answers)
    );
}

#[test]
fn a_hundred_concurrent_sign_ins_all_succeed() {
    let server = Server::start(&[]);
    let base = server.base.clone();
    let answers = together(WRITERS, move |_| {
        let mut r = crate::server::http()
            .post(&format!("{base}/api/v1/session"))
            .header("content-type", "application/json")
            .send(
                json!({"username": "admin", "password": ADMIN_PASSWORD})
                    .to_string()
                    .as_str(),
            )
            .unwrap();
        (r.status().as_u16(), r.body_mut().read_to_string().unwrap())
    });
    no_server_errors(&answers);
    // Many correct sign-ins at once from one client may be slowed (429 with Retry-After), never
    // failed: each answer is a session or a "come back in N seconds".
    let signed_in = answers.iter().filter(|(s, _)| *s == 200).count();
    let slowed = answers.iter().filter(|(s, _)| *s == 429).count();
    assert_eq!(
        signed_in + slowed,
        WRITERS,
        "only 200 or 429: {:?}",
        summary(&answers)
    );
    assert!(signed_in >= 1, "{:?}", summary(&answers));
}

#[test]
fn a_kill_during_writes_loses_nothing_acknowledged_and_shows_nothing_half_done() {
    let mut server = Server::start_licensed(&[]);
    let (project, cookie) = {
        let owner = server.admin();
        server.install_licence(&owner);
        (new_project(&owner, "crash"), owner.cookie.clone())
    };
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..8)
        .map(|w| {
            let (base, project, cookie) = (server.base.clone(), project.clone(), cookie.clone());
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                let agent = crate::server::http();
                for n in 0.. {
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    let sent = agent
                        .post(&format!("{base}/api/v1/projects/{project}/deployments"))
                        .header("cookie", &cookie)
                        .header("x-requested-with", "test")
                        .header("content-type", "application/json")
                        .send(create_body(&format!("w{w}-{n}")).to_string().as_str());
                    // A request cut off by the kill has no answer: it was never acknowledged.
                    let Ok(mut r) = sent else { return };
                    if r.status().as_u16() == 201 {
                        let v: Value =
                            serde_json::from_str(&r.body_mut().read_to_string().unwrap()).unwrap();
                        let id = v["deployment"]["id"].as_str().unwrap().to_owned();
                        acknowledged.lock().unwrap().push(id);
                    }
                }
            })
        })
        .collect();
    // Kill in the middle of the stream of writes: once plenty have been acknowledged.
    while acknowledged.lock().unwrap().len() < 40 {
        std::thread::yield_now();
    }
    server.kill();
    stop.store(true, Ordering::SeqCst);
    for w in writers {
        w.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();

    let integrity = integrity_check(&server.database());
    assert_eq!(integrity, "ok", "PRAGMA integrity_check after kill -9");

    server.restart();
    let owner = server.admin();
    let listed: Vec<Value> = listed(&owner, &project);
    let ids: HashSet<String> = listed
        .iter()
        .map(|d| d["id"].as_str().unwrap().to_owned())
        .collect();
    for id in &acknowledged {
        assert!(
            ids.contains(id),
            "acknowledged create {id} is present after the crash"
        );
    }
    // Nothing half-done: every deployment present (acknowledged or not) was written whole, with
    // its audit entry and the bootstrap key its create issued.
    let audits = create_audits(&owner);
    for d in &listed {
        let id = d["id"].as_str().unwrap();
        assert_eq!(
            audits.get(id),
            Some(&1),
            "{id} has exactly one create audit entry"
        );
        let guide = owner.ok("GET", &format!("/api/v1/deployments/{id}/bootstrap"), None);
        assert!(!guide.is_null(), "{id} has its bootstrap guide");
    }
}

fn integrity_check(db: &std::path::Path) -> String {
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::ConnectOptions;
        let options = format!("sqlite://{}", db.display())
            .parse::<sqlx::sqlite::SqliteConnectOptions>()
            .unwrap();
        let mut conn = options.connect().await.unwrap();
        sqlx::query_scalar::<_, String>("PRAGMA integrity_check")
            .fetch_one(&mut conn)
            .await
            .unwrap()
    })
}
