//! The tags step: up to ten key/value pairs for every cloud resource of the deployment; `core`
//! refuses the reserved `used-by`, duplicates and characters the clouds do not take.

use byoc_core::api::DeploymentField;
use byoc_core::lifecycle::names::MAX_TAGS;
use leptos::prelude::*;

use super::checks::Checks;
use super::draft::TagDraft;
use crate::i18n::{use_i18n, Msg};

#[component]
pub fn TagsStep(checks: Checks) -> impl IntoView {
    let i18n = use_i18n();
    let draft = checks.draft;
    let error = checks.error(DeploymentField::Tags, move || {
        draft.tags.with(|t| !t.is_empty())
    });
    let full = move || draft.tags.with(Vec::len) >= MAX_TAGS;

    let row = move |tag: TagDraft| {
        let id = tag.id;
        let key_id = format!("tag-key-{id}");
        let value_id = format!("tag-value-{id}");
        let read = move |pick: fn(&TagDraft) -> String| {
            move || {
                draft
                    .tags
                    .with(|rows| rows.iter().find(|t| t.id == id).map(pick))
                    .unwrap_or_default()
            }
        };
        view! {
            <div class="bc-form-row bc-tag" data-testid=format!("tag-row-{id}")>
                <div class="bc-field">
                    <label class="bc-field__label" for=key_id.clone()>
                        {move || i18n.t(Msg::TagKey)}
                    </label>
                    <input
                        class="bc-input"
                        id=key_id.clone()
                        data-testid=key_id
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=read(|t| t.key.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.edit_tag(id, |t| t.key = v);
                        }
                    />
                </div>
                <div class="bc-field">
                    <label class="bc-field__label" for=value_id.clone()>
                        {move || i18n.t(Msg::TagValue)}
                    </label>
                    <input
                        class="bc-input"
                        id=value_id.clone()
                        data-testid=value_id
                        type="text"
                        autocomplete="off"
                        spellcheck="false"
                        prop:value=read(|t| t.value.clone())
                        on:input=move |ev| {
                            let v = event_target_value(&ev);
                            draft.edit_tag(id, |t| t.value = v);
                        }
                    />
                </div>
                <button
                    class="bc-button bc-button--small bc-button--danger-outline bc-tag__remove"
                    type="button"
                    data-testid=format!("tag-remove-{id}")
                    on:click=move |_| draft.remove_tag(id)
                >
                    {move || i18n.t(Msg::Remove)}
                </button>
            </div>
        }
    };

    view! {
        <p class="bc-hint">{move || i18n.t(Msg::TagsIntro)}</p>
        <div data-testid="tags">
            <For each=move || draft.tags.get() key=|t| t.id children=row />
        </div>
        {move || {
            draft
                .tags
                .with(Vec::is_empty)
                .then(|| view! { <p class="bc-hint">{i18n.t(Msg::NoTags)}</p> })
        }}
        <p class="bc-field__error" role="alert" data-testid="tags-error">
            {move || error.get()}
        </p>
        <button
            class="bc-button"
            type="button"
            data-testid="tag-add"
            disabled=full
            on:click=move |_| draft.add_tag()
        >
            {move || i18n.t(Msg::AddTag)}
        </button>
    }
}
