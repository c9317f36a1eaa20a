//! Component tests in headless Chromium for a deployment's Network tab: the peering form of each
//! cloud checked by core as the user types (an overlap named with both ranges), the PrivateLink
//! wizard step by step as the seed describes it (notice → principal and zone → service ID →
//! allow, live until running with the endpoint), deletions confirmed with the seed's warnings,
//! and nothing to change for viewers or a deployment that is not running.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use byoc_core::api::ProblemCode;
use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::api::{
    CreatePeeringRequest, CreatePrivateLinkRequest, DeploymentNetwork, Peering, PrivateLink,
};
use byoc_core::catalog::Cloud;
use byoc_core::lang::Lang;
use byoc_core::lifecycle::deployment::Status;
use byoc_core::lifecycle::peering::{PeeringAction, PeeringStatus};
use byoc_core::lifecycle::privatelink::{PrivateLinkAction, PrivateLinkStatus};
use byoc_core::network::Principal;
use byoc_web::api::network::Change;
use byoc_web::api::ApiError;
use byoc_web::i18n::I18n;
use byoc_web::pages::deployments::network::{NetworkActions, NetworkView};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, click, container, find, stays, text_of, type_into, until};

fn network(cloud: Cloud, region: &str, account: &str, running: bool) -> DeploymentNetwork {
    DeploymentNetwork {
        deployment_id: "dep-1".into(),
        cloud,
        region: region.into(),
        status: if running {
            Status::Running
        } else {
            Status::Stopped
        },
        accepts_changes: running,
        vpc_cidr: "10.0.0.0/16".into(),
        vpc_id: Some("vpc-0123456789abcdef0".into()),
        account_id: Some(account.into()),
        zone: Some(format!("{region}-d")),
        principal: Principal::for_deployment(cloud, account).ok(),
    }
}

fn peering(id: &str, cidr: &str, status: PeeringStatus) -> Peering {
    Peering {
        id: id.into(),
        deployment_id: "dep-1".into(),
        cloud: Cloud::Aws,
        peer_cidr: cidr.into(),
        peering_id: Some(format!("pcx-{id}aaaaaaa")),
        peer_account_id: Some("210987654321".into()),
        peer_vpc_id: Some("vpc-0fedcba9".into()),
        peer_project_id: None,
        peer_network: None,
        description: None,
        status,
        reason: None,
        expires_at: None,
        allowed_actions: match status {
            PeeringStatus::Active => vec![PeeringAction::Delete],
            PeeringStatus::Failed | PeeringStatus::Expired => vec![PeeringAction::Dismiss],
            _ => vec![],
        },
        version: 3,
        created_at: "2026-05-01T08:00:00Z".parse().unwrap(),
        updated_at: "2026-05-01T08:00:00Z".parse().unwrap(),
    }
}

fn link(id: &str, service: &str, status: PrivateLinkStatus) -> PrivateLink {
    PrivateLink {
        id: id.into(),
        deployment_id: "dep-1".into(),
        cloud: Cloud::Aliyun,
        service_id: service.into(),
        description: None,
        status,
        reason: None,
        endpoint_domain: None,
        endpoint_ip: None,
        principal: None,
        zone: None,
        allowed_actions: match status {
            PrivateLinkStatus::Running => vec![PrivateLinkAction::Delete],
            PrivateLinkStatus::Failed => vec![PrivateLinkAction::Dismiss],
            _ => vec![],
        },
        version: 2,
        created_at: "2026-05-01T08:00:00Z".parse().unwrap(),
        updated_at: "2026-05-01T08:00:00Z".parse().unwrap(),
    }
}

#[derive(Default)]
struct Calls {
    peerings: Vec<CreatePeeringRequest>,
    links: Vec<CreatePrivateLinkRequest>,
    changes: Vec<(String, Change, i64)>,
}

