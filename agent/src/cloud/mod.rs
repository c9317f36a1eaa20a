//! Real provisioning: the toolkit executes `byoc_core::provision`'s plan against a cloud's API
//! with the customer's own credentials, which never leave this machine. AWS and AWS China are
//! provisioned for real; the other clouds stay simulated until their engines land.

pub mod aliyun;
pub mod aws;
pub mod state;
