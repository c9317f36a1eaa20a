//! The peering form of the deployment's cloud (`core::network::peering::peering_fields`),
//! checked by `core::network::validate_peering` as the user types: each identifier in its
//! cloud's format, and the peer range private and overlapping neither the deployment's VPC nor
//! a live peering (the message names both ranges).

use byoc_core::api::{CreatePeeringRequest, DeploymentNetwork, Peering};
use byoc_core::catalog::Cloud;
use byoc_core::network::peering::{live_ranges, peering_fields};
use byoc_core::network::{validate_peering, Cidr, LivePeer, NetworkError};
use leptos::prelude::*;

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
    fn of(&self, field: &str) -> Option<(RwSignal<String>, &'static str)> {
        Some(match field {
            "peering_id" => (self.peering_id, "peering-peering-id"),
            "peer_account_id" => (self.peer_account_id, "peering-account-id"),
            "peer_vpc_id" => (self.peer_vpc_id, "peering-vpc-id"),
            "peer_project_id" => (self.peer_project_id, "peering-project-id"),
            "peer_network" => (self.peer_network, "peering-network"),
            _ => return None,
        })
    }

    /// The request for `cloud`: only the fields its form shows.
    fn request(&self, cloud: Cloud) -> CreatePeeringRequest {
        let mut req = CreatePeeringRequest {
            peer_cidr: self.peer_cidr.get().trim().to_owned(),
            description: Some(self.description.get()).filter(|d| !d.trim().is_empty()),
            ..CreatePeeringRequest::default()
        };
        for (field, _) in peering_fields(cloud) {
            let value = self.of(field).map(|(s, _)| s.get().trim().to_owned());
            let slot = match *field {
                "peering_id" => &mut req.peering_id,
                "peer_account_id" => &mut req.peer_account_id,
                "peer_vpc_id" => &mut req.peer_vpc_id,
                "peer_project_id" => &mut req.peer_project_id,
                _ => &mut req.peer_network,
            };
            *slot = value;
        }
        req
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
    // Errors show for a field once it holds something, and for all after a submit.
    let tried = RwSignal::new(false);
    // Only answers to this form's own submissions count (the action outlives the form).
    let sent = StoredValue::new(false);
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
    let server_error = Signal::derive(move || {
        create
            .value()
            .get()
            .and_then(Result::err)
            .filter(|_| sent.get_value())
    });
    let error_of = move |field: &'static str, value: RwSignal<String>| {
        Signal::derive(move || {
            if !tried.get() && value.with(|v| v.trim().is_empty()) {
                return None;
            }
            let lang = i18n.lang.get();
            let ours: Vec<String> = problems.with(|p| {
                p.iter()
                    .filter(|e: &&NetworkError| e.field() == field)
                    .map(|e| e.message(lang))
                    .collect()
            });
            if !ours.is_empty() {
                return Some(ours.join(" "));
            }
            server_error
                .get()
                .and_then(|e| e.field_error(field).map(|f| f.message.clone()))
        })
    };

    Effect::new(move |_| {
        if let Some(Ok(_)) = create.value().get() {
            if !sent.get_value() {
                return;
            }
            sent.set_value(false);
            inputs.clear();
            tried.set(false);
            on_done.run(());
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        tried.set(true);
        if problems.with(Vec::is_empty) && !create.pending().get_untracked() {
            sent.set_value(true);
            create.dispatch_local(inputs.request(cloud.get_untracked()));
        }
    };
    // A refusal that is not about one field (the deployment stopped, the same peer network
    // peered already, the network) is said above the buttons.
    let general = move || {
        let e = server_error.get()?;
        if e.problem().is_some_and(|p| !p.errors.is_empty()) {
            return None;
        }
        let lang = i18n.lang.get();
        Some(super::change_error(&e, lang))
    };

    let id_fields = move || {
        peering_fields(cloud.get())
            .iter()
            .filter_map(|(field, kind)| {
                let (value, id) = inputs.of(field)?;
                let example = kind.example();
                Some(view! {
                    <TextField id=id label=labels::id_label(*kind) value=value error=error_of(field, value)
                        required=true placeholder=example
                        hint_text=Signal::derive(move || fill(i18n.t(Msg::ExampleValue), &[("example", example)]))/>
                })
            })
            .collect_view()
    };
    view! {
        <form class="bc-form bc-network__form" novalidate on:submit=submit data-testid="peering-form"
            aria-labelledby="peering-form-heading">
            <h3 class="bc-card__subtitle" id="peering-form-heading">{move || i18n.t(Msg::PeeringFormHeading)}</h3>
            {id_fields}
            <TextField id="peering-peer-cidr" label=Msg::PeerCidr value=inputs.peer_cidr
                error=error_of("peer_cidr", inputs.peer_cidr) required=true hint=Msg::PeerCidrHint
                placeholder="172.31.0.0/16"/>
            <TextField id="peering-description" label=Msg::DescriptionOptional value=inputs.description
                error=error_of("description", inputs.description)/>
            <p class="bc-field__error" role="alert" data-testid="peering-form-error">{general}</p>
            <div class="bc-toolbar">
                <button class="bc-button" type="button" data-testid="peering-cancel"
                    on:click=move |_| on_cancel.run(())>
                    {move || i18n.t(Msg::Cancel)}
                </button>
                <button class="bc-button bc-button--primary" type="submit" data-testid="peering-create"
                    disabled=move || create.pending().get()>
                    {move || i18n.t(Msg::CreatePeering)}
                </button>
            </div>
        </form>
    }
}
