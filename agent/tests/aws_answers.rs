//! The engine's XML reading against answers the AWS emulator actually gave (recorded by
//! `tests/moto/probe_flow.py` into `tests/moto/samples/`): every answer parses, errors give their
//! code, and the lists the engine walks have the fields it reads.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use byoc_agent::cloud::aws::query::roxmltree_owned::Xml;

fn samples() -> Vec<(String, String)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/moto/samples");
    let mut out: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".xml"))
        .map(|n| {
            let text = std::fs::read_to_string(dir.join(&n)).unwrap();
            (n, text)
        })
        .collect();
    out.sort();
    out
}

fn sample(name: &str) -> Xml {
    let (_, text) = samples().into_iter().find(|(n, _)| n == name).unwrap();
    Xml::parse(text).unwrap()
}

#[test]
fn every_recorded_answer_parses_and_errors_name_their_code() {
    let all = samples();
    assert!(all.len() > 50, "{} samples", all.len());
    for (name, text) in all {
        let xml = Xml::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let stem = name.trim_end_matches(".xml");
        for code in [
            "AccessDenied",
            "AuthFailure",
            "DependencyViolation",
            "ResourceInUse",
        ] {
            if stem.ends_with(&format!("-{code}")) {
                assert_eq!(xml.first("Code").as_deref(), Some(code), "{name}");
            }
        }
    }
}

#[test]
fn the_lists_the_engine_walks_carry_the_fields_it_reads() {
    let instances = sample("ec2-DescribeInstances.xml").items("instancesSet");
    assert!(!instances.is_empty());
    assert!(instances[0].get("instanceId").unwrap().starts_with("i-"));
    assert!(instances[0].get("instanceState.name").is_some());
    let lbs = sample("elbv2-DescribeLoadBalancers.xml").items("LoadBalancers");
    assert_eq!(lbs[0].get("State.Code"), Some("active"));
    assert!(lbs[0].get("DNSName").unwrap().contains(".elb."));
    let health = sample("elbv2-DescribeTargetHealth.xml").items("TargetHealthDescriptions");
    assert!(health.iter().all(|h| h.get("TargetHealth.State").is_some()));
    let keys = sample("ec2-DescribeKeyPairs.xml").items("keySet");
    assert!(keys[0].get("keyName").is_some());
    assert_eq!(keys[0].tag("used-by"), Some("emqx-cloud"));
    let denied = sample("ec2-RunInstances-AccessDenied.xml");
    assert!(denied
        .first("Message")
        .unwrap()
        .contains("ec2:RunInstances"));
}
