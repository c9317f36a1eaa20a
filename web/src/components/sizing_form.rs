//! Sessions and TPS in, the recommended tier out, with node count and node type editable within
//! the rules. `core::sizing` decides everything; this only keeps what the user typed.

use byoc_core::api::{DeploymentField, FormField};
use byoc_core::catalog::Cloud;
use byoc_core::sizing::{size, Sizing, SizingError, SizingRequest};
use leptos::prelude::*;

use crate::i18n::{use_i18n, Msg};

/// What the user entered, kept as typed so nothing is lost while it is invalid.
#[derive(Clone, Copy, Debug)]
pub struct SizingInput {
    pub sessions: RwSignal<String>,
    pub tps: RwSignal<String>,
    pub nodes: RwSignal<Option<u8>>,
    pub node_type: RwSignal<Option<String>>,
}

/// Why the form has no sizing: a field that is not a number, or a rule of `core` it breaks.
#[derive(Clone, Debug, PartialEq)]
pub enum SizingProblem {
    NotANumber { field: DeploymentField },
    Rule(SizingError),
}

impl SizingProblem {
    pub fn field(&self) -> DeploymentField {
        match self {
            SizingProblem::NotANumber { field } => *field,
            SizingProblem::Rule(e) => e.field(),
        }
    }
}

impl SizingInput {
    pub fn new(sessions: u64, tps: u64) -> Self {
        SizingInput {
            sessions: RwSignal::new(sessions.to_string()),
            tps: RwSignal::new(tps.to_string()),
            nodes: RwSignal::new(None),
            node_type: RwSignal::new(None),
        }
    }

    /// What the user asked for on `cloud`, as `core` takes it (reactive); a field that is not a
    /// whole number is a problem of its own. Empty means 0, which `core` refuses in its words.
    pub fn request(&self, cloud: Cloud) -> Result<SizingRequest, SizingProblem> {
        let number = |text: String, field| {
            let t = text.trim().replace([',', '_', ' '], "");
            if t.is_empty() {
                return Ok(0);
            }
            t.parse::<u64>()
                .map_err(|_| SizingProblem::NotANumber { field })
        };
        Ok(SizingRequest {
            cloud,
            sessions: number(self.sessions.get(), DeploymentField::Sessions)?,
            tps: number(self.tps.get(), DeploymentField::Tps)?,
            nodes: self.nodes.get(),
            node_type: self.node_type.get(),
        })
    }

    /// The sizing for `cloud` (reactive).
    pub fn sizing(&self, cloud: Cloud) -> Result<Sizing, SizingProblem> {
        size(&self.request(cloud)?).map_err(SizingProblem::Rule)
    }
}

