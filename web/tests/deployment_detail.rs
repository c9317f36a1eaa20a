//! Component tests in headless Chromium: a deployment's page shows a failure with its phase and
//! reason, offers only the actions its state allows (none to viewers), asks for the exact name
//! before deleting, and shows the bootstrap command with its key only when it has the key.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::api::{BootstrapGuide, BootstrapKey, Deployment, DeploymentChange};
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::{Action as Lifecycle, Operation, Status};
use byoc_web::api::ApiError;
use byoc_web::i18n::I18n;
use byoc_web::pages::deployments::detail::{BootstrapGuideView, DeploymentDetail, Tab};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
mod fixtures;
use dom::{appears, click, container, find, stays, text_of, type_into, until};

type Calls = Rc<RefCell<Vec<(String, Lifecycle, i64)>>>;

struct Mounted {
    root: web_sys::HtmlElement,
    calls: Calls,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn mount(deployment: Deployment, can_operate: bool) -> Mounted {
    let root = container();
    let calls: Calls = Rc::new(RefCell::new(Vec::new()));
    let log = calls.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        let log = log.clone();
        let shown = deployment.clone();
        let act = Action::new_local(move |input: &(String, Lifecycle, i64)| {
            log.borrow_mut().push(input.clone());
            let mut next = shown.clone();
            next.status = Status::Deleting;
            let guide = fixtures::guide(
                Operation::Delete,
                "2099-01-01T00:00:00Z",
                Some("byoc_boot_new"),
            );
            async move {
                Ok::<_, ApiError>(DeploymentChange {
                    deployment: next,
                    bootstrap: Some(guide),
                })
            }
        });
        let regenerate = Action::new_local(|(): &()| async {
            Err::<BootstrapGuide, _>(ApiError::Network("unused".into()))
        });
        view! {
            <DeploymentDetail
                deployment=Signal::stored(deployment.clone())
                guide=Signal::stored(None)
                key=Signal::stored(None)
                can_operate=Signal::stored(can_operate)
                act=act
                regenerate=regenerate
                on_stale=|()| {}
            />
        }
        .into_any()
    });
    Mounted {
        root,
        calls,
        _handle: handle,
    }
}

fn exists(root: &web_sys::HtmlElement, css: &str) -> bool {
    find(root, css).is_some()
}

#[wasm_bindgen_test]
async fn a_failed_deployment_shows_its_phase_reason_and_only_the_allowed_actions() {
    let m = mount(
        fixtures::failed("mqtt-prod", "network", "VPC quota exceeded"),
        true,
    );
    appears(&m.root, "[data-testid=action-retry]").await;
    let badge = find(&m.root, "[data-testid=deployment-status]").unwrap();
    assert_eq!(badge.get_attribute("data-status").unwrap(), "failed");
    assert_eq!(badge.text_content().unwrap(), "Failed");
    let reason = text_of(&m.root, "[data-testid=deployment-reason]").unwrap();
    assert_eq!(reason, "Failed during Network: VPC quota exceeded");

    // The timeline: phases before the failed one done, the failed one marked, the rest pending.
    let state = |phase: &str| {
        find(&m.root, &format!("[data-testid=phase-{phase}]"))
            .unwrap()
            .get_attribute("data-state")
            .unwrap()
    };
    assert_eq!(state("preflight"), "done");
    assert_eq!(state("network"), "failed");
    assert_eq!(state("image"), "pending");

    // Failed allows retry and delete, nothing else.
    assert!(exists(&m.root, "[data-testid=action-retry]"));
    assert!(exists(&m.root, "[data-testid=action-delete]"));
    for absent in ["stop", "start", "cancel"] {
        assert!(
            !exists(&m.root, &format!("[data-testid=action-{absent}]")),
            "{absent}"
        );
    }
    // Facts from the deployment and core: ports, specification.
    assert!(exists(&m.root, "[data-testid=port-8883]"));
    assert_eq!(
        text_of(&m.root, "[data-testid=port-8443] td").unwrap(),
        "8443",
        "AWS gives the REST API its own listener"
    );
    assert!(text_of(&m.root, "[data-testid=deployment-nodes]")
        .unwrap()
        .contains("2 × c6i.large"));
}

