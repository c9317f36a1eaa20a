//! The least-privilege policy for each operation, in tabs, with copy and download. Generated in
//! the browser by `core::policy`, byte for byte what the API serves.

use byoc_core::catalog::Cloud;
use byoc_core::policy::{policy, Operation, PolicyDocument, TagCondition};
use leptos::prelude::*;

use crate::components::copy_download::{CopyButton, DownloadButton};
use crate::i18n::{use_i18n, Msg};

fn operation_label(op: Operation) -> Msg {
    match op {
        Operation::Create => Msg::OpCreate,
        Operation::Delete => Msg::OpDelete,
        Operation::StopStart => Msg::OpStopStart,
    }
}

/// Every operation's policy in tabs; with `only`, that one operation's policy alone (the
/// wizard and the bootstrap guide show the policy the next step needs).
#[component]
pub fn PolicyViewer(
    #[prop(into)] cloud: Signal<Cloud>,
    #[prop(optional, into)] only: Option<Signal<Operation>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let operation = RwSignal::new(only.map_or(Operation::Create, |o| o.get_untracked()));
    if let Some(only) = only {
        Effect::new(move |_| operation.set(only.get()));
    }
    let document =
        Memo::new(move |_| policy(cloud.get(), operation.get(), &TagCondition::default()));
    let text = Signal::derive(move || document.with(PolicyDocument::to_text));
    let file_name =
        Signal::derive(move || document.with(|d| d.file_name(cloud.get(), operation.get())));
    let media_type = Signal::derive(move || document.with(PolicyDocument::media_type));
    let commands = move || match document.get() {
        PolicyDocument::GcpRole { commands, .. } => Some(view! {
            <p class="bc-hint">{move || i18n.t(Msg::GcloudCommandsIntro)}</p>
            <pre
                class="bc-code"
                data-testid="gcloud-commands"
                tabindex="0"
                role="region"
                aria-label=move || i18n.t(Msg::GcloudCommandsIntro)
            >
                <code>{commands.join("\n")}</code>
            </pre>
        }),
        PolicyDocument::Json(_) => None,
    };

    let tabs = Operation::ALL
        .into_iter()
        .map(|op| {
            let selected = move || operation.get() == op;
            view! {
                <button
                    type="button"
                    role="tab"
                    class="bc-tabs__tab"
                    id=format!("policy-tab-{}", op.code())
                    aria-selected=move || selected().to_string()
                    aria-controls="policy-panel"
                    tabindex=move || if selected() { "0" } else { "-1" }
                    on:click=move |_| operation.set(op)
                    on:keydown=move |ev| {
                        let all = Operation::ALL;
                        let i = all.iter().position(|o| *o == op).unwrap_or(0);
                        let next = match ev.key().as_str() {
                            "ArrowRight" => Some(all[(i + 1) % all.len()]),
                            "ArrowLeft" => Some(all[(i + all.len() - 1) % all.len()]),
                            _ => None,
                        };
                        if let Some(next) = next {
                            operation.set(next);
                            focus_tab(next);
                        }
                    }
                >
                    {move || i18n.t(operation_label(op))}
                </button>
            }
        })
        .collect_view();

    let body = move || {
        view! {
            <div class="bc-toolbar">
                <CopyButton text=text testid="policy-copy" />
                <DownloadButton
                    text=text
                    file_name=file_name
                    media_type=media_type
                    testid="policy-download"
                />
            </div>
            // It scrolls (a long document in a box of fixed height): the keyboard must reach it.
            <pre
                class="bc-code"
                data-testid="policy-text"
                tabindex="0"
                role="region"
                aria-label=move || i18n.t(Msg::PolicyHeading)
            >
                <code>{move || text.get()}</code>
            </pre>
            {commands}
        }
    };
    if only.is_some() {
        return view! {
            <div class="bc-policy" data-testid="policy-single">
                {body()}
            </div>
        }
        .into_any();
    }
    view! {
        <div class="bc-tabs" role="tablist" aria-label=move || i18n.t(Msg::PolicyHeading)>
            {tabs}
        </div>
        <div
            class="bc-tabs__panel"
            role="tabpanel"
            id="policy-panel"
            aria-labelledby=move || format!("policy-tab-{}", operation.get().code())
        >
            {body()}
        </div>
    }
    .into_any()
}

fn focus_tab(op: Operation) {
    use wasm_bindgen::JsCast;
    let el = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(&format!("policy-tab-{}", op.code())))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(el) = el {
        let _ = el.focus();
    }
}
