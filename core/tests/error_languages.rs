//! The rule errors the control plane answers with are worded in both languages (issue 19): the
//! English is the `Display` text, the Chinese says the same in Chinese, with the same values.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::catalog::{CatalogError, Cloud};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::agent_token::TokenRefusal;
use byoc_core::lifecycle::deployment::{Action, Operation, Status, TransitionError};
use byoc_core::lifecycle::toolkit::SequenceError;
use byoc_core::policy::{PolicyError, TagProblem};

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

/// (English, Chinese) of each error, and a value each must carry into both.
fn cases() -> Vec<(String, String, &'static str)> {
    let both = |en: String, zh: String, keeps: &'static str| (en, zh, keeps);
    let mut out = Vec::new();
    let catalog = [
        (CatalogError::UnknownCloud("mars".into()), "mars"),
        (
            CatalogError::UnknownRegion {
                cloud: Cloud::Aws,
                region: "mars-1".into(),
            },
            "mars-1",
        ),
    ];
    for (e, keeps) in catalog {
        out.push(both(e.message(Lang::En), e.message(Lang::ZhCn), keeps));
    }
    let policy = [
        (PolicyError::UnknownOperation("fly".into()), "fly"),
        (
            PolicyError::InvalidTagKey(TagProblem::TooLong { max: 64 }),
            "64",
        ),
        (PolicyError::InvalidTagValue(TagProblem::Empty), ""),
    ];
    for (e, keeps) in policy {
        out.push(both(e.message(Lang::En), e.message(Lang::ZhCn), keeps));
    }
    let transitions = [
        (
            TransitionError::NotAllowed {
                status: Status::Stopped,
                what: "stop".into(),
                allowed: vec![Action::Start, Action::Delete],
            },
            "start, delete",
        ),
        (
            TransitionError::UnknownPhase {
                operation: Operation::Create,
                phase: "dance".into(),
            },
            "dance",
        ),
        (
            TransitionError::ProgressBackwards { from: 50, to: 20 },
            "50",
        ),
        (TransitionError::PercentOutOfRange(140), "140"),
    ];
    for (e, keeps) in transitions {
        out.push(both(e.message(Lang::En), e.message(Lang::ZhCn), keeps));
    }
    let refusals = [
        (
            TokenRefusal::Superseded {
                operation: Operation::Stop,
            },
            "stop",
        ),
        (TokenRefusal::Replaced, ""),
        (TokenRefusal::Expired, ""),
        (TokenRefusal::NodeOnlyReports, ""),
        (
            TokenRefusal::NotForMessage {
                operation: Operation::Delete,
                what: "heartbeats",
            },
            "heartbeats",
        ),
    ];
    for (e, keeps) in refusals {
        out.push(both(e.message(Lang::En), e.message(Lang::ZhCn), keeps));
    }
    let seq = SequenceError::Repeated { last: 7, got: 5 };
    out.push(both(seq.message(Lang::En), seq.message(Lang::ZhCn), "7"));
    out
}

#[test]
fn every_answered_rule_error_is_worded_in_english_and_chinese() {
    for (en, zh, keeps) in cases() {
        assert!(!en.is_empty() && !has_chinese(&en), "{en}");
        assert!(has_chinese(&zh), "not Chinese: {zh} (for {en})");
        assert!(
            en.contains(keeps) && zh.contains(keeps),
            "{keeps}: {en} / {zh}"
        );
    }
}
