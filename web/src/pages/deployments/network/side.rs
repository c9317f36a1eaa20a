//! The deployment's side of a peering, as the cloud-side form asks for it: region, VPC, range
//! and the account hosting it, each ready to copy.

use byoc_core::api::DeploymentNetwork;
use byoc_core::catalog::Cloud;
use leptos::prelude::*;

use crate::components::copy_download::CopyButton;
use crate::i18n::{use_i18n, Msg};

/// What the account hosting a deployment is called on its cloud.
pub fn account_label(cloud: Cloud) -> Msg {
    match cloud {
        Cloud::Aws | Cloud::AwsCn => Msg::AccountId,
        Cloud::Aliyun => Msg::AccountUid,
        Cloud::Gcp => Msg::ProjectId,
    }
}

/// A fact with a copy button, or a dash (and the reason) while the toolkit has not reported it.
#[component]
pub fn CopyFact(
    label: Msg,
    testid: &'static str,
    /// The copy button's `data-testid`.
    copy_testid: &'static str,
    #[prop(into)] value: Signal<Option<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div>
            <dt>{move || i18n.t(label)}</dt>
            <dd data-testid=testid>
                {move || match value.get() {
                    Some(v) => {
                        view! {
                            <code>{v.clone()}</code>
                            " "
                            <CopyButton
                                text=Signal::derive(move || v.clone())
                                testid=copy_testid
                                what=label
                            />
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <span class="bc-hint" aria-hidden="true">
                                "—"
                            </span>
                            <span class="bc-visually-hidden">{i18n.t(Msg::NotYetReported)}</span>
                        }
                            .into_any()
                    }
                }}
            </dd>
        </div>
    }
}

#[component]
pub fn OurSide(#[prop(into)] network: Signal<DeploymentNetwork>) -> impl IntoView {
    let i18n = use_i18n();
    let cloud = move || network.with(|n| n.cloud);
    let vpc_label = move || {
        if cloud() == Cloud::Gcp {
            Msg::VpcNetworkName
        } else {
            Msg::VpcId
        }
    };
    view! {
        <h3 class="bc-card__subtitle">{move || i18n.t(Msg::OurSideHeading)}</h3>
        <dl class="bc-facts bc-facts--grid" data-testid="network-side">
            <CopyFact
                label=Msg::RegionName
                testid="network-region"
                copy_testid="network-region-copy"
                value=Signal::derive(move || Some(network.with(|n| n.region.clone())))
            />
            {move || {
                view! {
                    <CopyFact
                        label=vpc_label()
                        testid="network-vpc-id"
                        copy_testid="network-vpc-id-copy"
                        value=Signal::derive(move || network.with(|n| n.vpc_id.clone()))
                    />
                    <CopyFact
                        label=account_label(cloud())
                        testid="network-account"
                        copy_testid="network-account-copy"
                        value=Signal::derive(move || network.with(|n| n.account_id.clone()))
                    />
                }
            }}
            <CopyFact
                label=Msg::VpcCidr
                testid="network-cidr"
                copy_testid="network-cidr-copy"
                value=Signal::derive(move || Some(network.with(|n| n.vpc_cidr.clone())))
            />
        </dl>
    }
}
