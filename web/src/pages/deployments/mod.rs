//! Deployments (SPEC §7, §10): a project's list, the create wizard, and one deployment's page
//! with its bootstrap guide, network tab and danger zone.

pub mod detail;
pub mod filters;
pub mod keys;
mod list;
pub mod network;
pub mod project_scope;
pub mod table;
pub mod wizard;

pub use detail::DeploymentPage;
pub use list::DeploymentsPage;
pub use wizard::NewDeploymentPage;