struct Mounted {
    root: web_sys::HtmlElement,
    calls: Rc<RefCell<Calls>>,
    links: RwSignal<Vec<PrivateLink>>,
    /// When set, creates are refused with it, like the server.
    refuse: Rc<RefCell<Option<ApiError>>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

/// Mounts the tab; creates answer with the created resource (pending), changes with the
/// resource deleting, like the server.
fn mount(
    lang: Lang,
    net: DeploymentNetwork,
    peerings: Vec<Peering>,
    links: Vec<PrivateLink>,
    can_manage: bool,
) -> Mounted {
    let root = container();
    let calls = Rc::new(RefCell::new(Calls::default()));
    let links_signal = RwSignal::new(links);
    let refuse = Rc::new(RefCell::new(None::<ApiError>));
    let (refuse_peering, refuse_link) = (refuse.clone(), refuse.clone());
    let log = calls.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        provide_context(I18n::with(lang));
        let (l1, l2, l3, l4) = (log.clone(), log.clone(), log.clone(), log.clone());
        let create_peering = Action::new_local(move |req: &CreatePeeringRequest| {
            l1.borrow_mut().peerings.push(req.clone());
            let mut p = peering("new", &req.peer_cidr, PeeringStatus::PendingAcceptance);
            p.peering_id = req.peering_id.clone();
            let answer = refuse_peering.borrow().clone().map_or(Ok(p), Err);
            async move { answer }
        });
        let create_link = Action::new_local(move |req: &CreatePrivateLinkRequest| {
            l2.borrow_mut().links.push(req.clone());
            let l = link(
                "l-new",
                &req.service_id,
                PrivateLinkStatus::PendingAcceptance,
            );
            let answer = refuse_link.borrow().clone().map_or(Ok(l), Err);
            async move { answer }
        });
        let change_peering = Action::new_local(move |input: &(String, Change, i64)| {
            l3.borrow_mut().changes.push(input.clone());
            let p = peering(&input.0, "172.31.0.0/16", PeeringStatus::Deleting);
            async move { Ok::<_, ApiError>(p) }
        });
        let change_link = Action::new_local(move |input: &(String, Change, i64)| {
            l4.borrow_mut().changes.push(input.clone());
            let l = link(&input.0, "epsrv-x", PrivateLinkStatus::Deleting);
            async move { Ok::<_, ApiError>(l) }
        });
        let actions = NetworkActions {
            create_peering,
            create_link,
            change_peering,
            change_link,
        };
        view! {
            <NetworkView
                network=Signal::stored(net.clone())
                peerings=Signal::stored(peerings.clone())
                links=links_signal
                can_manage=Signal::stored(can_manage)
                actions=actions
                on_stale=|()| {}
            />
        }
        .into_any()
    });
    Mounted {
        root,
        calls,
        links: links_signal,
        refuse,
        _handle: handle,
    }
}

fn exists(root: &web_sys::HtmlElement, css: &str) -> bool {
    find(root, css).is_some()
}

fn text(root: &web_sys::HtmlElement, css: &str) -> String {
    text_of(root, css).unwrap_or_else(|| panic!("no {css}"))
}

/// Whether the element `css` holds some text.
fn has_text(root: &web_sys::HtmlElement, css: &str) -> bool {
    text_of(root, css).is_some_and(|t| !t.is_empty())
}

fn button(root: &web_sys::HtmlElement, css: &str) -> web_sys::HtmlButtonElement {
    find(root, css).unwrap().unchecked_into()
}

