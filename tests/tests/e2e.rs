//! End-to-end tests, one binary: every file beside this one is a module (linked once instead of
//! once per file: a cold build's disk and link time; CI's disk filled). The tier runs them one at
//! a time (`--test-threads=1`), as it ran the files one at a time before.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

mod access;
mod accessibility;
mod aliyun_endpoint;
mod aws_moto;
mod catalog;
mod crypto_worker;
mod deployments;
mod keyboard;
mod licence;
mod network;
mod network_toolkit;
mod node_agent;
mod node_config;
mod overview;
mod parts;
mod prerequisites;
mod real_aws;
mod tls;
mod toolkit;