#[wasm_bindgen_test]
async fn on_alibaba_cloud_the_rest_api_is_reached_through_the_dashboards_listener() {
    let mut d = fixtures::failed("mqtt-ali", "network", "VPC quota exceeded");
    d.cloud = byoc_core::catalog::Cloud::Aliyun;
    let m = mount(d, true);
    appears(&m.root, "[data-testid=port-18084] td").await;
    assert_eq!(
        text_of(&m.root, "[data-testid=port-8443] td").unwrap(),
        "18084"
    );
    assert_eq!(
        text_of(&m.root, "[data-testid=port-18084] td").unwrap(),
        "18084"
    );
}

#[wasm_bindgen_test]
async fn viewers_get_no_operate_buttons() {
    let m = mount(
        fixtures::deployment("mqtt-prod", Status::Running, "10.0.0.0/16"),
        false,
    );
    appears(&m.root, "[data-testid=deployment-status]").await;
    stays("no operate button for a viewer", || {
        !exists(&m.root, "[data-testid=danger-zone]")
            && !exists(&m.root, "[data-testid=action-stop]")
    })
    .await;
}

#[wasm_bindgen_test]
async fn delete_stays_disabled_until_the_exact_name_is_typed() {
    let m = mount(
        fixtures::deployment("mqtt-prod", Status::Running, "10.0.0.0/16"),
        true,
    );
    appears(&m.root, "[data-testid=action-stop]").await;
    assert!(!exists(&m.root, "[data-testid=action-start]"));
    assert!(
        !exists(&m.root, "[data-testid=confirm-name]"),
        "no dialog before asking"
    );
    click(&m.root, "[data-testid=action-delete]");
    appears(&m.root, "[data-testid=confirm-name]").await;
    let confirm = || -> web_sys::HtmlButtonElement {
        find(&m.root, "[data-testid=confirm-action]")
            .unwrap()
            .unchecked_into()
    };
    assert!(confirm().disabled());
    // The same elements by id, and the label names the input.
    assert!(exists(&m.root, "#confirm-action"));
    assert!(exists(&m.root, "label[for=confirm-name] + input#confirm-name, label[for=confirm-name] ~ input#confirm-name"));
    for almost in ["mqtt", "mqtt-pro", "MQTT-PROD", "mqtt-prod "] {
        type_into(&m.root, "[data-testid=confirm-name]", almost);
        stays(
            &format!("Delete disabled for {almost:?}, not the name"),
            || confirm().disabled(),
        )
        .await;
    }
    // Clicking a disabled button sends nothing.
    confirm().click();
    stays("nothing was sent", || m.calls.borrow().is_empty()).await;

    type_into(&m.root, "[data-testid=confirm-name]", "mqtt-prod");
    until("Delete enabled by the exact name", || !confirm().disabled()).await;
    confirm().click();
    until("the dialog closed on the server's answer", || {
        !exists(&m.root, "[data-testid=confirm-name]")
            && text_of(&m.root, "[data-testid=action-status]").is_some_and(|t| !t.is_empty())
    })
    .await;
    assert_eq!(
        *m.calls.borrow(),
        [("dep-mqtt-prod".to_owned(), Lifecycle::Delete, 4)],
        "the action, with the version shown (If-Match)"
    );
    assert!(
        !exists(&m.root, "[data-testid=confirm-name]"),
        "the dialog closed"
    );
    assert!(!text_of(&m.root, "[data-testid=action-status]")
        .unwrap()
        .is_empty());
}

