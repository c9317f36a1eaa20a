//! The signed-in user's menu in the header: who they are, change password, sign out.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use leptos_router::NavigateOptions;

use crate::api;
use crate::components::change_password::ChangePasswordForm;
use crate::components::dialog::Dialog;
use crate::i18n::{use_i18n, Msg};
use crate::routes::Route;
use crate::session::use_session;

#[component]
pub fn UserMenu() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();
    let expanded = RwSignal::new(false);
    let changing = RwSignal::new(false);
    let status = RwSignal::new(None::<Msg>);
    let username =
        Signal::derive(move || session.me().map(|me| me.user.username).unwrap_or_default());

    let sign_out = Action::new_local(|_: &()| api::session::sign_out());
    Effect::new(move |_| {
        // Whatever the server said, this browser is signed out: a failed DELETE most likely
        // means the session had already ended.
        if sign_out.value().get().is_some() {
            navigate(
                &Route::SignIn.path(),
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
            session.set_signed_out();
        }
    });

    // Focus moving to something outside (a link, a field, Tab past the last item) closes the
    // menu. Focus going nowhere does not: Safari does not focus buttons on click, so closing then
    // would swallow the click on a menu item.
    let on_focusout = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        let menu = ev
            .current_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        let next = ev
            .related_target()
            .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
        if let (Some(menu), Some(next)) = (menu, next) {
            if !menu.contains(Some(&next)) {
                expanded.set(false);
            }
        }
    };

    // The item that opened the dialog is hidden with the menu by then: focus goes back to the
    // menu's button instead of being lost.
    let stop_changing = move || {
        changing.set(false);
        crate::browser::focus_after_render("[data-testid=user-menu]");
    };

    // Escape closes the menu, as for any disclosure.
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            expanded.set(false);
        }
    };

    view! {
        <div class="bc-user-menu" on:keydown=on_keydown on:focusout=on_focusout>
            <button
                class="bc-user-menu__button"
                type="button"
                data-testid="user-menu"
                aria-expanded=move || expanded.get().to_string()
                aria-controls="user-menu-panel"
                on:click=move |_| expanded.update(|e| *e = !*e)
            >
                <span class="bc-visually-hidden">{move || i18n.t(Msg::SignedInAs)}" "</span>
                <span data-testid="user-menu-name">{move || username.get()}</span>
                <span aria-hidden="true">" ▾"</span>
            </button>
            <div class="bc-user-menu__panel" id="user-menu-panel" hidden=move || !expanded.get()>
                <button
                    class="bc-user-menu__item"
                    type="button"
                    data-testid="change-password"
                    on:click=move |_| {
                        expanded.set(false);
                        status.set(None);
                        changing.set(true);
                    }
                >
                    {move || i18n.t(Msg::ChangePassword)}
                </button>
                <button
                    class="bc-user-menu__item"
                    type="button"
                    data-testid="sign-out"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        expanded.set(false);
                        sign_out.dispatch_local(());
                    }
                >
                    {move || i18n.t(Msg::SignOut)}
                </button>
            </div>
            <p class="bc-visually-hidden" role="status" aria-live="polite">
                {move || status.get().map(|m| i18n.t(m))}
            </p>
        </div>
        <Dialog
            id="change-password-dialog"
            open=changing
            title=Signal::derive(move || i18n.t(Msg::ChangePassword).to_owned())
            on_close=move |()| stop_changing()
        >
            <ChangePasswordForm
                username=username
                on_changed=move |()| {
                    stop_changing();
                    status.set(Some(Msg::PasswordChanged));
                }
                on_cancel=move |()| stop_changing()
            />
        </Dialog>
        {move || {
            (status.get() == Some(Msg::PasswordChanged))
                .then(|| {
                    view! {
                        <div class="bc-toast" data-testid="password-changed">
                            <p>{i18n.t(Msg::PasswordChanged)}</p>
                            <button
                                class="bc-button bc-button--small"
                                type="button"
                                on:click=move |_| status.set(None)
                            >
                                {i18n.t(Msg::Dismiss)}
                            </button>
                        </div>
                    }
                })
        }}
    }
}
