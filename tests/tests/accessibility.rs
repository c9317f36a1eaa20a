//! Issue 19 items 4 and 5 in a real browser: axe-core (WCAG 2.1 A and AA) over every page of the
//! console, each step of the create wizard and an open confirm dialog, in light and dark and in
//! English and 简体中文; the dark danger button's contrast measured; and at 360 px the header's
//! navigation folded into a menu and no page wider than the screen.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use crate::support;

use serde_json::json;
use support::a11y::{
    axe_source, axe_violations, choose_look, contrast, focused, overflowing, press, set_width,
    settle, widths, Lang, Theme, ESCAPE, LOOKS, PHONE_WIDTH, TAB,
};
use support::certs::DOMAIN;
use support::toolkit::{running, toolkit_binary, Running};
use support::{Harness, ADMIN, ADMIN_PASSWORD};

/// Every page behind the sign-in, with what shows it has loaded. `{project}` and `{deployment}`
/// stand for the ones [`populate`] makes. The sign-in page and the wizard's steps are walked on
/// their own (one needs no session, the other is one page in several states). A new page is one
/// line here (the Overview: `("/overview", &["…"])` once `Route::Overview` is built).
const PAGES: &[(&str, &[&str])] = &[
    ("/overview", &["[data-testid=overview-attention]"]),
    ("/projects", &["[data-testid=projects-table]"]),
    (
        "/deployments?project={project}",
        &["[data-testid=deployments-table]"],
    ),
    (
        "/deployments/{deployment}",
        &["[data-testid=deployment-detail]"],
    ),
    (
        "/deployments/{deployment}?tab=network",
        &["[data-testid=peering-row]", "[data-testid=privatelink-row]"],
    ),
    (
        "/prerequisites",
        &["[data-testid=region-table]", "[data-testid=policy-text]"],
    ),
    ("/licence", &["[data-testid=licence-page-status]"]),
    ("/audit", &["[data-testid=audit-table]"]),
    ("/access", &["[data-testid=users-table]"]),
    ("/tokens", &["[data-testid=tokens-table]"]),
    ("/no-such-page", &[".bc-page__title"]),
];

/// What the pages show: a project, a running AWS deployment (its simulated agent stays on) with
/// a peering and a PrivateLink waiting for the other side, and an API token.
struct Populated {
    project: String,
    deployment: Running,
}

