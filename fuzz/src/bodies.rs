//! The bodies of the fuzz harnesses, one public function per target. The fuzz targets
//! (`fuzz/fuzz_targets/*.rs`, cargo-fuzz) call them with the fuzzer's bytes, and the corpus replay
//! test of byoc-core (`core/tests/fuzz_corpus.rs`, which includes this file) calls them with every
//! file of `fuzz/corpus/<target>/`, so CI re-runs every input the fuzzer kept without a fuzzer.
//!
//! The property of every body: core never panics and never hangs, whatever the bytes. Where an
//! invariant is obviously true (a range printed and parsed again is the same range), it is
//! asserted too, so a silent wrong answer fails as loudly as a panic.
//!
//! Inputs are bytes; text is read with `from_utf8_lossy` (the server and the console only ever
//! hand core valid UTF-8, so nothing is lost by mapping the rest).

use std::borrow::Cow;

use base64ct::{Base64UrlUnpadded, Encoding};
use byoc_core::api::{
    CompleteReport, Completion, CreatePeeringRequest, CreatePrivateLinkRequest, Heartbeat,
    NetworkKind, NetworkReport, ProgressReport, RegisterRequest,
};
use byoc_core::catalog::Cloud;
use byoc_core::lang::Lang;
use byoc_core::licence::{self, DeploymentUse, LicenceError, SigningKey};
use byoc_core::lifecycle::{deployment, peering, privatelink, toolkit};
use byoc_core::network::ids::{
    AliyunAccountUid, AliyunVpcId, AwsAccountId, AwsPeeringId, AwsVpcId, CenInstanceId, GcpNetwork,
    GcpProjectId,
};
use byoc_core::network::{
    cidr, peering as peer_rules, privatelink as link_rules, Cidr, EndpointServiceId, IdError,
    LivePeer, PeerCidr, Principal, VpcCidr,
};
use byoc_core::text::{check_plain_text, MAX_AGENT_TEXT};
use byoc_core::tls::{self, codes, Outcome, TlsInput};
use chrono::{DateTime, TimeZone, Utc};
use ed25519_dalek::Signer;

/// The names of the targets, as directories of `fuzz/corpus/` and binaries of `fuzz/`.
pub const TARGETS: [&str; 6] = [
    "tls_inspect",
    "private_key",
    "licence_line",
    "cidr",
    "cloud_ids",
    "agent_messages",
];

/// Runs the body of `target` on one input; `false` for an unknown target name.
pub fn run(target: &str, data: &[u8]) -> bool {
    match target {
        "tls_inspect" => tls_inspect(data),
        "private_key" => private_key(data),
        "licence_line" => licence_line(data),
        "cidr" => cidr(data),
        "cloud_ids" => cloud_ids(data),
        "agent_messages" => agent_messages(data),
        _ => return false,
    }
    true
}

fn text(data: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(data)
}

