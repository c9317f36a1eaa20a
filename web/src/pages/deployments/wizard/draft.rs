//! What the user has entered in the wizard so far, kept as typed (so nothing is lost while it is
//! invalid, nor when moving between steps), and the request it makes for `core` to judge.

use byoc_core::api::DeploymentField;
use byoc_core::api::{CreateDeploymentRequest, Tag};
use byoc_core::catalog::Cloud;
use byoc_core::network::cidr::VpcCidr;
use leptos::prelude::*;

use crate::components::sizing_form::SizingInput;
use crate::components::tls_checker::CheckedCertificate;
use crate::i18n::Msg;

/// The wizard's steps, in order (SPEC §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Step {
    Cloud,
    Spec,
    Network,
    Domain,
    Tags,
    Review,
}

impl Step {
    pub const ALL: [Step; 6] = [
        Step::Cloud,
        Step::Spec,
        Step::Network,
        Step::Domain,
        Step::Tags,
        Step::Review,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Step::Cloud => "cloud",
            Step::Spec => "spec",
            Step::Network => "network",
            Step::Domain => "domain",
            Step::Tags => "tags",
            Step::Review => "review",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Step::Cloud => Msg::StepCloud,
            Step::Spec => Msg::SizingHeading,
            Step::Network => Msg::StepNetwork,
            Step::Domain => Msg::StepDomain,
            Step::Tags => Msg::StepTags,
            Step::Review => Msg::StepReview,
        }
    }

    /// The request fields this step asks for, as `core`'s errors name them.
    pub fn fields(self) -> &'static [DeploymentField] {
        use DeploymentField as F;
        match self {
            Step::Cloud => &[F::Name, F::Cloud, F::Region],
            Step::Spec => &[F::Sessions, F::Tps, F::Nodes, F::NodeType],
            Step::Network => &[F::VpcCidr],
            Step::Domain => &[F::Domain, F::CertificatePem],
            Step::Tags => &[F::Tags],
            Step::Review => &[],
        }
    }

    /// The step where `field` is entered.
    pub fn of_field(field: DeploymentField) -> Step {
        Step::ALL
            .into_iter()
            .find(|s| s.fields().contains(&field))
            .unwrap_or(Step::Review)
    }

    /// The step of a field the server named (the last one for a field this console does not
    /// know).
    pub fn of_named_field(name: &str) -> Step {
        DeploymentField::parse(name).map_or(Step::Review, Step::of_field)
    }

    pub fn index(self) -> usize {
        Step::ALL.iter().position(|s| *s == self).unwrap_or(0)
    }

    pub fn next(self) -> Step {
        Step::ALL.get(self.index() + 1).copied().unwrap_or(self)
    }

    pub fn previous(self) -> Step {
        self.index()
            .checked_sub(1)
            .and_then(|i| Step::ALL.get(i).copied())
            .unwrap_or(self)
    }
}

/// One tag row; `id` keeps the row (and the focus in it) stable while others come and go.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagDraft {
    pub id: u32,
    pub key: String,
    pub value: String,
}

impl TagDraft {
    fn is_blank(&self) -> bool {
        self.key.trim().is_empty() && self.value.trim().is_empty()
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Draft {
    pub name: RwSignal<String>,
    pub cloud: RwSignal<Cloud>,
    pub region: RwSignal<String>,
    pub sizing: SizingInput,
    pub vpc_cidr: RwSignal<String>,
    pub domain: RwSignal<String>,
    /// What the TLS checker concluded; it keeps the files (and the key) itself.
    pub certificate: RwSignal<CheckedCertificate>,
    pub tags: RwSignal<Vec<TagDraft>>,
    next_tag: StoredValue<u32>,
}

impl Draft {
    /// An empty draft on the first cloud, with `cidr` (a suggestion free in the project) filled in.
    pub fn new(cidr: Option<VpcCidr>) -> Self {
        let cloud = Cloud::ALL[0];
        Draft {
            name: RwSignal::new(String::new()),
            cloud: RwSignal::new(cloud),
            region: RwSignal::new(first_region(cloud)),
            sizing: SizingInput::new(1_000, 500),
            vpc_cidr: RwSignal::new(cidr.map(|c| c.to_string()).unwrap_or_default()),
            domain: RwSignal::new(String::new()),
            certificate: RwSignal::new(CheckedCertificate::default()),
            tags: RwSignal::new(Vec::new()),
            next_tag: StoredValue::new(0),
        }
    }

    /// The request as entered (reactive). A sessions or TPS field that is no number counts as
    /// 0 here; the sizing form says what is wrong with it.
    pub fn request(&self) -> CreateDeploymentRequest {
        let cloud = self.cloud.get();
        let sizing = self.sizing.request(cloud).ok();
        let certificate = self.certificate.get();
        CreateDeploymentRequest {
            name: self.name.get().trim().to_owned(),
            cloud: cloud.code().to_owned(),
            region: self.region.get(),
            vpc_cidr: self.vpc_cidr.get().trim().to_owned(),
            sessions: sizing.as_ref().map_or(0, |s| s.sessions),
            tps: sizing.as_ref().map_or(0, |s| s.tps),
            nodes: sizing.as_ref().and_then(|s| s.nodes).map(u32::from),
            node_type: sizing.and_then(|s| s.node_type),
            domain: self.domain.get().trim().to_owned(),
            // Only the public chain, and only once it passed: the key never leaves the checker.
            certificate_pem: certificate.bundle.filter(|_| certificate.passed),
            tags: self.tags.with(|rows| {
                rows.iter()
                    .filter(|t| !t.is_blank())
                    .map(|t| Tag {
                        key: t.key.clone(),
                        value: t.value.clone(),
                    })
                    .collect()
            }),
        }
    }

    pub fn add_tag(&self) {
        let id = self.next_tag.get_value();
        self.next_tag.set_value(id + 1);
        self.tags.update(|rows| {
            rows.push(TagDraft {
                id,
                key: String::new(),
                value: String::new(),
            })
        });
    }

    pub fn remove_tag(&self, id: u32) {
        self.tags.update(|rows| rows.retain(|t| t.id != id));
    }

    pub fn edit_tag(&self, id: u32, edit: impl FnOnce(&mut TagDraft)) {
        self.tags.update(|rows| {
            if let Some(row) = rows.iter_mut().find(|t| t.id == id) {
                edit(row);
            }
        });
    }
}

/// The region a cloud's picker starts at.
pub fn first_region(cloud: Cloud) -> String {
    cloud
        .regions()
        .first()
        .map(|r| r.code.to_owned())
        .unwrap_or_default()
}