#[wasm_bindgen_test]
async fn the_aws_peering_form_explains_an_overlap_with_both_ranges_and_sends_a_valid_request() {
    let m = mount(
        Lang::En,
        network(Cloud::Aws, "us-east-1", "123456789012", true),
        vec![peering("p1", "172.31.0.0/16", PeeringStatus::Active)],
        vec![],
        true,
    );
    appears(&m.root, "[data-testid=peering-row]").await;
    // The deployment's side, to enter on the AWS side.
    assert!(text(&m.root, "[data-testid=network-vpc-id]").contains("vpc-0123456789abcdef0"));
    assert!(text(&m.root, "[data-testid=network-account]").contains("123456789012"));
    assert!(text(&m.root, "[data-testid=network-cidr]").contains("10.0.0.0/16"));
    assert!(exists(&m.root, "[data-testid=network-vpc-id-copy]"));
    assert_eq!(
        find(
            &m.root,
            "[data-testid=peering-row] [data-testid=peering-status]"
        )
        .unwrap()
        .get_attribute("data-status")
        .as_deref(),
        Some("active")
    );

    click(&m.root, "[data-testid=peering-add]");
    appears(&m.root, "[data-testid=peering-form]").await;
    // The AWS form: peering ID, account, VPC; not the Google Cloud fields.
    assert!(exists(&m.root, "#peering-peering-id"));
    assert!(exists(&m.root, "#peering-account-id"));
    assert!(exists(&m.root, "#peering-vpc-id"));
    assert!(!exists(&m.root, "#peering-project-id"));

    type_into(&m.root, "#peering-peering-id", "pxc-0a1b2c3d");
    type_into(&m.root, "#peering-peer-cidr", "10.0.128.0/20");
    until("the errors beside both fields", || {
        has_text(&m.root, "#peering-peering-id-error")
            && has_text(&m.root, "#peering-peer-cidr-error")
    })
    .await;
    let id_error = text(&m.root, "#peering-peering-id-error");
    assert!(id_error.contains("\"pcx-\""), "{id_error}");
    let overlap = text(&m.root, "#peering-peer-cidr-error");
    assert!(
        overlap.contains("10.0.128.0/20") && overlap.contains("10.0.0.0/16"),
        "both ranges are named: {overlap}"
    );
    // Overlapping a live peering names that peering and its range.
    type_into(&m.root, "#peering-peer-cidr", "172.31.4.0/24");
    until("the range's error to name the live peering", || {
        text(&m.root, "#peering-peer-cidr-error") != overlap
    })
    .await;
    let overlap = text(&m.root, "#peering-peer-cidr-error");
    assert!(
        overlap.contains("172.31.0.0/16") && overlap.contains("pcx-p1aaaaaaa"),
        "{overlap}"
    );

    // Submitting with errors sends nothing and marks the empty fields too.
    click(&m.root, "[data-testid=peering-create]");
    until("the empty fields marked", || {
        has_text(&m.root, "#peering-account-id-error")
    })
    .await;
    stays("nothing was sent", || m.calls.borrow().peerings.is_empty()).await;
    assert!(!text(&m.root, "#peering-account-id-error").is_empty());

    type_into(&m.root, "#peering-peering-id", "pcx-0a1b2c3d4e5f67890");
    type_into(&m.root, "#peering-account-id", "210987654321");
    type_into(&m.root, "#peering-vpc-id", "vpc-0fedcba9");
    type_into(&m.root, "#peering-peer-cidr", "192.168.0.0/24");
    until("the range's error to clear", || {
        !has_text(&m.root, "#peering-peer-cidr-error")
    })
    .await;
    assert_eq!(text(&m.root, "#peering-peer-cidr-error"), "");
    click(&m.root, "[data-testid=peering-create]");
    until("the form to close on the answer", || {
        !exists(&m.root, "[data-testid=peering-form]")
            && has_text(&m.root, "[data-testid=peering-done]")
    })
    .await;
    let sent = m.calls.borrow().peerings.clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].peering_id.as_deref(), Some("pcx-0a1b2c3d4e5f67890"));
    assert_eq!(sent[0].peer_cidr, "192.168.0.0/24");
    assert_eq!(sent[0].peer_project_id, None, "no other cloud's fields");
    assert!(
        !exists(&m.root, "[data-testid=peering-form]"),
        "the form closed"
    );
    assert!(!text(&m.root, "[data-testid=peering-done]").is_empty());
}

#[wasm_bindgen_test]
async fn the_gcp_form_asks_for_project_and_network() {
    let m = mount(
        Lang::En,
        network(Cloud::Gcp, "us-east1", "byoc-host-1", true),
        vec![],
        vec![],
        true,
    );
    appears(&m.root, "[data-testid=peerings-empty]").await;
    assert!(exists(&m.root, "[data-testid=peerings-empty]"));
    click(&m.root, "[data-testid=peering-add]");
    appears(&m.root, "[data-testid=peering-form]").await;
    assert!(exists(&m.root, "#peering-project-id"));
    assert!(exists(&m.root, "#peering-network"));
    assert!(!exists(&m.root, "#peering-peering-id"));
}

