//! Network rules (SPEC §6): address ranges for deployment VPCs (and, with the network issue,
//! peering and PrivateLink).

pub mod cidr;

pub use cidr::{CidrError, VpcCidr};