async fn populate(h: &Harness) -> Populated {
    let (status, project) = h
        .api_send("POST", "/api/v1/projects", Some(json!({"name": "a11y"})))
        .await;
    assert_eq!(status, 201, "{project}");
    let project = project["id"].as_str().unwrap().to_owned();
    let byoc = toolkit_binary();
    let deployment = running(h, &byoc, &project, "mqtt-a11y", "aws", "us-east-1").await;
    let id = &deployment.id;
    let (status, link) = h
        .api_send(
            "POST",
            &format!("/api/v1/deployments/{id}/privatelinks"),
            Some(
                json!({"service_id": "com.amazonaws.vpce.us-east-1.vpce-svc-0654fb016640c364a",
                        "description": "Redis for rules"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{link}");
    let (status, peering) = h
        .api_send(
            "POST",
            &format!("/api/v1/deployments/{id}/peerings"),
            Some(
                json!({"peer_cidr": "172.31.0.0/16", "peering_id": "pcx-0a1b2c3d4e5f67890",
                        "peer_account_id": "210987654321", "peer_vpc_id": "vpc-0fedcba9"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{peering}");
    let (status, token) = h
        .api_send("POST", "/api/v1/tokens", Some(json!({"name": "ci"})))
        .await;
    assert_eq!(status, 201, "{token}");
    Populated {
        project,
        deployment,
    }
}

impl Populated {
    fn path(&self, template: &str) -> String {
        template
            .replace("{project}", &self.project)
            .replace("{deployment}", &self.deployment.id)
    }
}

/// Everything found wrong, gathered over all pages so one run shows them all.
#[derive(Default)]
struct Findings(Vec<String>);

impl Findings {
    /// Runs axe over what the browser shows now, under `what`.
    async fn axe(&mut self, h: &Harness, axe: &str, what: &str) {
        let violations = axe_violations(h, axe).await;
        if !violations.is_empty() {
            self.0.push(format!(
                "{what}: {} violation(s)\n{}",
                violations.len(),
                violations.join("")
            ));
        }
    }

    fn assert_none(self, of: &str) {
        assert!(
            self.0.is_empty(),
            "{of}: {} finding(s)\n\n{}",
            self.0.len(),
            self.0.join("\n")
        );
    }
}

/// Opens `path` in the given look and waits for `ready` and for nothing to be loading.
async fn show(h: &Harness, path: &str, ready: &[&str], theme: Theme, lang: Lang) {
    choose_look(h, theme, lang).await;
    h.open(path).await;
    for css in ready {
        h.wait_for(css).await;
    }
    settle(h, theme, lang).await;
}

/// The create wizard from its first step to the review, running `check` at each step (the
/// deployment is not created: every look walks it again).
async fn each_wizard_step(
    h: &Harness,
    project: &str,
    name: &str,
    findings: &mut Findings,
    axe: &str,
    look: &str,
) {
    h.open(&format!("/deployments/new?project={project}")).await;
    h.wait_for("#deployment-name").await;
    findings.axe(h, axe, &format!("wizard step 1 {look}")).await;
    h.type_into("#deployment-name", name).await;
    h.click("[data-testid=deployment-cloud-aws]").await;
    h.wait_for("#deployment-region")
        .await
        .select_by_value("us-east-1")
        .await
        .unwrap();
    h.click("[data-testid=wizard-next]").await;
    h.wait_for("#sizing-sessions").await;
    findings.axe(h, axe, &format!("wizard step 2 {look}")).await;
    h.type_into("#sizing-sessions", "10").await;
    h.type_into("#sizing-tps", "100").await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for("#deployment-vpc-cidr").await;
    findings.axe(h, axe, &format!("wizard step 3 {look}")).await;
    h.type_into("#deployment-vpc-cidr", "10.1.0.0/16").await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for("#deployment-domain").await;
    findings.axe(h, axe, &format!("wizard step 4 {look}")).await;
    h.type_into("#deployment-domain", DOMAIN).await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for("[data-testid=tags]").await;
    findings.axe(h, axe, &format!("wizard step 5 {look}")).await;
    h.click("[data-testid=wizard-next]").await;
    h.wait_for_text("[data-testid=plan-table]", &format!("{name}-vpc"))
        .await;
    findings.axe(h, axe, &format!("wizard review {look}")).await;
}

#[tokio::test]
#[ignore = "needs the built console, ChromeDriver and axe-core: run `cargo xtask test e2e`"]
async fn every_page_in_both_themes_and_languages_passes_axe_wcag21_aa() {
    let axe = axe_source();
    let h = Harness::start().await;
    let mut findings = Findings::default();

    h.open("/sign-in").await;
    for (theme, lang) in LOOKS {
        show(&h, "/sign-in", &["#sign-in-username"], theme, lang).await;
        findings
            .axe(&h, &axe, &format!("/sign-in {theme:?}/{lang:?}"))
            .await;
    }

    choose_look(&h, Theme::Light, Lang::En).await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let mut data = populate(&h).await;

    for (theme, lang) in LOOKS {
        let look = format!("{theme:?}/{lang:?}");
        for (template, ready) in PAGES {
            let path = data.path(template);
            show(&h, &path, ready, theme, lang).await;
            findings.axe(&h, &axe, &format!("{template} {look}")).await;
        }

        // A confirm dialog open, with its danger button enabled (revoking a token asks for no
        // typed name): axe sees the dialog, and the button's contrast is measured as well, since
        // axe leaves out text it cannot judge.
        show(&h, "/tokens", &["[data-testid=tokens-table]"], theme, lang).await;
        h.click("[data-testid=token-revoke-ci]").await;
        h.wait_for("#revoke-token[open] .bc-button--danger").await;
        findings
            .axe(&h, &axe, &format!("revoke-token dialog {look}"))
            .await;
        let ratio = contrast(&h, "#revoke-token .bc-button--danger").await;
        if ratio < 4.5 {
            findings.0.push(format!(
                "the danger button in {look}: contrast {ratio:.2}:1, below 4.5:1"
            ));
        }
        press(&h, &[ESCAPE]).await;
        h.wait_for("#revoke-token:not([open])").await;

        let name = format!("wiz-{}-{}", theme.key(), lang.tag().to_lowercase());
        each_wizard_step(&h, &data.project, &name, &mut findings, &axe, &look).await;
    }

    data.deployment.agent.kill().unwrap();
    h.stop().await;
    findings.assert_none("axe (WCAG 2.1 AA) over every page");
}

#[tokio::test]
#[ignore = "needs the built console, ChromeDriver and axe-core: run `cargo xtask test e2e`"]
async fn at_360_px_the_navigation_is_a_menu_and_no_page_scrolls_sideways() {
    let axe = axe_source();
    let h = Harness::start().await;
    set_width(&h, PHONE_WIDTH).await;
    let mut findings = Findings::default();
    let mut measured = Vec::new();

    h.open("/sign-in").await;
    choose_look(&h, Theme::Light, Lang::En).await;
    h.sign_in(ADMIN, ADMIN_PASSWORD).await;
    let mut data = populate(&h).await;

    // Chinese labels are shorter but unbroken; English ones longer: both must fit.
    for lang in [Lang::En, Lang::ZhCn] {
        for (template, ready) in PAGES {
            let path = data.path(template);
            show(&h, &path, ready, Theme::Light, lang).await;
            let (page, viewport) = widths(&h).await;
            measured.push(format!("{template} {lang:?}: {page} px"));
            if page > viewport {
                findings.0.push(format!(
                    "{template} {lang:?} is {page} px wide on a {viewport} px screen; past the \
                     edge: {:?}",
                    overflowing(&h).await
                ));
            }
            findings
                .axe(
                    &h,
                    &axe,
                    &format!("{template} {lang:?} at {PHONE_WIDTH} px"),
                )
                .await;
        }
    }
    eprintln!("widths at {PHONE_WIDTH} px:\n  {}", measured.join("\n  "));

    // The navigation is behind a menu button: closed at first, opened and closed by it, by
    // Escape (focus back on the button) and by choosing a link.
    show(
        &h,
        "/projects",
        &["[data-testid=projects-table]"],
        Theme::Light,
        Lang::En,
    )
    .await;
    let toggle = "[data-testid=nav-toggle]";
    h.wait_for(&format!("{toggle}[aria-expanded=false]")).await;
    assert!(
        !h.wait_for("[data-testid=nav-panel]")
            .await
            .is_displayed()
            .await
            .unwrap(),
        "the navigation is folded away at {PHONE_WIDTH} px"
    );
    h.click(toggle).await;
    h.wait_for(&format!("{toggle}[aria-expanded=true]")).await;
    let link = h
        .wait_for("[data-testid=nav-panel] a[href='/tokens']")
        .await;
    assert!(
        link.is_displayed().await.unwrap(),
        "the opened menu shows the links"
    );
    findings
        .axe(&h, &axe, &format!("the opened menu at {PHONE_WIDTH} px"))
        .await;
    link.click().await.unwrap();
    h.wait_for_location("/tokens").await;
    h.wait_for(&format!("{toggle}[aria-expanded=false]")).await;

    h.click(toggle).await;
    h.wait_for(&format!("{toggle}[aria-expanded=true]")).await;
    // Into the menu (its first link), then out with Escape.
    press(&h, &[TAB]).await;
    let (inside, _) = focused(&h).await;
    assert!(
        inside.starts_with("a"),
        "Tab goes into the opened menu: {inside}"
    );
    press(&h, &[ESCAPE]).await;
    h.wait_for(&format!("{toggle}[aria-expanded=false]")).await;
    let (back, shown) = focused(&h).await;
    assert!(
        back.contains("[data-testid=nav-toggle]") && shown,
        "Escape returns (visible) focus to the menu button: {back}"
    );

    data.deployment.agent.kill().unwrap();
    h.stop().await;
    findings.assert_none(&format!("pages at {PHONE_WIDTH} px"));
}