#[wasm_bindgen_test]
async fn the_privatelink_wizard_walks_the_seed_steps_and_follows_the_link_until_it_runs() {
    let m = mount(
        Lang::En,
        network(Cloud::Aliyun, "cn-shenzhen", "1234567890123456", true),
        vec![],
        vec![link(
            "l-old",
            "epsrv-hp3vpx8yqxblby3iold0",
            PrivateLinkStatus::Running,
        )],
        true,
    );
    appears(&m.root, "[data-testid=privatelink-add]").await;
    click(&m.root, "[data-testid=privatelink-add]");
    appears(&m.root, "[data-testid=pl-notice]").await;
    // 1. The notice, with the seed's prerequisites and the deployment's zone.
    let notice = text(&m.root, "[data-testid=pl-notice]");
    assert!(notice.contains("service provider pays"), "{notice}");
    assert!(notice.contains("cn-shenzhen-d"), "{notice}");
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "[data-testid=pl-whitelist]").await;
    // 2. The account UID to whitelist, and the zone.
    assert_eq!(
        text(&m.root, "[data-testid=pl-principal]"),
        "1234567890123456"
    );
    assert!(exists(&m.root, "[data-testid=pl-principal-copy]"));
    assert_eq!(text(&m.root, "[data-testid=pl-zone]"), "cn-shenzhen-d");
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "[data-testid=pl-service]").await;
    // 3. The endpoint service ID: the region inside must be the deployment's. The input stays
    // the same element while the user types (nothing redraws it under their cursor).
    let input = find(&m.root, "#pl-service-id").unwrap();
    type_into(
        &m.root,
        "#pl-service-id",
        "com.aliyuncs.privatelink.cn-hangzhou.epsrv-hp3vpx8yqxblby3iabcd",
    );
    until("the service ID's error", || {
        has_text(&m.root, "#pl-service-id-error")
    })
    .await;
    let error = text(&m.root, "#pl-service-id-error");
    assert!(
        error.contains("cn-hangzhou") && error.contains("cn-shenzhen"),
        "{error}"
    );
    let again = find(&m.root, "#pl-service-id").unwrap();
    let again: &web_sys::Node = &again;
    assert!(input.is_same_node(Some(again)));
    // The example is in the deployment's region, so it passes the rule it illustrates.
    assert!(text(&m.root, "#pl-service-id-hint").contains("cn-shenzhen"));
    // One link per service: the existing one is named before the server would refuse.
    type_into(&m.root, "#pl-service-id", "epsrv-hp3vpx8yqxblby3iold0");
    until("the service ID's error to name the existing link", || {
        text(&m.root, "#pl-service-id-error") != error
    })
    .await;
    assert!(text(&m.root, "#pl-service-id-error").contains("already has a PrivateLink"));
    click(&m.root, "[data-testid=pl-create]");
    stays("nothing was sent", || m.calls.borrow().links.is_empty()).await;

    type_into(&m.root, "#pl-service-id", "epsrv-hp3vpx8yqxblby3iabcd");
    type_into(&m.root, "#pl-description", "Redis in prod");
    until("the service ID's error to clear", || {
        !has_text(&m.root, "#pl-service-id-error")
    })
    .await;
    assert_eq!(text(&m.root, "#pl-service-id-error"), "");
    click(&m.root, "[data-testid=pl-create]");
    until("the created link", || {
        exists(&m.root, "[data-testid=pl-created-status]")
    })
    .await;
    assert_eq!(
        m.calls.borrow().links[0],
        CreatePrivateLinkRequest {
            service_id: "epsrv-hp3vpx8yqxblby3iabcd".into(),
            description: Some("Redis in prod".into()),
        }
    );
    // 4. Created: allow it on the cloud side; the status follows the list.
    let created = text(&m.root, "[data-testid=pl-created]");
    assert!(created.contains("Allow"), "{created}");
    assert_eq!(
        find(&m.root, "[data-testid=pl-created-status]")
            .unwrap()
            .get_attribute("data-status")
            .as_deref(),
        Some("pending_acceptance")
    );
    let mut running = link(
        "l-new",
        "epsrv-hp3vpx8yqxblby3iabcd",
        PrivateLinkStatus::Running,
    );
    running.endpoint_domain =
        Some("ep-l-new.epsrv-hp3vpx8yqxblby3iabcd.cn-shenzhen.privatelink.aliyuncs.com".into());
    running.endpoint_ip = Some("10.0.3.7".into());
    m.links.update(|l| l.push(running));
    until("the link running, with its endpoint", || {
        exists(&m.root, "[data-testid=pl-running]")
            && exists(&m.root, "[data-testid=pl-endpoint-ip]")
    })
    .await;
    assert_eq!(
        find(&m.root, "[data-testid=pl-created-status]")
            .unwrap()
            .get_attribute("data-status")
            .as_deref(),
        Some("running")
    );
    assert!(text(&m.root, "[data-testid=pl-endpoint-domain]").starts_with("ep-l-new."));
    assert_eq!(text(&m.root, "[data-testid=pl-endpoint-ip]"), "10.0.3.7");
    assert!(exists(&m.root, "[data-testid=pl-endpoint-domain-copy]"));
    click(&m.root, "[data-testid=pl-close]");
    until("the wizard to close", || {
        !exists(&m.root, "[data-testid=pl-wizard]")
    })
    .await;
    assert!(!exists(&m.root, "[data-testid=pl-wizard]"));
}

