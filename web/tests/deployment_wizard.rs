//! Component tests in headless Chromium: the create wizard judges the draft with `core` as the
//! user types, shows each error beside its field, refuses Next while the step has one, warns
//! about ranges overlapping the project's other deployments, keeps everything typed across steps,
//! and puts the server's refusals where they belong.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::api::ProblemCode;
use byoc_web::crypto::{local, Crypto};
use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::api::RangeInUse;
use byoc_core::api::{CreateDeploymentRequest, DeploymentChange, FieldError, Problem};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::spec::availability;
use byoc_core::network::VpcCidr;
use byoc_web::api::ApiError;
use byoc_web::i18n::{I18n, Msg};
use byoc_web::pages::deployments::wizard::availability::Availability;
use byoc_web::pages::deployments::wizard::DeploymentWizard;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
mod fixtures;
use dom::{appears, click, container, find, settle, stays, text_of, type_into, until};

struct Mounted {
    root: web_sys::HtmlElement,
    sent: Rc<RefCell<Vec<(CreateDeploymentRequest, String)>>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn problem(status: u16, code: ProblemCode, detail: &str, errors: Vec<FieldError>) -> Problem {
    Problem {
        kind: "about:blank".into(),
        title: "refused".into(),
        status,
        code,
        detail: Some(detail.into()),
        errors,
        request_id: None,
        current_version: None,
        allowed_actions: Vec::new(),
    }
}

/// The wizard beside one existing deployment `alpha` (10.0.0.0/16), which the availability
/// answers name; every create answers `answer`.
fn mount(answer: Result<DeploymentChange, ApiError>) -> Mounted {
    let root = container();
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = sent.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        // Core's answers computed on the page; the worker itself is tested end to end.
        Crypto::in_place(local::answer).provide();
        let log = log.clone();
        let answer = answer.clone();
        let action = Action::new_local(move |input: &(CreateDeploymentRequest, String)| {
            log.borrow_mut().push(input.clone());
            let answer = answer.clone();
            async move { answer }
        });
        // What the server answers, by core's own rule, for a project holding `alpha`.
        let in_use = vec![RangeInUse {
            name: "alpha".into(),
            vpc_cidr: "10.0.0.0/16".into(),
        }];
        let suggested = availability("", "", &in_use)
            .suggested_vpc_cidr
            .and_then(|c| VpcCidr::parse(&c).ok());
        let asker = Availability::new(move |name, cidr| {
            let answer = availability(name, cidr, &in_use);
            Box::pin(async move { Ok(answer) })
        });
        view! {
            <DeploymentWizard
                availability=asker
                suggested_vpc_cidr=suggested
                action=action
                on_created=|_| {}
            />
        }
        .into_any()
    });
    Mounted {
        root,
        sent,
        _handle: handle,
    }
}

fn step(root: &web_sys::HtmlElement) -> String {
    find(root, "[data-testid=deployment-wizard]")
        .unwrap()
        .get_attribute("data-step")
        .unwrap()
}

fn value(root: &web_sys::HtmlElement, css: &str) -> String {
    find(root, css)
        .unwrap()
        .unchecked_into::<web_sys::HtmlInputElement>()
        .value()
}