fn at(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

/// A few moments core is asked about: the TLS fixtures' pinned now, around today, long ago and
/// far ahead (certificates and licences carry dates up to 9999).
fn nows() -> [DateTime<Utc>; 4] {
    [
        at(2030, 1, 1),
        at(2026, 6, 1),
        at(2000, 1, 1),
        at(2099, 12, 31),
    ]
}

// ── tls_inspect ──────────────────────────────────────────────────────────────────────────────

/// PEM labels the DER form of `tls_inspect` wraps its chunks in.
const PEM_LABELS: [&str; 6] = [
    "CERTIFICATE",
    "PRIVATE KEY",
    "RSA PRIVATE KEY",
    "EC PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
    "CERTIFICATE REQUEST",
];

fn pem_block(label: &str, der: &[u8]) -> String {
    let b64 = base64ct::Base64::encode_string(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

/// The DER form: chunks of `[flags][length: u16 big-endian][DER]`; the flags name the PEM label
/// (low 3 bits) and whether the block goes to the separate key file (bit 3). Mutating DER through
/// base64 text is hopeless for a fuzzer, so this form lets it work on the DER itself.
fn der_chunks(mut data: &[u8]) -> (String, String) {
    let (mut bundle, mut key) = (String::new(), String::new());
    while let [flags, hi, lo, rest @ ..] = data {
        let len = usize::from(u16::from_be_bytes([*hi, *lo])).min(rest.len());
        let (der, tail) = rest.split_at(len);
        let label = PEM_LABELS[usize::from(flags & 7) % PEM_LABELS.len()];
        let block = pem_block(label, der);
        if flags & 8 == 0 {
            bundle.push_str(&block);
        } else {
            key.push_str(&block);
        }
        data = tail;
    }
    (bundle, key)
}

/// Certificate bundle, key and domain; `[mode][rest]`. Mode bit 0: the rest is text
/// `bundle \0 key \0 domain` (missing parts: no key, `mqtt.example.com`), or DER chunks
/// ([`der_chunks`]). Bits 1–2 pick `now`.
pub fn tls_inspect(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let now = nows()[usize::from(mode >> 1) % 4];
    let (bundle, key, domain) = if mode & 1 == 0 {
        let all = text(rest).into_owned();
        let mut parts = all.splitn(3, '\0');
        let bundle = parts.next().unwrap_or_default().to_owned();
        let key = parts.next().map(str::to_owned);
        let domain = parts.next().unwrap_or("mqtt.example.com").to_owned();
        (bundle, key, domain)
    } else {
        let (bundle, key) = der_chunks(rest);
        let key = (!key.is_empty()).then_some(key);
        (bundle, key, "mqtt.example.com".to_owned())
    };
    let input = TlsInput {
        bundle_pem: &bundle,
        key_pem: key.as_deref(),
        domain: &domain,
    };
    let full = tls::inspect(&input, now);
    check_report(&full);
    let chain = tls::inspect_chain(&bundle, &domain, now);
    check_report(&chain);
    let key_codes = [
        codes::PRIVATE_KEY_PRESENT,
        codes::PRIVATE_KEY_UNENCRYPTED,
        codes::PRIVATE_KEY_FORMAT,
        codes::KEY_MATCHES_CERT,
    ];
    assert!(
        chain
            .checks
            .iter()
            .all(|c| !key_codes.contains(&c.code.as_str())),
        "inspect_chain ran a key check"
    );
    match tls::public_bundle(&bundle) {
        Ok(public) => {
            // What the server stores is stable. (It may still hold a key: a certificate can
            // carry a key's bytes, or the OpenSSH key magic, inside a field; the detector errs
            // on refusing such a bundle, and the fuzzer found one within minutes.)
            assert_eq!(tls::public_bundle(&public).as_ref(), Ok(&public));
            let _ = tls::contains_private_key(&public);
        }
        Err(e) => {
            let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
        }
    }
    let _ = tls::contains_private_key(&bundle);
}

fn check_report(report: &tls::TlsReport) {
    // Codes are known, in report order, each at most once.
    let positions: Vec<usize> = report
        .checks
        .iter()
        .map(|c| codes::ALL.iter().position(|k| *k == c.code))
        .map(|p| p.unwrap_or(usize::MAX))
        .collect();
    assert!(
        positions.iter().all(|p| *p != usize::MAX),
        "unknown check code"
    );
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "checks out of order"
    );
    for c in &report.checks {
        assert!(!c.message_en.is_empty() && !c.message_zh.is_empty());
    }
    assert_eq!(
        report.passed(),
        report.checks.iter().all(|c| c.outcome != Outcome::Fail)
    );
    if let Some(ordered) = &report.ordered_bundle {
        // The corrected chain offered to the user is certificates only and reads back.
        assert!(
            tls::public_bundle(ordered).is_ok(),
            "ordered bundle unreadable"
        );
    }
}

// ── private_key ──────────────────────────────────────────────────────────────────────────────

/// Text or a request body: the text detector, the JSON-walking one on whatever the bytes parse
/// to (as the server does for a body), and the JSON-escape reader.
pub fn private_key(data: &[u8]) {
    let s = text(data);
    let in_text = tls::text_holds_private_key(&s);
    assert_eq!(in_text, tls::contains_private_key(&s));
    // A string value is judged exactly as the text, wherever it sits in a document.
    let as_value = serde_json::Value::String(s.to_string());
    assert_eq!(tls::json_holds_private_key(&as_value), in_text);
    let nested = serde_json::json!({ "spec": [ { "certificate": s } ] });
    assert_eq!(tls::json_holds_private_key(&nested), in_text);
    let as_key = serde_json::json!({ s.to_string(): 1 });
    assert_eq!(tls::json_holds_private_key(&as_key), in_text);
    // JSON escapes written by serde decode back to the very text.
    if let Ok(quoted) = serde_json::to_string(&*s) {
        let inner = quoted
            .strip_prefix('"')
            .and_then(|q| q.strip_suffix('"'))
            .unwrap_or_default();
        assert_eq!(
            tls::unescape_json_like(inner),
            *s,
            "escapes did not round-trip"
        );
    }
    match serde_json::from_slice::<serde_json::Value>(data) {
        Ok(value) => {
            let _ = tls::json_holds_private_key(&value);
        }
        Err(_) => {
            let _ = tls::text_holds_private_key(&tls::unescape_json_like(&s));
        }
    }
}

// ── licence_line ─────────────────────────────────────────────────────────────────────────────

/// The vendor key of the harness: fixed, so a signed line in the corpus stays valid.
fn vendor_key() -> SigningKey {
    SigningKey::from_bytes(&[7u8; 32])
}

/// `[mode][rest]`. Mode bit 0 clear: the rest is a licence line (or a key PEM) as pasted,
/// verified with the vendor's key. Set: the rest is payload bytes, signed with the vendor's key
/// here so the fuzzer reaches the payload rules behind the signature; the result's status, usage
/// and capacity are then asked for at several moments.
pub fn licence_line(data: &[u8]) {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let key = vendor_key();
    let verifying = key.verifying_key();
    let result = if mode & 1 == 0 {
        let line = text(rest);
        let _ = licence::parse_public_key_pem(&line);
        let _ = licence::parse_signing_key_pem(&line);
        licence::verify(&line, &verifying)
    } else {
        let signature = key.sign(rest);
        let line = format!(
            "{}.{}.{}",
            licence::PREFIX,
            Base64UrlUnpadded::encode_string(rest),
            Base64UrlUnpadded::encode_string(&signature.to_bytes())
        );
        let result = licence::verify(&line, &verifying);
        // Signed here, so only the payload's own rules (size, JSON, consistency) may refuse it.
        if let Err(e) = &result {
            assert!(
                matches!(
                    e,
                    LicenceError::TooLarge
                        | LicenceError::BadJson(_)
                        | LicenceError::MissingField(_)
                        | LicenceError::Inconsistent(_)
                ),
                "a correctly signed payload was refused as {e:?}"
            );
        }
        result
    };
    let lic = match result {
        Ok(lic) => lic,
        Err(e) => {
            let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
            return;
        }
    };
    // Issuing the payload again gives a line that verifies to the same payload.
    if let Ok(again) = licence::issue(&lic.payload, &key) {
        let back = licence::verify(&again, &verifying).map(|l| l.payload);
        assert_eq!(back.as_ref(), Ok(&lic.payload));
    }
    let p = &lic.payload;
    let live = [
        DeploymentUse {
            sessions: u64::MAX,
            tps: 1,
            vcpu: u32::MAX,
        },
        DeploymentUse {
            sessions: 10,
            tps: u64::MAX,
            vcpu: 8,
        },
    ];
    for now in nows().into_iter().chain([p.valid_from, p.valid_until]) {
        let status = p.status(now);
        let _ = (status, p.days_left(now), p.allows_new_work(now));
        assert!(p.days_left(now) >= 0);
        let _ = p.usage(&live);
        let _ = p.usage(&[]);
        if let Err(e) = licence::check_capacity(p, now, &live, &DeploymentUse::default()) {
            let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
        }
    }
}

// ── cidr ─────────────────────────────────────────────────────────────────────────────────────

/// Lines of ranges. Each is parsed as a range, a deployment VPC range and a peer range; the first
/// is checked as a peer range against the second (the deployment) and the rest (live peerings).
pub fn cidr(data: &[u8]) {
    let all = text(data);
    let lines: Vec<&str> = all.lines().take(64).collect();
    let mut parsed = Vec::new();
    for line in &lines {
        match Cidr::parse(line) {
            Ok(c) => {
                // Printed and parsed again, the same range.
                assert_eq!(Cidr::parse(&c.to_string()), Ok(c));
                assert!(c.overlaps(&c) && c.contains(c.first()) && c.contains(c.last()));
                assert!(c.first() <= c.last());
                let _ = (c.span(), c.is_private(), c.prefix());
                parsed.push(c);
            }
            Err(e) => {
                let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
            }
        }
        match VpcCidr::parse(line) {
            Ok(v) => assert_eq!(VpcCidr::parse(&v.to_string()), Ok(v)),
            Err(e) => {
                let _ = e.message(Lang::ZhCn);
            }
        }
        match PeerCidr::parse(line) {
            Ok(p) => assert_eq!(PeerCidr::parse(&p.to_string()), Ok(p)),
            Err(e) => {
                let _ = e.message(Lang::ZhCn);
            }
        }
    }
    for a in &parsed {
        for b in &parsed {
            assert_eq!(a.overlaps(b), b.overlaps(a), "overlap is not symmetric");
            // Overlap means a shared address: one range holds the other's first address.
            assert_eq!(
                a.overlaps(b),
                a.contains(b.first()) || b.contains(a.first())
            );
        }
        let others = cidr::overlapping(a, &parsed);
        assert!(others.iter().all(|o| o.overlaps(a)));
    }
    if let Some(v) = cidr::suggest_vpc_cidr(&parsed) {
        assert!(cidr::overlapping(&v.cidr(), &parsed).is_empty());
    }
    if let (Some(first), Some(deployment)) = (lines.first(), parsed.first()) {
        let live: Vec<LivePeer<'_>> = parsed
            .iter()
            .skip(1)
            .map(|c| LivePeer {
                name: "pcx-0123456789abcdef0",
                cidr: *c,
            })
            .collect();
        match peer_rules::check_peer_cidr(first, *deployment, &live) {
            Ok(p) => assert!(!p.cidr().overlaps(deployment)),
            Err(errors) => {
                assert!(!errors.is_empty());
                for e in errors {
                    let _ = (
                        e.field(),
                        e.code(),
                        e.message(Lang::En),
                        e.message(Lang::ZhCn),
                    );
                }
            }
        }
    }
}

// ── cloud_ids ────────────────────────────────────────────────────────────────────────────────

fn id_error(e: &IdError) {
    let _ = (
        e.kind(),
        e.code(),
        e.message(Lang::En),
        e.message(Lang::ZhCn),
    );
}

/// Parses `s` with `parse`; a parsed ID reads back from its own text to the same ID.
fn id_round_trip<T: PartialEq + std::fmt::Debug>(
    s: &str,
    parse: impl Fn(&str) -> Result<T, IdError>,
    as_str: impl Fn(&T) -> String,
) {
    match parse(s) {
        Ok(id) => {
            let text = as_str(&id);
            assert_eq!(text, s.trim(), "an ID is its trimmed text");
            assert_eq!(parse(&text).as_ref(), Ok(&id));
        }
        Err(e) => id_error(&e),
    }
}

/// Lines: the first is the identifier every parser reads (and, for endpoint services, the second
/// the region, else each cloud's first catalog region); all lines together are also a peering
/// request's fields on every cloud (`peering_id`, `peer_account_id`, `peer_vpc_id`,
/// `peer_project_id`, `peer_network`, `peer_cidr`, `description`).
pub fn cloud_ids(data: &[u8]) {
    let all = text(data);
    let lines: Vec<&str> = all.split('\n').take(16).collect();
    let s = lines.first().copied().unwrap_or_default();
    id_round_trip(s, AwsPeeringId::parse, |i| i.as_str().to_owned());
    id_round_trip(s, AwsAccountId::parse, |i| i.as_str().to_owned());
    id_round_trip(s, AwsVpcId::parse, |i| i.as_str().to_owned());
    id_round_trip(s, GcpProjectId::parse, |i| i.as_str().to_owned());
    id_round_trip(s, GcpNetwork::parse, |i| i.as_str().to_owned());
    id_round_trip(s, CenInstanceId::parse, |i| i.as_str().to_owned());
    id_round_trip(s, AliyunAccountUid::parse, |i| i.as_str().to_owned());
    id_round_trip(s, AliyunVpcId::parse, |i| i.as_str().to_owned());
    let field = |i: usize| lines.get(i).map(|l| (*l).to_owned());
    let peering = CreatePeeringRequest {
        peering_id: field(0),
        peer_account_id: field(1),
        peer_vpc_id: field(2),
        peer_project_id: field(3),
        peer_network: field(4),
        peer_cidr: field(5).unwrap_or_default(),
        description: field(6),
    };
    let deployment = Cidr::parse("10.0.0.0/16").ok();
    for cloud in Cloud::ALL {
        let region = match lines.get(1) {
            Some(r) => (*r).to_owned(),
            None => cloud
                .regions()
                .first()
                .map(|r| r.code.to_owned())
                .unwrap_or_default(),
        };
        match EndpointServiceId::parse(cloud, &region, s) {
            Ok(id) => {
                let again = EndpointServiceId::parse(cloud, &region, id.as_str());
                assert_eq!(again.as_ref().map(EndpointServiceId::key), Ok(id.key()));
                let _ = id.to_string();
            }
            Err(e) => id_error(&e),
        }
        let request = CreatePrivateLinkRequest {
            service_id: s.to_owned(),
            description: field(2),
        };
        if let Err(errors) = link_rules::validate_privatelink(cloud, &region, &request) {
            for e in errors {
                let _ = (
                    e.field(),
                    e.code(),
                    e.message(Lang::En),
                    e.message(Lang::ZhCn),
                );
            }
        }
        match Principal::for_deployment(cloud, s) {
            Ok(p) => assert!(!p.value.is_empty()),
            Err(e) => id_error(&e),
        }
        if let Some(deployment) = deployment {
            match peer_rules::validate_peering(cloud, &peering, deployment, &[]) {
                Ok(spec) => {
                    let _ = (spec.identity(), spec.fields());
                }
                Err(errors) => {
                    assert!(!errors.is_empty());
                    for e in errors {
                        let _ = (
                            e.field(),
                            e.code(),
                            e.message(Lang::En),
                            e.message(Lang::ZhCn),
                        );
                    }
                }
            }
        }
    }
}

// ── agent_messages ───────────────────────────────────────────────────────────────────────────

/// Every deployment state worth asking about: each status with each operation (or none), at
/// the start of a run and part-way through.
fn deployment_states() -> Vec<deployment::State> {
    let mut out = Vec::new();
    for status in deployment::Status::ALL {
        for operation in deployment::Operation::ALL
            .map(Some)
            .into_iter()
            .chain([None])
        {
            for (phase, percent) in [(None, 0), (operation.and_then(|o| o.phases().get(1)), 60)] {
                out.push(deployment::State {
                    status,
                    operation,
                    phase: phase.map(|p| (*p).to_owned()),
                    percent,
                    reason: None,
                });
            }
        }
    }
    out
}

fn apply_everywhere(event: &deployment::Event) {
    for state in deployment_states() {
        match deployment::apply(&state, event) {
            Ok(next) => {
                assert!(next.percent <= 100, "percent above 100");
                if let (Some(op), Some(phase)) = (next.operation, next.phase.as_deref()) {
                    assert!(op.phases().contains(&phase), "an unknown phase was stored");
                }
                let _ = (next.allowed_actions(), next.timeline());
            }
            Err(e) => {
                let _ = (e.code(), e.to_string());
            }
        }
    }
}

fn agent_text(value: &str) {
    if let Err(e) = check_plain_text(value, MAX_AGENT_TEXT, true) {
        let _ = (e.code(), e.sentence("message"));
    }
}

/// One message: what the server checks on it and the event it applies, from every state.
fn agent_message(kind: u8, json: &[u8]) -> Option<(u64, deployment::Event)> {
    match kind % 5 {
        0 => {
            let req: RegisterRequest = serde_json::from_slice(json).ok()?;
            let _ = toolkit::check_key_format(&req.key);
            let _ = req.platform.parse::<Cloud>();
            if let Some(v) = &req.toolkit_version {
                agent_text(v);
            }
            let event = deployment::Event::AgentStarted(req.operation);
            apply_everywhere(&event);
            Some((0, event))
        }
        1 => {
            let req: ProgressReport = serde_json::from_slice(json).ok()?;
            if let Some(m) = &req.message {
                agent_text(m);
            }
            let event = deployment::Event::Progress {
                phase: req.phase,
                percent: req.percent,
            };
            apply_everywhere(&event);
            Some((req.seq, event))
        }
        2 => {
            let req: CompleteReport = serde_json::from_slice(json).ok()?;
            let event = match req.completion {
                Completion::Success { outputs } => {
                    for v in [
                        &outputs.cloud_account_id,
                        &outputs.zone,
                        &outputs.vpc_id,
                        &outputs.load_balancer,
                    ]
                    .into_iter()
                    .flatten()
                    {
                        agent_text(v);
                    }
                    deployment::Event::Completed
                }
                Completion::Failure { phase, reason } => {
                    agent_text(&reason);
                    deployment::Event::Failed { phase, reason }
                }
            };
            apply_everywhere(&event);
            Some((req.seq, event))
        }
        3 => {
            let req: Heartbeat = serde_json::from_slice(json).ok()?;
            let _ = toolkit::check_sequence(req.seq.saturating_sub(1), req.seq);
            None
        }
        _ => {
            let req: NetworkReport = serde_json::from_slice(json).ok()?;
            if let Some(r) = &req.reason {
                agent_text(r);
            }
            network_report(&req);
            None
        }
    }
}

fn network_report(req: &NetworkReport) {
    let now = at(2026, 6, 1);
    match req.kind {
        NetworkKind::Peering => match peering::event_from_report(req, now) {
            Ok(event) => {
                for status in peering::PeeringStatus::ALL {
                    let state = peering::State {
                        status,
                        reason: None,
                        requested_at: at(2026, 5, 20),
                    };
                    if let Err(e) = peering::apply(&state, &event) {
                        let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
                    }
                }
            }
            Err(e) => {
                let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
            }
        },
        NetworkKind::Privatelink => {
            let Ok(vpc) = Cidr::parse("10.0.0.0/16") else {
                return;
            };
            match privatelink::event_from_report(req, vpc) {
                Ok(event) => {
                    if let privatelink::Event::Accepted(endpoint) = &event {
                        assert!(endpoint.domain.is_some() || endpoint.ip.is_some());
                        assert!(endpoint.ip.is_none_or(|ip| vpc.contains(ip)));
                    }
                    for status in privatelink::PrivateLinkStatus::ALL {
                        let state = privatelink::State {
                            status,
                            reason: None,
                            endpoint: None,
                        };
                        if let Err(e) = privatelink::apply(&state, &event) {
                            let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
                        }
                    }
                }
                Err(e) => {
                    let _ = (e.code(), e.message(Lang::En), e.message(Lang::ZhCn));
                }
            }
        }
    }
}

/// Lines of `<kind digit><JSON>`: 0 register, 1 progress, 2 complete, 3 heartbeat, 4 network
/// report. Each message is parsed as the server's JSON extractor does and judged from every
/// deployment state; then the messages run in order through one deployment, created fresh, as
/// the server would take them (sequence numbers first, then the state machine).
pub fn agent_messages(data: &[u8]) {
    let mut state = deployment::State::new();
    let mut last_seq = 0u64;
    for line in data.split(|b| *b == b'\n').take(32) {
        let Some((&kind, json)) = line.split_first() else {
            continue;
        };
        let Some((seq, event)) = agent_message(kind.wrapping_sub(b'0'), json) else {
            continue;
        };
        // Registration starts a new sequence; every later message must number above the last.
        let in_order = matches!(event, deployment::Event::AgentStarted(_))
            || toolkit::check_sequence(last_seq, seq).is_ok();
        if !in_order {
            continue;
        }
        if let Ok(next) = deployment::apply(&state, &event) {
            state = next;
            last_seq = if matches!(event, deployment::Event::AgentStarted(_)) {
                0
            } else {
                seq
            };
        }
    }
    let _ = (
        state.allowed_actions(),
        state.timeline(),
        state.is_transitional(),
    );
}