#[wasm_bindgen_test]
async fn deleting_a_running_link_warns_as_the_seed_does_and_sends_the_version_shown() {
    let m = mount(
        Lang::ZhCn,
        network(Cloud::Aliyun, "cn-shenzhen", "1234567890123456", true),
        vec![],
        vec![
            link(
                "l1",
                "epsrv-hp3vpx8yqxblby3iabcd",
                PrivateLinkStatus::Running,
            ),
            link(
                "l2",
                "epsrv-hp3vpx8yqxblby3iffff",
                PrivateLinkStatus::Failed,
            ),
        ],
        true,
    );
    appears(&m.root, "[data-id=l2] [data-testid=privatelink-dismiss]").await;
    // A running link can be deleted, a failed one only dismissed.
    assert!(exists(
        &m.root,
        "[data-id=l1] [data-testid=privatelink-delete]"
    ));
    assert!(!exists(
        &m.root,
        "[data-id=l1] [data-testid=privatelink-dismiss]"
    ));
    assert!(exists(
        &m.root,
        "[data-id=l2] [data-testid=privatelink-dismiss]"
    ));
    assert!(!exists(
        &m.root,
        "[data-id=l2] [data-testid=privatelink-delete]"
    ));

    click(&m.root, "[data-id=l1] [data-testid=privatelink-delete]");
    appears(&m.root, "[data-testid=confirm-privatelink-delete-confirm]").await;
    let dialog = text(&m.root, "#confirm-privatelink-delete");
    assert!(dialog.contains("请先在此删除私网连接"), "{dialog}");
    assert!(dialog.contains("不存在任何关联的资源"), "{dialog}");
    stays("nothing before confirming", || {
        m.calls.borrow().changes.is_empty()
    })
    .await;
    button(&m.root, "[data-testid=confirm-privatelink-delete-confirm]").click();
    until("the deletion requested", || {
        has_text(&m.root, "[data-testid=privatelink-done]")
    })
    .await;
    assert_eq!(
        m.calls.borrow().changes,
        [("l1".to_owned(), Change::Delete, 2)]
    );
    assert!(!text(&m.root, "[data-testid=privatelink-done]").is_empty());

    click(&m.root, "[data-id=l2] [data-testid=privatelink-dismiss]");
    until("the dismissal sent", || m.calls.borrow().changes.len() > 1).await;
    assert_eq!(
        m.calls.borrow().changes.last(),
        Some(&("l2".to_owned(), Change::Dismiss, 2))
    );
}

