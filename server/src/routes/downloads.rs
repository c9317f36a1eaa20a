//! `/downloads/byoc-linux-amd64` and its `.sha256`: the toolkit binary this control plane was
//! built with, for the bootstrap machine (the guide shows how to fetch and check it) and for the
//! deployment's agent node, which checks the SHA-256 the toolkit put in its boot configuration.
//! The binary is `--toolkit-binary`, or `byoc` beside `byoc-server`.

use std::path::PathBuf;

use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use sha2::Digest;

use crate::error::AppError;
use crate::state::AppState;

pub const TOOLKIT: &str = "byoc-linux-amd64";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(&format!("/downloads/{TOOLKIT}"), get(binary))
        .route(&format!("/downloads/{TOOLKIT}.sha256"), get(checksum))
}

fn missing(path: &std::path::Path) -> AppError {
    AppError::NotFound {
        detail: crate::lang::Say::NoToolkitBinary.with(&[("path", &path.display())]),
    }
}

fn location(state: &AppState) -> PathBuf {
    state.config.toolkit_binary()
}

async fn read(state: &AppState) -> Result<(PathBuf, Vec<u8>), AppError> {
    let path = location(state);
    match tokio::fs::read(&path).await {
        Ok(bytes) => Ok((path, bytes)),
        Err(_) => Err(missing(&path)),
    }
}

fn hex_sha256(bytes: &[u8]) -> String {
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

async fn binary(State(state): State<AppState>) -> Result<Response, AppError> {
    let (_, bytes) = read(&state).await?;
    let (bytes, sum) = crate::blocking::run(&state, move || {
        let sum = hex_sha256(&bytes);
        (bytes, sum)
    })
    .await?;
    let mut resp = Body::from(bytes).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/octet-stream"),
    );
    h.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_static("attachment; filename=\"byoc\""),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(v) = HeaderValue::from_str(&format!("\"{sum}\"")) {
        h.insert(header::ETAG, v);
    }
    Ok(resp)
}

async fn checksum(State(state): State<AppState>) -> Result<Response, AppError> {
    let (_, bytes) = read(&state).await?;
    let sum = crate::blocking::run(&state, move || hex_sha256(&bytes)).await?;
    let mut resp = format!("{sum}  byoc\n").into_response();
    resp.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(resp)
}
