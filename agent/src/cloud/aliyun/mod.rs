//! Alibaba Cloud: the first piece of real provisioning there (issue "Real provisioning on Alibaba
//! Cloud"), the V3 request signature. The engine that executes core's plan follows.

pub mod sign;
