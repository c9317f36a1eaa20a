//! The peering form of the deployment's cloud (`core::network::peering::peering_fields`),
//! checked by `core::network::validate_peering` as the user types: each identifier in its
//! cloud's format, and the peer range private and overlapping neither the deployment's VPC nor
//! a live peering (the message names both ranges).

use byoc_core::api::PeeringField;
use byoc_core::api::{CreatePeeringRequest, DeploymentNetwork, Peering};
use byoc_core::catalog::Cloud;
use byoc_core::network::cidr::{MAX_PEER_PREFIX, MIN_PEER_PREFIX};
use byoc_core::network::peering::{live_ranges, peering_fields};
use byoc_core::network::{validate_peering, Cidr, LivePeer};
use leptos::prelude::*;

use super::submission::Submission;
use super::CreatePeering;
use crate::components::text_field::TextField;
use crate::i18n::{fill, labels, use_i18n, Msg};

/// The form's inputs: one per request field any cloud asks for.
#[derive(Clone, Copy)]
struct Inputs {
    peering_id: RwSignal<String>,
    peer_account_id: RwSignal<String>,
    peer_vpc_id: RwSignal<String>,
    peer_project_id: RwSignal<String>,
    peer_network: RwSignal<String>,
    peer_cidr: RwSignal<String>,
    description: RwSignal<String>,
}

impl Inputs {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Inputs {
            peering_id: s(),
            peer_account_id: s(),
            peer_vpc_id: s(),
            peer_project_id: s(),
            peer_network: s(),
            peer_cidr: s(),
            description: s(),
        }
    }

    /// The input of a request field, and the element id it has on the page.
    fn of(&self, field: PeeringField) -> Option<(RwSignal<String>, &'static str)> {
        Some(match field {
            PeeringField::PeeringId => (self.peering_id, "peering-peering-id"),
            PeeringField::PeerAccountId => (self.peer_account_id, "peering-account-id"),
            PeeringField::PeerVpcId => (self.peer_vpc_id, "peering-vpc-id"),
            PeeringField::PeerProjectId => (self.peer_project_id, "peering-project-id"),
            PeeringField::PeerNetwork => (self.peer_network, "peering-network"),
            PeeringField::PeerCidr | PeeringField::Description => return None,
        })
    }

    /// The request for `cloud`: only the fields its form shows.
    fn request(&self, cloud: Cloud) -> CreatePeeringRequest {
        let shown = |field: PeeringField| {
            let asked = peering_fields(cloud).iter().any(|(f, _)| *f == field);
            let (value, _) = self.of(field).filter(|_| asked)?;
            Some(value.get().trim().to_owned())
        };
        CreatePeeringRequest {
            peer_cidr: self.peer_cidr.get().trim().to_owned(),
            peering_id: shown(PeeringField::PeeringId),
            peer_account_id: shown(PeeringField::PeerAccountId),
            peer_vpc_id: shown(PeeringField::PeerVpcId),
            peer_project_id: shown(PeeringField::PeerProjectId),
            peer_network: shown(PeeringField::PeerNetwork),
            description: Some(self.description.get()).filter(|d| !d.trim().is_empty()),
        }
    }

    fn clear(&self) {
        for s in [
            self.peering_id,
            self.peer_account_id,
            self.peer_vpc_id,
            self.peer_project_id,
            self.peer_network,
            self.peer_cidr,
            self.description,
        ] {
            s.set(String::new());
        }
    }
}

#[component]
pub fn PeeringForm(
    #[prop(into)] network: Signal<DeploymentNetwork>,
    #[prop(into)] peerings: Signal<Vec<Peering>>,
    create: CreatePeering,
    /// Told once the peering was requested.
    #[prop(into)]
    on_done: Callback<()>,
    #[prop(into)] on_cancel: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let inputs = Inputs::new();
    let cloud = Memo::new(move |_| network.with(|n| n.cloud));
    let problems = Memo::new(move |_| {
        let req = inputs.request(cloud.get());
        let Ok(ours) = Cidr::parse(&network.with(|n| n.vpc_cidr.clone())) else {
            return Vec::new();
        };
        let live = peerings.with(|p| live_ranges(p));
        let peers: Vec<LivePeer<'_>> = live
            .iter()
            .map(|(name, cidr)| LivePeer { name, cidr: *cidr })
            .collect();
        validate_peering(cloud.get(), &req, ours, &peers)
            .err()
            .unwrap_or_default()
    });
    let form = Submission::new(create, problems, move || inputs.request(cloud.get()));
    let error_of =
        move |field: PeeringField, value: RwSignal<String>| form.field_error(field, value, || None);
    form.on_created(move |_| {
        inputs.clear();
        on_done.run(());
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.submit(true);
    };
    let general = form.general_error();

    let id_fields = move || {
        peering_fields(cloud.get())
            .iter()
            .filter_map(|(field, kind)| {
                let (value, id) = inputs.of(*field)?;
                let example = kind.example();
                Some(view! {
                    <TextField
                        id=id
                        label=labels::id_label(*kind)
                        value=value
                        error=error_of(*field, value)
                        required=true
                        placeholder=example
                        hint_text=Signal::derive(move || fill(
                            i18n.t(Msg::ExampleValue),
                            &[("example", example)],
                        ))
                    />
                })
            })
            .collect_view()
    };
    view! {
        <form
            class="bc-form bc-network__form"
            novalidate
            on:submit=submit
            data-testid="peering-form"
            aria-labelledby="peering-form-heading"
        >
            <h3 class="bc-card__subtitle" id="peering-form-heading">
                {move || i18n.t(Msg::PeeringFormHeading)}
            </h3>
            {id_fields}
            <TextField
                id="peering-peer-cidr"
                label=Msg::PeerCidr
                value=inputs.peer_cidr
                error=error_of(PeeringField::PeerCidr, inputs.peer_cidr)
                required=true
                hint_text=Signal::derive(move || fill(
                    i18n.t(Msg::PeerCidrHint),
                    &[("min", &MIN_PEER_PREFIX.to_string()), ("max", &MAX_PEER_PREFIX.to_string())],
                ))
                placeholder="172.31.0.0/16"
            />
            <TextField
                id="peering-description"
                label=Msg::DescriptionOptional
                value=inputs.description
                error=error_of(PeeringField::Description, inputs.description)
            />
            <p class="bc-field__error" role="alert" data-testid="peering-form-error">
                {general}
            </p>
            <div class="bc-toolbar">
                <button
                    class="bc-button"
                    type="button"
                    data-testid="peering-cancel"
                    on:click=move |_| on_cancel.run(())
                >
                    {move || i18n.t(Msg::Cancel)}
                </button>
                <button
                    class="bc-button bc-button--primary"
                    type="submit"
                    data-testid="peering-create"
                    disabled=move || form.pending().get()
                >
                    {move || i18n.t(Msg::CreatePeering)}
                </button>
            </div>
        </form>
    }
}