#[wasm_bindgen_test]
async fn the_bootstrap_guide_appears_when_an_operation_waits_and_goes_when_it_is_over() {
    let root = container();
    let guide = RwSignal::new(None::<BootstrapGuide>);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        let act = Action::new_local(|_: &(String, Lifecycle, i64)| async {
            Err::<DeploymentChange, _>(ApiError::Network("unused".into()))
        });
        let regenerate = Action::new_local(|(): &()| async {
            Err::<BootstrapGuide, _>(ApiError::Network("unused".into()))
        });
        let d = fixtures::deployment("mqtt-prod", Status::Stopping, "10.0.0.0/16");
        view! {
            <DeploymentDetail
                deployment=Signal::stored(d)
                guide=guide
                key=Signal::stored(None)
                can_operate=Signal::stored(true)
                act=act
                regenerate=regenerate
                on_stale=|()| {}
            />
        }
        .into_any()
    });
    appears(&root, "[data-testid=deployment-status]").await;
    assert!(!exists(&root, "[data-testid=bootstrap-guide]"));
    guide.set(Some(fixtures::guide(
        Operation::Stop,
        "2099-01-01T00:00:00Z",
        None,
    )));
    until("the guide to appear", || {
        ["operation", "template", "prepare"]
            .iter()
            .all(|part| exists(&root, &format!("[data-testid=bootstrap-{part}]")))
    })
    .await;
    assert_eq!(
        text_of(&root, "[data-testid=bootstrap-operation]").unwrap(),
        "Stop"
    );
    assert!(text_of(&root, "[data-testid=bootstrap-template]")
        .unwrap()
        .starts_with("./byoc stop"));
    // Before the command: fetching the toolkit and the credential variables.
    let prepare = text_of(&root, "[data-testid=bootstrap-prepare]").unwrap();
    assert!(
        prepare.contains("/downloads/byoc-linux-amd64") && prepare.contains("AWS_ACCESS_KEY_ID"),
        "{prepare}"
    );
    guide.set(None);
    until("the guide to go", || {
        !exists(&root, "[data-testid=bootstrap-guide]")
    })
    .await;
    assert!(!exists(&root, "[data-testid=bootstrap-guide]"));
}

fn mount_guide(
    guide: BootstrapGuide,
    key: Option<BootstrapKey>,
) -> (web_sys::HtmlElement, impl Drop) {
    let root = container();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        let regenerate = Action::new_local(|(): &()| async {
            Err::<BootstrapGuide, _>(ApiError::Network("unused".into()))
        });
        view! {
            <BootstrapGuideView
                guide=Signal::stored(guide.clone())
                key=Signal::stored(key.clone())
                cloud=Signal::stored(byoc_core::catalog::Cloud::Aws)
                can_operate=true
                regenerate=regenerate
            />
        }
        .into_any()
    });
    (root, handle)
}

#[wasm_bindgen_test]
async fn the_command_shows_its_key_only_when_the_page_has_it() {
    let in_an_hour = (chrono::Utc::now() + chrono::Duration::minutes(59)).to_rfc3339();
    let with_key = fixtures::guide(Operation::Create, &in_an_hour, Some("byoc_boot_abc"));
    let key = with_key.key.clone();
    let (root, _h1) = mount_guide(with_key.clone(), key);
    appears(&root, "[data-testid=bootstrap-command]").await;
    appears(&root, "[data-testid=bootstrap-countdown]").await;
    let command = text_of(&root, "[data-testid=bootstrap-command]").unwrap();
    assert!(command.contains("--key byoc_boot_abc"), "{command}");
    let countdown = find(&root, "[data-testid=bootstrap-countdown]").unwrap();
    let seconds: i64 = countdown
        .get_attribute("data-seconds")
        .unwrap()
        .parse()
        .unwrap();
    assert!((3_500..=3_540).contains(&seconds), "{seconds}");
    assert!(
        countdown.text_content().unwrap().contains("expires in 5"),
        "mm:ss"
    );
    assert!(exists(&root, "[data-testid=bootstrap-regenerate]"));
    assert!(exists(&root, "[data-testid=policy-single]"));

    // Without the key: the template, and why the key is not there.
    let (root, _h2) = mount_guide(with_key.clone(), None);
    appears(&root, "[data-testid=bootstrap-key-hidden]").await;
    assert!(!exists(&root, "[data-testid=bootstrap-command]"));
    assert!(text_of(&root, "[data-testid=bootstrap-template]")
        .unwrap()
        .contains("--key <key>"));
    assert!(text_of(&root, "[data-testid=bootstrap-key-hidden]")
        .unwrap()
        .contains("shown only once"));

    // An expired key says so.
    let expired = fixtures::guide(Operation::Create, "2020-01-01T00:00:00Z", None);
    let (root, _h3) = mount_guide(expired, None);
    appears(&root, "[data-testid=bootstrap-countdown]").await;
    let countdown = find(&root, "[data-testid=bootstrap-countdown]").unwrap();
    assert_eq!(countdown.get_attribute("data-seconds").unwrap(), "0");
    assert!(countdown.text_content().unwrap().contains("expired"));
}

