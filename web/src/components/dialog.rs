//! A modal dialog on the native `<dialog>` element: the browser traps focus, closes it on Escape
//! and restores focus afterwards, which a hand-made overlay would have to imitate.

use leptos::prelude::*;

#[component]
pub fn Dialog(
    /// `id` of the dialog; its title is `{id}-title`.
    id: &'static str,
    #[prop(into)] open: Signal<bool>,
    #[prop(into)] title: Signal<String>,
    /// Called when the dialog closes itself (Escape).
    #[prop(into)]
    on_close: Callback<()>,
    children: ChildrenFn,
) -> impl IntoView {
    let node = NodeRef::<leptos::html::Dialog>::new();
    Effect::new(move |_| {
        let want = open.get();
        let Some(dialog) = node.get() else { return };
        if want && !dialog.open() {
            // Fails only if the element is not in the document; the dialog then stays closed.
            let _ = dialog.show_modal();
        } else if !want && dialog.open() {
            dialog.close();
        }
    });
    let title_id = format!("{id}-title");
    let heading_id = title_id.clone();
    // The content is built only while open, so every opening starts from a fresh form.
    let children = StoredValue::new(children);
    view! {
        <dialog
            node_ref=node
            class="bc-dialog"
            id=id
            data-testid=id
            aria-labelledby=title_id
            on:close=move |_| {
                if open.get_untracked() {
                    on_close.run(());
                }
            }
        >
            <h2 class="bc-dialog__title" id=heading_id>
                {move || title.get()}
            </h2>
            <Show when=move || open.get()>{children.read_value()()}</Show>
        </dialog>
    }
}
