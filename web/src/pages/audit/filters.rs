//! The audit log's filter form. Times are picked in the user's time zone and sent as RFC 3339.

use leptos::prelude::*;

use crate::api::audit::AuditFilter;
use crate::components::text_field::TextField;
use crate::i18n::{use_i18n, Msg};

/// A `datetime-local` value (`2026-05-01T10:00`, the user's local time) as RFC 3339 in UTC;
/// `None` when empty or unreadable.
pub fn local_time_to_rfc3339(value: &str) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    // Without a zone, `Date` reads this form as local time, which is what the picker shows.
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value));
    (!date.get_time().is_nan()).then(|| String::from(date.to_iso_string()))
}

#[component]
pub fn AuditFilters(#[prop(into)] on_apply: Callback<AuditFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let none = Signal::stored(None::<String>);
    let range_error = Signal::derive(move || {
        let (start, end) = (
            local_time_to_rfc3339(&from.get()),
            local_time_to_rfc3339(&to.get()),
        );
        // RFC 3339 in UTC with the same precision sorts as text.
        matches!((start, end), (Some(s), Some(e)) if s > e)
            .then(|| i18n.t(Msg::AuditRangeInverted).to_owned())
    });

    let current = move || AuditFilter {
        actor: actor.get_untracked(),
        action: action.get_untracked(),
        target: target.get_untracked(),
        from: local_time_to_rfc3339(&from.get_untracked()).unwrap_or_default(),
        to: local_time_to_rfc3339(&to.get_untracked()).unwrap_or_default(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if range_error.get_untracked().is_none() {
            on_apply.run(current());
        }
    };
    let clear = move |_| {
        for s in [actor, action, target, from, to] {
            s.set(String::new());
        }
        on_apply.run(AuditFilter::default());
    };

    view! {
        <form
            class="bc-form"
            on:submit=submit
            novalidate
            data-testid="audit-filters"
            aria-label=move || i18n.t(Msg::AuditFilters)
        >
            <div class="bc-form-row">
                <TextField id="audit-actor" label=Msg::AuditActor value=actor error=none />
                <TextField
                    id="audit-action"
                    label=Msg::AuditAction
                    value=action
                    error=none
                    hint=Msg::AuditActionHint
                />
                <TextField id="audit-target" label=Msg::AuditTarget value=target error=none />
            </div>
            <div class="bc-form-row">
                <TextField
                    id="audit-from"
                    label=Msg::AuditFrom
                    value=from
                    error=none
                    input_type="datetime-local"
                />
                <TextField
                    id="audit-to"
                    label=Msg::AuditTo
                    value=to
                    error=range_error
                    input_type="datetime-local"
                />
            </div>
            <div class="bc-toolbar">
                <button
                    class="bc-button bc-button--primary"
                    type="submit"
                    data-testid="audit-apply"
                >
                    {move || i18n.t(Msg::ApplyFilters)}
                </button>
                <button class="bc-button" type="button" on:click=clear>
                    {move || i18n.t(Msg::ClearFilters)}
                </button>
            </div>
        </form>
    }
}
