//! Component tests in headless Chromium: the users table shows every user, and the controls to
//! change them only to an owner (decided by `core::access::can`).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::cell::RefCell;
use std::rc::Rc;

use byoc_core::access::OrgRole;
use byoc_core::api::User;
use byoc_web::components::users_table::UsersTable;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

mod dom;
use dom::{appears, click, container, stays, until};

fn count(root: &web_sys::HtmlElement, css: &str) -> u32 {
    root.query_selector_all(css).unwrap().length()
}

fn user(id: &str, username: &str, org_role: OrgRole) -> User {
    User {
        id: id.into(),
        username: username.into(),
        org_role,
        created_at: "2026-03-01T08:00:00Z".parse().unwrap(),
        version: 3,
    }
}

fn users() -> Vec<User> {
    vec![
        user("u1", "admin", OrgRole::Owner),
        user("u2", "alice", OrgRole::Member),
        user("u3", "bob", OrgRole::Member),
    ]
}

#[derive(Default)]
struct Calls {
    roles: Vec<(String, OrgRole)>,
    resets: Vec<String>,
    removals: Vec<String>,
}

struct Mounted {
    root: web_sys::HtmlElement,
    calls: Rc<RefCell<Calls>>,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

fn mount(viewer_role: OrgRole, viewer_id: &'static str) -> Mounted {
    let root = container();
    let calls = Rc::new(RefCell::new(Calls::default()));
    let (c1, c2, c3) = (calls.clone(), calls.clone(), calls.clone());
    // Callbacks must be Send + Sync; the test runs on one thread, so the Rc is never shared.
    let (c1, c2, c3) = (
        send_wrapper::SendWrapper::new(c1),
        send_wrapper::SendWrapper::new(c2),
        send_wrapper::SendWrapper::new(c3),
    );
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let (c1, c2, c3) = (c1.clone(), c2.clone(), c3.clone());
        view! {
            <UsersTable
                users=Signal::stored(users())
                viewer_role=viewer_role
                viewer_id=viewer_id
                on_role=move |(u, r): (User, OrgRole)| c1.borrow_mut().roles.push((u.username, r))
                on_reset=move |u: User| c2.borrow_mut().resets.push(u.username)
                on_remove=move |u: User| c3.borrow_mut().removals.push(u.username)
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

#[wasm_bindgen_test]
async fn an_owner_sees_every_user_with_controls_except_on_their_own_row() {
    let m = mount(OrgRole::Owner, "u1");
    appears(&m.root, "[data-testid=user-row-alice]").await;
    assert_eq!(count(&m.root, "tbody tr"), 3);
    let alice = m
        .root
        .query_selector("[data-testid=user-row-alice]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(alice.contains("alice"), "{alice}");

    let select: web_sys::HtmlSelectElement = m
        .root
        .query_selector("[data-testid=user-role-alice]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    assert_eq!(select.value(), "member");
    assert_eq!(count(&m.root, "[data-testid=user-reset-bob]"), 1);
    // The owner cannot demote or remove themselves from here.
    assert_eq!(count(&m.root, "[data-testid=user-role-admin]"), 0);
    assert_eq!(count(&m.root, "[data-testid=user-remove-admin]"), 0);
    assert!(m
        .root
        .query_selector("[data-testid=user-row-admin]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
        .contains("Owner"));

    select.set_value("owner");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    click(&m.root, "[data-testid=user-reset-bob]");
    click(&m.root, "[data-testid=user-remove-alice]");
    until("the role, reset and removal to be asked for", || {
        let calls = m.calls.borrow();
        !calls.roles.is_empty() && !calls.resets.is_empty() && !calls.removals.is_empty()
    })
    .await;
    let calls = m.calls.borrow();
    assert_eq!(calls.roles, [("alice".to_owned(), OrgRole::Owner)]);
    assert_eq!(calls.resets, ["bob"]);
    assert_eq!(calls.removals, ["alice"]);
}

#[wasm_bindgen_test]
async fn a_member_sees_the_rows_but_no_control_to_change_them() {
    let m = mount(OrgRole::Member, "u2");
    appears(&m.root, "tbody tr").await;
    assert_eq!(count(&m.root, "tbody tr"), 3);
    stays("no select or button for a member", || {
        count(&m.root, "select") == 0 && count(&m.root, "button") == 0
    })
    .await;
    // No empty "Actions" column either.
    assert_eq!(count(&m.root, "thead th"), 3);
    let table = m.root.text_content().unwrap();
    for name in ["admin", "alice", "bob", "Owner", "Member"] {
        assert!(table.contains(name), "{name} in {table}");
    }
}