/// The region chosen.
fn region(root: &web_sys::HtmlElement) -> String {
    find(root, "[data-testid=deployment-region]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlSelectElement>()
        .value()
}

fn error(root: &web_sys::HtmlElement, id: &str) -> String {
    text_of(root, &format!("#{id}-error")).unwrap_or_default()
}

/// Waits until the wizard shows the step `code`.
async fn on_step(root: &web_sys::HtmlElement, code: &str) {
    until(&format!("the {code} step"), || step(root) == code).await;
}

/// Fills every step with valid data and stops on the review.
async fn fill_valid(root: &web_sys::HtmlElement) {
    type_into(root, "[data-testid=deployment-name]", "mqtt-prod");
    click(root, "[data-testid=wizard-next]");
    on_step(root, "spec").await;
    click(root, "[data-testid=wizard-next]");
    on_step(root, "network").await;
    click(root, "[data-testid=wizard-next]");
    on_step(root, "domain").await;
    type_into(root, "[data-testid=deployment-domain]", "mqtt.example.com");
    click(root, "[data-testid=wizard-next]");
    on_step(root, "tags").await;
    click(root, "[data-testid=wizard-next]");
    on_step(root, "review").await;
    assert_eq!(step(root), "review");
}

/// Whether the create button can be pressed (it is disabled while a create is pending).
fn create_enabled(root: &web_sys::HtmlElement) -> bool {
    !find(root, "[data-testid=wizard-create]")
        .unwrap()
        .unchecked_into::<web_sys::HtmlButtonElement>()
        .disabled()
}

#[wasm_bindgen_test]
async fn an_invalid_name_is_explained_beside_it_as_typed_and_blocks_next() {
    let m = mount(Err(ApiError::Network("unused".into())));
    appears(&m.root, "[data-testid=deployment-wizard]").await;
    assert_eq!(step(&m.root), "cloud");
    // Nothing typed yet: no error shown, but Next reveals why it cannot go on.
    assert_eq!(error(&m.root, "deployment-name"), "");
    click(&m.root, "[data-testid=wizard-next]");
    until("the name's error", || {
        !error(&m.root, "deployment-name").is_empty()
    })
    .await;
    stays("Next refused without a name", || step(&m.root) == "cloud").await;
    assert!(error(&m.root, "deployment-name").contains("3 to 24 characters"));

    let too_short = error(&m.root, "deployment-name");
    type_into(&m.root, "[data-testid=deployment-name]", "Mqtt_prod");
    until("the error of the name typed", || {
        error(&m.root, "deployment-name") != too_short
    })
    .await;
    let text = error(&m.root, "deployment-name");
    assert!(text.contains("starts with a lowercase letter"), "{text}");
    let input = find(&m.root, "[data-testid=deployment-name]").unwrap();
    assert_eq!(input.get_attribute("aria-invalid").as_deref(), Some("true"));
    click(&m.root, "[data-testid=wizard-next]");
    stays("Next is refused while the name is invalid", || {
        step(&m.root) == "cloud"
    })
    .await;

    // The project's own names are taken.
    type_into(&m.root, "[data-testid=deployment-name]", "alpha");
    until("the error of the name taken", || {
        error(&m.root, "deployment-name") != text
    })
    .await;
    assert!(error(&m.root, "deployment-name").contains("already exists"));

    type_into(&m.root, "[data-testid=deployment-name]", "mqtt-prod");
    until("the error to clear", || {
        error(&m.root, "deployment-name").is_empty()
    })
    .await;
    assert_eq!(error(&m.root, "deployment-name"), "");
    click(&m.root, "[data-testid=wizard-next]");
    on_step(&m.root, "spec").await;
    assert_eq!(step(&m.root), "spec");
}

#[wasm_bindgen_test]
async fn a_public_range_is_refused_and_an_overlap_names_both_ranges() {
    let m = mount(Err(ApiError::Network("unused".into())));
    appears(&m.root, "[data-testid=deployment-wizard]").await;
    type_into(&m.root, "[data-testid=deployment-name]", "mqtt-prod");
    click(&m.root, "[data-testid=wizard-next]");
    on_step(&m.root, "spec").await;
    click(&m.root, "[data-testid=wizard-next]");
    on_step(&m.root, "network").await;
    assert_eq!(step(&m.root), "network");
    // The suggestion filled in avoids the range `alpha` already uses.
    assert_eq!(
        value(&m.root, "[data-testid=deployment-vpc-cidr]"),
        "10.10.0.0/16"
    );
    assert!(find(&m.root, "[data-testid=cidr-overlap]").is_none());

    type_into(&m.root, "[data-testid=deployment-vpc-cidr]", "8.8.8.0/24");
    until("the range's error", || {
        !error(&m.root, "deployment-vpc-cidr").is_empty()
    })
    .await;
    let text = error(&m.root, "deployment-vpc-cidr");
    assert!(text.contains("not a private range"), "{text}");
    click(&m.root, "[data-testid=wizard-next]");
    stays("Next is refused for a public range", || {
        step(&m.root) == "network"
    })
    .await;

    type_into(
        &m.root,
        "[data-testid=deployment-vpc-cidr]",
        "10.0.128.0/20",
    );
    until("the error to give way to the overlap warning", || {
        error(&m.root, "deployment-vpc-cidr").is_empty()
            && find(&m.root, "[data-testid=cidr-overlap]").is_some()
    })
    .await;
    assert_eq!(error(&m.root, "deployment-vpc-cidr"), "");
    let warning = text_of(&m.root, "[data-testid=cidr-overlap]").expect("an overlap warning");
    assert!(warning.contains("10.0.128.0/20"), "{warning}");
    assert!(warning.contains("10.0.0.0/16"), "{warning}");
    assert!(warning.contains("alpha"), "{warning}");
    // A warning, not an error: peering is what it rules out, not the deployment.
    click(&m.root, "[data-testid=wizard-next]");
    on_step(&m.root, "domain").await;
    assert_eq!(step(&m.root), "domain");

    // Back and forth loses nothing.
    click(&m.root, "[data-testid=wizard-back]");
    click(&m.root, "[data-testid=wizard-back]");
    click(&m.root, "[data-testid=wizard-back]");
    on_step(&m.root, "cloud").await;
    assert_eq!(step(&m.root), "cloud");
    assert_eq!(value(&m.root, "[data-testid=deployment-name]"), "mqtt-prod");
    assert_eq!(
        value(&m.root, "[data-testid=deployment-vpc-cidr]"),
        "10.0.128.0/20"
    );
}

#[wasm_bindgen_test]
async fn the_review_sends_the_request_and_shows_a_licence_refusal() {
    let refusal = problem(
        409,
        ProblemCode::LicenceCapacity,
        "The licence allows sessions 25 in all; 0 are in use, so 1000 more do not fit.",
        vec![],
    );
    let m = mount(Err(ApiError::Conflict(Some(refusal))));
    appears(&m.root, "[data-testid=deployment-wizard]").await;
    fill_valid(&m.root).await;
    let summary = text_of(&m.root, "[data-testid=wizard-summary]").unwrap();
    assert!(
        summary.contains("mqtt-prod") && summary.contains("10.10.0.0/16"),
        "{summary}"
    );
    assert!(find(&m.root, "[data-testid=quota-table]").is_some());
    assert!(find(&m.root, "[data-testid=policy-single]").is_some());
    // Alibaba Cloud is provisioned for real: the review shows its plan, 4 vSwitches and the SLB's
    // 5 listeners.
    let plan = text_of(&m.root, "[data-testid=plan-table]").expect("the plan on aliyun");
    assert!(
        plan.contains("mqtt-prod-vsw-4") && plan.contains("TCP 18084"),
        "{plan}"
    );
    assert!(!plan.contains("8443"), "{plan}");
    assert!(find(&m.root, "[data-testid=plan-simulated]").is_none());

    click(&m.root, "[data-testid=wizard-create]");
    until("the refusal, with Create enabled again", || {
        find(&m.root, "[data-testid=wizard-error]").is_some() && create_enabled(&m.root)
    })
    .await;
    {
        let sent = m.sent.borrow();
        assert_eq!(sent.len(), 1);
        let (request, key) = &sent[0];
        assert_eq!(request.name, "mqtt-prod");
        assert_eq!(request.cloud, "aliyun");
        assert_eq!(request.vpc_cidr, "10.10.0.0/16");
        assert_eq!((request.sessions, request.tps), (1_000, 500));
        assert_eq!(request.certificate_pem, None);
        assert_eq!(key.len(), 36, "an Idempotency-Key");
    }
    let alert = text_of(&m.root, "[data-testid=wizard-error]").unwrap();
    assert!(
        alert.contains(Msg::LicenceRefusedCapacity.text(Lang::En)),
        "{alert}"
    );
    assert!(alert.contains("25 in all"), "{alert}");
    assert_eq!(step(&m.root), "review");

    // A retry of the same request reuses its key.
    click(&m.root, "[data-testid=wizard-create]");
    until("the retry to be sent", || m.sent.borrow().len() > 1).await;
    let sent = m.sent.borrow();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].1, sent[1].1);
}

