//! The bootstrap guide of the operation waiting for the toolkit: the command to run (with the
//! key when this page received it — the server shows a key only once), the key's countdown,
//! regenerating it, and the permission policy the operation needs.

use std::time::Duration;

use byoc_core::api::{BootstrapGuide, BootstrapKey};
use byoc_core::catalog::Cloud;
use byoc_core::lifecycle::toolkit::key_seconds_left;
use byoc_core::policy::Operation as PolicyOperation;
use chrono::{DateTime, Utc};
use leptos::prelude::*;

use crate::api::ApiError;
use crate::components::confirm_dialog::ConfirmDialog;
use crate::components::copy_download::CopyButton;
use crate::components::policy_viewer::PolicyViewer;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// Issues a new key for the waiting operation.
pub type RegenerateAction = Action<(), Result<BootstrapGuide, ApiError>>;

/// `h:mm:ss`, or `mm:ss` under an hour.
pub fn clock(seconds: i64) -> String {
    let s = seconds.max(0);
    let (h, m, s) = (s / 3600, (s / 60) % 60, s % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m:02}:{s:02}")
    }
}

/// The browser's clock, ticking every second while the component is mounted.
fn ticking_now() -> ReadSignal<DateTime<Utc>> {
    let (now, set_now) = signal(Utc::now());
    let handle =
        set_interval_with_handle(move || set_now.set(Utc::now()), Duration::from_secs(1)).ok();
    on_cleanup(move || {
        if let Some(h) = handle {
            h.clear();
        }
    });
    now
}

#[component]
pub fn BootstrapGuideView(
    #[prop(into)] guide: Signal<BootstrapGuide>,
    /// The key of this guide, when the page received it (after a create, an action or a
    /// regeneration); otherwise only the template can be shown.
    #[prop(into)]
    key: Signal<Option<BootstrapKey>>,
    #[prop(into)] cloud: Signal<Cloud>,
    can_operate: bool,
    regenerate: RegenerateAction,
) -> impl IntoView {
    let i18n = use_i18n();
    let now = ticking_now();
    let confirming = RwSignal::new(false);
    let expires = Memo::new(move |_| guide.with(|g| g.expires_at));
    let seconds_left = move || key_seconds_left(expires.get(), now.get());
    let key_line = move || {
        let lang = i18n.lang.get();
        let state = guide.with(|g| g.key_state.clone());
        let left = seconds_left();
        let (text, class) = match state.as_str() {
            "used" => (
                Msg::KeyUsed.text(lang).to_owned(),
                "bc-alert bc-alert--info",
            ),
            _ if state == "expired" || left == 0 => (
                Msg::KeyExpired.text(lang).to_owned(),
                "bc-alert bc-alert--warning",
            ),
            _ => (
                fill(Msg::KeyExpiresIn.text(lang), &[("time", &clock(left))]),
                "bc-countdown",
            ),
        };
        view! {
            <p
                class=class
                data-testid="bootstrap-countdown"
                data-seconds=left.to_string()
                data-key-state=state
            >
                {text}
            </p>
        }
    };
    let used = Memo::new(move |_| guide.with(|g| g.key_state == "used"));
    let command = move || {
        match key.get() {
            Some(k) => {
                let text = Signal::stored(k.command.clone());
                view! {
                    <p class="bc-alert bc-alert--success">
                        {move || i18n.t(Msg::BootstrapRunCommand)}
                    </p>
                    <pre class="bc-code bc-command">
                        <code data-testid="bootstrap-command">{k.command}</code>
                    </pre>
                    <div class="bc-toolbar">
                        <CopyButton text=text testid="bootstrap-copy" />
                    </div>
                }
                .into_any()
            }
            // The toolkit is at work with its key: nothing to run, unless it must start over (then
            // a new key, below).
            None if used.get() => ().into_any(),
            None => view! {
                <p class="bc-alert bc-alert--warning" data-testid="bootstrap-key-hidden">
                    {move || i18n.t(Msg::BootstrapKeyOnce)}
                </p>
                <pre class="bc-code bc-command">
                    <code data-testid="bootstrap-template">
                        {move || guide.with(|g| g.command_template.clone())}
                    </code>
                </pre>
            }
            .into_any(),
        }
    };
    // Fetching the toolkit and setting credentials come first; nothing to do once it runs.
    let prepare = move || {
        let lines = guide.with(|g| g.prepare.join("\n"));
        (!used.get() && !lines.is_empty()).then(|| {
            let text = Signal::stored(lines.clone());
            view! {
                <p class="bc-hint">{move || i18n.t(Msg::BootstrapPrepare)}</p>
                <pre class="bc-code bc-command">
                    <code data-testid="bootstrap-prepare">{lines}</code>
                </pre>
                <div class="bc-toolbar">
                    <CopyButton text=text testid="bootstrap-prepare-copy" />
                </div>
            }
        })
    };
    let operation = move || i18n.t(labels::operation(guide.with(|g| g.operation)));
    let policy_operation = Signal::derive(move || {
        guide.with(|g| {
            g.policy_operation
                .parse::<PolicyOperation>()
                .unwrap_or(PolicyOperation::Create)
        })
    });

    Effect::new(move |_| {
        if let Some(Ok(_)) = regenerate.value().get() {
            confirming.set(false);
        }
    });
    let regenerate_error = Signal::derive(move || {
        regenerate
            .value()
            .get()
            .and_then(Result::err)
            .map(|e| i18n.t(e.message()).to_owned())
    });

    view! {
        <section
            class="bc-card bc-bootstrap"
            aria-labelledby="bootstrap-heading"
            data-testid="bootstrap-guide"
        >
            <h2 class="bc-card__title" id="bootstrap-heading">
                {move || i18n.t(Msg::BootstrapGuideHeading)}
            </h2>
            <p>
                {move || i18n.t(Msg::BootstrapWaitingFor)}" "
                <strong data-testid="bootstrap-operation">{operation}</strong>
            </p>
            {prepare}
            {command}
            <div aria-live="polite">{key_line}</div>
            {can_operate
                .then(|| {
                    view! {
                        <div class="bc-toolbar">
                            <button
                                class="bc-button"
                                type="button"
                                data-testid="bootstrap-regenerate"
                                disabled=move || regenerate.pending().get()
                                on:click=move |_| {
                                    regenerate.clear();
                                    confirming.set(true);
                                }
                            >
                                {move || i18n.t(Msg::RegenerateKey)}
                            </button>
                        </div>
                    }
                })}
            <h3 class="bc-card__subtitle">{move || i18n.t(Msg::PolicyHeading)}</h3>
            <p class="bc-hint">{move || i18n.t(Msg::BootstrapPolicy)}</p>
            <PolicyViewer cloud=cloud only=policy_operation />
        </section>
        <ConfirmDialog
            id="regenerate-key"
            subject=Signal::derive(move || confirming.get().then(String::new))
            title=Signal::derive(move || i18n.t(Msg::RegenerateTitle).to_owned())
            body=Signal::derive(move || i18n.t(Msg::RegenerateBody).to_owned())
            confirm_label=Msg::RegenerateKey
            pending=regenerate.pending()
            error=regenerate_error
            on_confirm=move |()| {
                regenerate.dispatch_local(());
            }
            on_cancel=move |()| confirming.set(false)
        />
    }
}
