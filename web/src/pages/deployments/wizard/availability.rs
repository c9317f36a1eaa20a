//! How the wizard learns what the project already uses — whether the name being typed is taken,
//! which deployments the range would overlap, a free range to start from — without downloading
//! every deployment: the server answers with core's rule (`lifecycle::spec::availability`).
//! Component tests answer with the same rule over a fixed list.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use byoc_core::api::DeploymentAvailability;

use crate::api::{self, ApiError};

pub type Answer = Pin<Box<dyn Future<Output = Result<DeploymentAvailability, ApiError>>>>;

/// The question: a name and a range to the answer.
type Ask = dyn Fn(&str, &str) -> Answer;

/// Asks what the project uses for a name and a range.
#[derive(Clone)]
pub struct Availability(Rc<Ask>);

impl Availability {
    /// Asks the control plane about the project `project_id`.
    pub fn server(project_id: String) -> Availability {
        Availability(Rc::new(move |name, vpc_cidr| {
            let (id, name, vpc_cidr) = (project_id.clone(), name.to_owned(), vpc_cidr.to_owned());
            Box::pin(async move { api::deployments::availability(&id, &name, &vpc_cidr).await })
        }))
    }

    /// Answers with `answer` (tests).
    pub fn new(answer: impl Fn(&str, &str) -> Answer + 'static) -> Availability {
        Availability(Rc::new(answer))
    }

    pub fn ask(&self, name: &str, vpc_cidr: &str) -> Answer {
        (self.0)(name, vpc_cidr)
    }
}