#[wasm_bindgen_test]
async fn a_field_the_server_refuses_is_shown_beside_it_on_its_step() {
    let taken = FieldError {
        field: "name".into(),
        code: "name_taken".into(),
        message: "a deployment named \"mqtt-prod\" already exists in this project".into(),
    };
    let m = mount(Err(ApiError::Invalid(Some(problem(
        422,
        ProblemCode::ValidationFailed,
        "taken",
        vec![taken],
    )))));
    appears(&m.root, "[data-testid=deployment-wizard]").await;
    fill_valid(&m.root).await;
    click(&m.root, "[data-testid=wizard-create]");
    until("the step of the refused field, with its error", || {
        step(&m.root) != "review" && !error(&m.root, "deployment-name").is_empty()
    })
    .await;
    assert_eq!(
        step(&m.root),
        "cloud",
        "back to the step of the refused field"
    );
    let text = error(&m.root, "deployment-name");
    assert!(text.contains("already exists in this project"), "{text}");
    // Changing the name clears the server's complaint about the old one.
    type_into(&m.root, "[data-testid=deployment-name]", "mqtt-prod-2");
    until("the server's complaint to clear", || {
        error(&m.root, "deployment-name").is_empty()
    })
    .await;
    assert_eq!(error(&m.root, "deployment-name"), "");
}

#[wasm_bindgen_test]
async fn the_review_shows_what_the_toolkit_will_make_on_aws() {
    let m = mount(Err(ApiError::Network("unused".into())));
    appears(&m.root, "[data-testid=deployment-region]").await;
    // Deliberately a fixed wait, since nothing on the page shows it is over: the cloud step's
    // effect resets the region only on a cloud *change*, so its first run (which notes the
    // starting cloud) must be over before the cloud changes, or the region stays Alibaba's.
    settle().await;
    let aliyun = region(&m.root);
    click(&m.root, "#deployment-cloud-aws");
    until("a region of AWS", || region(&m.root) != aliyun).await;
    fill_valid(&m.root).await;
    let plan = find(&m.root, "[data-testid=plan-table]").expect("the plan on aws");
    let rows = plan.query_selector_all("tbody tr").unwrap().length();
    let summary = text_of(&m.root, "[data-testid=summary-nodes]").unwrap();
    let nodes: u32 = summary
        .trim()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect::<String>()
        .parse()
        .unwrap_or_else(|_| panic!("{summary}"));
    // VPC, 3 subnets, gateway, 3 route tables, security group, key, builder, image,
    // N + 1 instances, 6 target groups, the load balancer, 6 listeners.
    assert_eq!(rows, 12 + nodes + 1 + 13);
    let text = plan.text_content().unwrap_or_default();
    assert!(
        text.contains("mqtt-prod-vpc") && text.contains("Load balancer"),
        "{text}"
    );
}