#[wasm_bindgen_test]
async fn a_stale_version_says_someone_else_changed_it_and_asks_for_the_latest() {
    let root = container();
    let stale = Rc::new(RefCell::new(0));
    let count = send_wrapper::SendWrapper::new(stale.clone());
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        let act = Action::new_local(|_: &(String, Lifecycle, i64)| async {
            Err::<DeploymentChange, _>(ApiError::PreconditionFailed {
                current_version: Some(5),
                problem: None,
            })
        });
        let regenerate = Action::new_local(|(): &()| async {
            Err::<BootstrapGuide, _>(ApiError::Network("unused".into()))
        });
        let d = fixtures::deployment("mqtt-prod", Status::Running, "10.0.0.0/16");
        let count = count.clone();
        view! {
            <DeploymentDetail
                deployment=Signal::stored(d)
                guide=Signal::stored(None)
                key=Signal::stored(None)
                can_operate=Signal::stored(true)
                act=act
                regenerate=regenerate
                on_stale=move |()| *count.borrow_mut() += 1
            />
        }
        .into_any()
    });
    appears(&root, "[data-testid=action-stop]").await;
    click(&root, "[data-testid=action-stop]");
    appears(&root, "[data-testid=confirm-name]").await;
    type_into(&root, "[data-testid=confirm-name]", "mqtt-prod");
    until("Stop enabled by the exact name", || {
        find(&root, "[data-testid=confirm-action]")
            .is_some_and(|b| !b.unchecked_into::<web_sys::HtmlButtonElement>().disabled())
    })
    .await;
    click(&root, "[data-testid=confirm-action]");
    until(
        "the server's refusal, said to the page and the user",
        || {
            *stale.borrow() > 0
                && text_of(&root, "[data-testid=confirm-stop-error]").is_some_and(|e| !e.is_empty())
        },
    )
    .await;
    assert_eq!(*stale.borrow(), 1, "the page is told to read the latest");
    let error = text_of(&root, "[data-testid=confirm-stop-error]").unwrap();
    assert!(
        error.contains("Someone else changed this deployment"),
        "{error}"
    );
}

#[wasm_bindgen_test]
async fn the_network_tab_replaces_the_overview_and_both_tabs_link_to_the_page() {
    let root = container();
    let tab = RwSignal::new(Tab::Overview);
    let _handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(Lang::En));
        let act = Action::new_local(|_: &(String, Lifecycle, i64)| async {
            Err::<DeploymentChange, _>(ApiError::Network("unused".into()))
        });
        let regenerate = Action::new_local(|(): &()| async {
            Err::<BootstrapGuide, _>(ApiError::Network("unused".into()))
        });
        let d = fixtures::deployment("mqtt-prod", Status::Running, "10.0.0.0/16");
        let network = ViewFn::from(|| view! { <p data-testid="network-stand-in">"network"</p> });
        view! {
            <DeploymentDetail
                deployment=Signal::stored(d)
                guide=Signal::stored(None)
                key=Signal::stored(None)
                can_operate=Signal::stored(true)
                act=act
                regenerate=regenerate
                on_stale=|()| {}
                tab=tab
                network=network
            />
        }
        .into_any()
    });
    appears(&root, "[data-testid=tab-overview]").await;
    let href = |t: &str| {
        find(&root, &format!("[data-testid=tab-{t}]"))
            .unwrap()
            .get_attribute("href")
            .unwrap()
    };
    assert_eq!(href("overview"), "/deployments/dep-mqtt-prod");
    assert_eq!(href("network"), "/deployments/dep-mqtt-prod?tab=network");
    let current = |t: &str| {
        find(&root, &format!("[data-testid=tab-{t}]"))
            .unwrap()
            .get_attribute("aria-current")
    };
    assert_eq!(current("overview").as_deref(), Some("page"));
    assert!(find(&root, "[data-testid=danger-zone]").is_some());
    assert!(find(&root, "[data-testid=network-stand-in]").is_none());

    tab.set(Tab::Network);
    until("the network tab", || {
        current("network").is_some() && find(&root, "[data-testid=network-stand-in]").is_some()
    })
    .await;
    assert_eq!(current("network").as_deref(), Some("page"));
    assert_eq!(current("overview"), None);
    assert!(find(&root, "[data-testid=network-stand-in]").is_some());
    assert!(find(&root, "[data-testid=danger-zone]").is_none());
    // The header stays on every tab.
    assert!(find(&root, "[data-testid=deployment-status]").is_some());
}
