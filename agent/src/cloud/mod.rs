//! Real provisioning: the toolkit executes `byoc_core::provision`'s plan against a cloud's API
//! with the customer's own credentials, which never leave this machine. AWS, AWS China and
//! Alibaba Cloud are provisioned for real; Google Cloud stays simulated. What the engines share
//! (tags, waits, user data) is here.

use std::time::Duration;

use byoc_core::api::DeploymentOutputs;
use byoc_core::lifecycle::deployment::Operation;
use byoc_core::provision::{Detail, Plan, Resource, Role};

pub mod aliyun;
pub mod aws;
pub mod state;

/// What the toolkit's run loop needs of a cloud's engine.
pub trait Provisioner {
    /// Runs one phase of `op`; answers the line to report, or why it failed.
    fn run_phase(&mut self, op: Operation, phase: &str) -> Result<String, String>;
    /// What the console shows once create or start has finished.
    fn outputs(&self) -> DeploymentOutputs;
    /// Sets how the engine waits for the cloud.
    fn set_waits(&mut self, waits: Waits);
}

impl<U: UserData> Provisioner for aws::Engine<'_, U> {
    fn run_phase(&mut self, op: Operation, phase: &str) -> Result<String, String> {
        aws::Engine::run_phase(self, op, phase).map_err(|e| e.to_string())
    }
    fn outputs(&self) -> DeploymentOutputs {
        aws::Engine::outputs(self)
    }
    fn set_waits(&mut self, waits: Waits) {
        self.waits = waits;
    }
}

impl<U: UserData> Provisioner for aliyun::Engine<'_, U> {
    fn run_phase(&mut self, op: Operation, phase: &str) -> Result<String, String> {
        aliyun::Engine::run_phase(self, op, phase).map_err(|e| e.to_string())
    }
    fn outputs(&self) -> DeploymentOutputs {
        aliyun::Engine::outputs(self)
    }
    fn set_waits(&mut self, waits: Waits) {
        self.waits = waits;
    }
}

/// RFC 3986 percent-encoding, as both AWS's SigV4 / Query protocol and Alibaba Cloud's V3
/// signature define it: unreserved characters stay, every other byte is `%XX` in upper case.
pub fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Lower-case hex of bytes (digests, signatures).
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The tag that names a resource's key in the plan, so each step finds exactly its own.
pub const RESOURCE_TAG_KEY: &str = "byoc-resource";
/// The tag that says what an instance is for (broker, agent, image-builder).
pub const ROLE_TAG_KEY: &str = "byoc-role";

/// How the engine waits for the cloud.
#[derive(Clone, Debug)]
pub struct Waits {
    /// Between two looks at something that is changing state.
    pub poll: Duration,
    /// The image builder installs the broker and powers itself off.
    pub image_build: Duration,
    /// Instances running or stopped, images available, the load balancer active.
    pub state_change: Duration,
    /// Every broker target healthy.
    pub healthy: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            poll: Duration::from_secs(5),
            image_build: Duration::from_secs(30 * 60),
            state_change: Duration::from_secs(10 * 60),
            healthy: Duration::from_secs(15 * 60),
        }
    }
}

/// What a create passes to the instances at boot.
pub trait UserData {
    /// The cloud-init user data of an instance of the plan (not base64-encoded).
    fn user_data(&self, plan: &Plan, instance: &Resource) -> String;
}

pub fn instance_role(r: &Resource) -> Option<Role> {
    match r.detail {
        Detail::Instance { role, .. } => Some(role),
        _ => None,
    }
}

pub fn role_code(role: Role) -> &'static str {
    match role {
        Role::Broker => "broker",
        Role::Agent => "agent",
        Role::ImageBuilder => "image-builder",
    }
}

/// User data as both clouds take it: standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    use base64ct::Encoding;
    base64ct::Base64::encode_string(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_vectors() {
        for (plain, encoded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), encoded);
        }
    }
}