#[wasm_bindgen_test]
async fn viewers_and_stopped_deployments_offer_nothing_to_change() {
    let m = mount(
        Lang::En,
        network(Cloud::Aws, "us-east-1", "123456789012", true),
        vec![peering("p1", "172.31.0.0/16", PeeringStatus::Active)],
        vec![link(
            "l1",
            "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a",
            PrivateLinkStatus::Running,
        )],
        false,
    );
    appears(&m.root, "[data-testid=network-read-only]").await;
    stays("no add or delete button for a viewer", || {
        [
            "peering-add",
            "privatelink-add",
            "peering-delete",
            "privatelink-delete",
        ]
        .iter()
        .all(|absent| !exists(&m.root, &format!("[data-testid={absent}]")))
    })
    .await;

    let m = mount(
        Lang::En,
        network(Cloud::Aws, "us-east-1", "123456789012", false),
        vec![],
        vec![],
        true,
    );
    appears(&m.root, "[data-testid=network-not-running]").await;
    stays("nothing to add while stopped", || {
        !exists(&m.root, "[data-testid=peering-add]")
            && !exists(&m.root, "[data-testid=privatelink-add]")
    })
    .await;
}

#[wasm_bindgen_test]
async fn the_wizard_speaks_chinese_in_the_seed_words() {
    let m = mount(
        Lang::ZhCn,
        network(Cloud::Aliyun, "cn-shenzhen", "1234567890123456", true),
        vec![],
        vec![],
        true,
    );
    appears(&m.root, "[data-testid=privatelink-add]").await;
    assert_eq!(text(&m.root, "[data-testid=privatelink-add]"), "+私网连接");
    click(&m.root, "[data-testid=privatelink-add]");
    appears(&m.root, "[data-testid=pl-notice]").await;
    assert_eq!(text(&m.root, "[data-testid=pl-next]"), "了解并进入下一步");
    assert!(text(&m.root, "[data-testid=pl-notice]").contains("服务提供方付费"));
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "[data-testid=pl-whitelist]").await;
    assert_eq!(text(&m.root, "[data-testid=pl-next]"), "完成配置进入下一步");
    assert!(text(&m.root, "[data-testid=pl-whitelist]").contains("白名单"));
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "[data-testid=pl-create]").await;
    assert_eq!(text(&m.root, "[data-testid=pl-create]"), "创建私网连接");
    assert!(text(&m.root, "label[for=pl-service-id]").contains("终端节点服务实例 ID"));
}

#[wasm_bindgen_test]
async fn a_refused_create_says_why_in_the_users_language_until_the_request_changes() {
    let m = mount(
        Lang::ZhCn,
        network(Cloud::Aliyun, "cn-shenzhen", "1234567890123456", true),
        vec![],
        vec![],
        true,
    );
    *m.refuse.borrow_mut() = Some(ApiError::Conflict(Some(byoc_core::api::Problem {
        kind: "about:blank".into(),
        title: "Conflict".into(),
        status: 409,
        code: ProblemCode::PrivatelinkExists,
        detail: Some(
            "This deployment already has a PrivateLink to epsrv-… (it is running).".into(),
        ),
        errors: vec![],
        request_id: None,
        current_version: None,
        allowed_actions: vec![],
    })));
    appears(&m.root, "[data-testid=privatelink-add]").await;
    click(&m.root, "[data-testid=privatelink-add]");
    appears(&m.root, "[data-testid=pl-notice]").await;
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "[data-testid=pl-whitelist]").await;
    click(&m.root, "[data-testid=pl-next]");
    appears(&m.root, "#pl-service-id").await;
    type_into(&m.root, "#pl-service-id", "epsrv-hp3vpx8yqxblby3iabcd");
    click(&m.root, "[data-testid=pl-create]");
    until("the refusal", || {
        has_text(&m.root, "[data-testid=pl-error]")
    })
    .await;
    assert_eq!(m.calls.borrow().links.len(), 1);
    assert_eq!(
        text(&m.root, "[data-testid=pl-error]"),
        "该部署已有连接到该终端节点服务的私网连接（见下方列表）。",
        "the catalog's words, not a concurrent-edit message nor the server's English"
    );
    assert!(
        exists(&m.root, "[data-testid=pl-service]"),
        "still on the step"
    );
    type_into(&m.root, "#pl-service-id", "epsrv-hp3vpx8yqxblby3iffff");
    until("the refusal to clear", || {
        !has_text(&m.root, "[data-testid=pl-error]")
    })
    .await;
    assert_eq!(
        text(&m.root, "[data-testid=pl-error]"),
        "",
        "said of the request it judged only"
    );
}