#[component]
pub fn SizingForm(
    #[prop(into)] cloud: Signal<Cloud>,
    input: SizingInput,
    #[prop(into)] sizing: Signal<Result<Sizing, SizingProblem>>,
) -> impl IntoView {
    let i18n = use_i18n();
    // Instance type names differ per cloud: a choice made for another cloud no longer applies.
    Effect::new(move |previous: Option<Cloud>| {
        let current = cloud.get();
        if previous.is_some_and(|p| p != current) {
            input.node_type.set(None);
        }
        current
    });

    let error_for = move |field: DeploymentField| {
        move || match sizing.get() {
            Err(problem) if problem.field() == field => Some(view! {
                <p class="bc-field__error" id=format!("{}-error", field.name()) role="alert">
                    {crate::i18n::errors::sizing_problem(&problem, i18n.lang.get())}
                </p>
            }),
            _ => None,
        }
    };
    let invalid = move |field: DeploymentField| {
        move || matches!(sizing.get(), Err(p) if p.field() == field).to_string()
    };

    let number_field = move |field: DeploymentField, label: Msg, value: RwSignal<String>| {
        let name = field.name();
        view! {
            <div class="bc-field">
                <label class="bc-field__label" for=format!("sizing-{name}")>
                    {move || i18n.t(label)}
                </label>
                <input
                    class="bc-input"
                    id=format!("sizing-{name}")
                    data-testid=format!("sizing-{name}")
                    type="text"
                    inputmode="numeric"
                    autocomplete="off"
                    prop:value=move || value.get()
                    on:input=move |ev| value.set(event_target_value(&ev))
                    aria-invalid=invalid(field)
                    aria-describedby=format!("{name}-error")
                />
                {error_for(field)}
            </div>
        }
    };

    let result =
        move || {
            sizing.get().ok().map(|s| {
            let types = s.allowed_node_types.clone();
            let current_type = s.node_type.name;
            let node_options = (s.min_nodes..=s.max_nodes)
                .map(|n| view! {
                    <option value=n.to_string() selected=n == s.nodes>
                        {n}
                    </option>
                })
                .collect_view();
            let type_options = types
                .into_iter()
                .map(|t| {
                    view! {
                        <option value=t.name selected=t.name == current_type>
                            {format!("{} — {} vCPU / {} GiB", t.name, t.vcpu, t.memory_gib)}
                        </option>
                    }
                })
                .collect_view();
            view! {
                <dl class="bc-facts" data-testid="sizing-result">
                    <div>
                        <dt>{i18n.t(Msg::SizingTier)}</dt>
                        <dd>{s.tier}</dd>
                    </div>
                    <div>
                        <dt>{i18n.t(Msg::SizingNodeType)}</dt>
                        <dd>
                            <code>{s.node_type.name}</code>
                            " ("
                            {s.node_type.vcpu}
                            " vCPU / "
                            {s.node_type.memory_gib}
                            " GiB)"
                        </dd>
                    </div>
                    <div>
                        <dt>{i18n.t(Msg::SizingNodes)}</dt>
                        <dd>{s.nodes}" + 1"</dd>
                    </div>
                    <div>
                        <dt>{i18n.t(Msg::SizingAgent)}</dt>
                        <dd>
                            <code>{s.agent_type.name}</code>
                        </dd>
                    </div>
                </dl>
                <div class="bc-form-row">
                    <div class="bc-field">
                        <label class="bc-field__label" for="sizing-nodes">
                            {i18n.t(Msg::SizingNodesChoice)}
                        </label>
                        <select
                            class="bc-select"
                            id="sizing-nodes"
                            data-testid="sizing-nodes"
                            on:change=move |ev| {
                                input.nodes.set(event_target_value(&ev).parse().ok())
                            }
                        >
                            {node_options}
                        </select>
                    </div>
                    <div class="bc-field">
                        <label class="bc-field__label" for="sizing-node-type">
                            {i18n.t(Msg::SizingNodeTypeChoice)}
                        </label>
                        <select
                            class="bc-select"
                            id="sizing-node-type"
                            data-testid="sizing-node-type"
                            on:change=move |ev| input.node_type.set(Some(event_target_value(&ev)))
                        >
                            {type_options}
                        </select>
                    </div>
                </div>
            }
        })
        };

    let reset = move |_| {
        input.nodes.set(None);
        input.node_type.set(None);
    };
    let overridden_and_broken = move || matches!(sizing.get(), Err(SizingProblem::Rule(ref e)) if matches!(e.field(), DeploymentField::Nodes | DeploymentField::NodeType));

    view! {
        <div class="bc-form-row">
            {number_field(DeploymentField::Sessions, Msg::SizingSessions, input.sessions)}
            {number_field(DeploymentField::Tps, Msg::SizingTps, input.tps)}
        </div>
        {error_for(DeploymentField::Nodes)}
        {error_for(DeploymentField::NodeType)}
        <Show when=overridden_and_broken>
            <button class="bc-button" type="button" on:click=reset>
                {move || i18n.t(Msg::SizingReset)}
            </button>
        </Show>
        <div aria-live="polite">{result}</div>
    }
}
