//! `/metrics` in Prometheus text format (SPEC §9): requests by route, method and status with
//! latency histograms (recorded by [`record`] around every routed request), deployments by
//! status, the agents' heartbeats and how recently they were seen, and the database pool and
//! write queue. Readable with `Authorization: Bearer <BYOC_METRICS_TOKEN>`, or from loopback when
//! no token is configured; anyone else gets a 401 or 403 problem, never the console.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use byoc_core::api::ProblemCode;
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 11] = [
    0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Default, Clone, Debug)]
struct Series {
    count: u64,
    sum_seconds: f64,
    /// Observations at or below each bucket's bound (cumulative, as Prometheus reads them).
    buckets: [u64; BUCKETS.len()],
}

/// The request figures of this process, by (route, method, status).
#[derive(Default, Debug)]
pub struct Metrics {
    requests: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        // A poisoned lock only means another request panicked mid-update: keep counting.
        let mut requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        let series = requests
            .entry((route.to_owned(), method.to_owned(), status))
            .or_default();
        series.count += 1;
        series.sum_seconds += seconds;
        for (bound, n) in BUCKETS.iter().zip(series.buckets.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
    }

    fn snapshot(&self) -> Vec<((String, String, u16), Series)> {
        let requests = self.requests.lock().unwrap_or_else(|e| e.into_inner());
        requests
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

/// Times every routed request under its route's pattern (`/api/v1/deployments/{id}`, never the
/// IDs themselves, so the series stay few).
pub async fn record(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(req).await;
    state.metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

pub fn routes() -> Router<AppState> {
    Router::new().route("/metrics", get(metrics))
}

/// Who may read the figures: the configured token's holder, or, with none configured, a client
/// on this machine.
pub fn may_read(token: Option<&str>, presented: Option<&str>, peer: Option<IpAddr>) -> bool {
    match token.filter(|t| !t.is_empty()) {
        // Compared as digests, so the comparison takes the same time wherever they differ.
        Some(token) => presented.is_some_and(|p| Sha256::digest(p) == Sha256::digest(token)),
        None => peer.is_some_and(|ip| ip.is_loopback()),
    }
}

async fn metrics(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let presented = bearer(req.headers());
    let token = state.config.metrics_token.as_deref();
    if !may_read(
        token,
        presented.as_deref(),
        crate::transport::socket_peer(req.extensions()),
    ) {
        return Err(match token {
            Some(_) if presented.is_none() => AppError::Unauthenticated {
                detail: crate::lang::Say::MetricsTokenMissing.text(),
            },
            _ => AppError::Forbidden {
                code: ProblemCode::Forbidden,
                detail: crate::lang::Say::MetricsForbidden.text(),
            },
        });
    }
    let mut out = String::new();
    requests(&mut out, &state.metrics.snapshot());
    kept_pages(&mut out, &state.pages);
    database(&mut out, &state).await?;
    let mut response = out.into_response();
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
    );
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn bearer(headers: &HeaderMap) -> Option<String> {
    headers
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?
        .strip_prefix("Bearer ")
        .map(|t| t.trim().to_owned())
}

/// A label value with `\`, `"` and line breaks escaped, as the text format requires.
fn label(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

fn requests(out: &mut String, series: &[((String, String, u16), Series)]) {
    let _ = writeln!(
        out,
        "# HELP byoc_http_requests_total Requests answered, by route pattern, method and status."
    );
    let _ = writeln!(out, "# TYPE byoc_http_requests_total counter");
    for ((route, method, status), s) in series {
        let _ = writeln!(
            out,
            "byoc_http_requests_total{{route=\"{}\",method=\"{method}\",status=\"{status}\"}} {}",
            label(route),
            s.count
        );
    }
    let _ = writeln!(
        out,
        "# HELP byoc_http_request_duration_seconds Time to answer, by route pattern and method."
    );
    let _ = writeln!(out, "# TYPE byoc_http_request_duration_seconds histogram");
    // One histogram per (route, method): statuses summed.
    let mut merged: BTreeMap<(&str, &str), Series> = BTreeMap::new();
    for ((route, method, _), s) in series {
        let m = merged.entry((route, method)).or_default();
        m.count += s.count;
        m.sum_seconds += s.sum_seconds;
        for (a, b) in m.buckets.iter_mut().zip(s.buckets) {
            *a += b;
        }
    }
    for ((route, method), s) in merged {
        let labels = format!("route=\"{}\",method=\"{method}\"", label(route));
        for (bound, n) in BUCKETS.iter().zip(s.buckets) {
            let _ = writeln!(
                out,
                "byoc_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {n}"
            );
        }
        let _ = writeln!(
            out,
            "byoc_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}",
            s.count
        );
        let _ = writeln!(
            out,
            "byoc_http_request_duration_seconds_sum{{{labels}}} {}",
            s.sum_seconds
        );
        let _ = writeln!(
            out,
            "byoc_http_request_duration_seconds_count{{{labels}}} {}",
            s.count
        );
    }
}

/// The deployments list's kept pages (`page_cache`): how often a question was answered from
/// memory, and what memory that takes, so an operator can tell whether `BYOC_PAGE_CACHE_MIB` is
/// worth raising.
fn kept_pages(out: &mut String, pages: &crate::page_cache::PageCache) {
    let (hits, misses) = pages.hits_and_misses();
    let _ = writeln!(
        out,
        "# HELP byoc_list_pages_total Deployments list pages asked for, by whether a kept page answered (hit) or the database did (miss)."
    );
    let _ = writeln!(out, "# TYPE byoc_list_pages_total counter");
    let _ = writeln!(out, "byoc_list_pages_total{{kept=\"hit\"}} {hits}");
    let _ = writeln!(out, "byoc_list_pages_total{{kept=\"miss\"}} {misses}");
    let _ = writeln!(
        out,
        "# HELP byoc_list_pages_kept_bytes Bytes of deployments list pages kept in this process."
    );
    let _ = writeln!(out, "# TYPE byoc_list_pages_kept_bytes gauge");
    let _ = writeln!(out, "byoc_list_pages_kept_bytes {}", pages.bytes());
}

async fn database(out: &mut String, state: &AppState) -> Result<(), AppError> {
    let mut conn = state.db.acquire().await?;
    let recent = crate::db::offset(chrono::Utc::now(), -5 * 60);
    let crate::db::metrics::Agents {
        by_status,
        reporting,
        oldest,
        never_seen,
    } = crate::db::metrics::agents(&mut conn, &recent).await?;
    drop(conn);
    let _ = writeln!(
        out,
        "# HELP byoc_deployments Deployments by status (deleted ones included)."
    );
    let _ = writeln!(out, "# TYPE byoc_deployments gauge");
    for (status, n) in by_status {
        let _ = writeln!(out, "byoc_deployments{{status=\"{}\"}} {n}", label(&status));
    }
    let _ = writeln!(
        out,
        "# HELP byoc_agents_reporting Running deployments whose agent was seen in the last 5 minutes."
    );
    let _ = writeln!(out, "# TYPE byoc_agents_reporting gauge");
    let _ = writeln!(out, "byoc_agents_reporting {reporting}");
    let _ = writeln!(
        out,
        "# HELP byoc_agents_never_seen Running deployments whose agent has not reported yet."
    );
    let _ = writeln!(out, "# TYPE byoc_agents_never_seen gauge");
    let _ = writeln!(out, "byoc_agents_never_seen {never_seen}");
    let oldest_age = oldest
        .map(|t| (chrono::Utc::now() - t.time()).num_seconds().max(0))
        .unwrap_or(0);
    let _ = writeln!(
        out,
        "# HELP byoc_agent_oldest_last_seen_seconds Seconds since the least recently seen agent of a running deployment reported (0 when none)."
    );
    let _ = writeln!(out, "# TYPE byoc_agent_oldest_last_seen_seconds gauge");
    let _ = writeln!(out, "byoc_agent_oldest_last_seen_seconds {oldest_age}");
    let (open, idle) = state.db.connections();
    let _ = writeln!(
        out,
        "# HELP byoc_db_connections Database connections open, and of them idle."
    );
    let _ = writeln!(out, "# TYPE byoc_db_connections gauge");
    let _ = writeln!(out, "byoc_db_connections{{state=\"open\"}} {open}");
    let _ = writeln!(out, "byoc_db_connections{{state=\"idle\"}} {idle}");
    let _ = writeln!(
        out,
        "# HELP byoc_db_writers_waiting Writes waiting for the writers' turn."
    );
    let _ = writeln!(out, "# TYPE byoc_db_writers_waiting gauge");
    let _ = writeln!(
        out,
        "byoc_db_writers_waiting {}",
        state.db.writers_waiting()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_token_or_loopback_may_read() {
        let local: IpAddr = "127.0.0.1".parse().unwrap();
        let far: IpAddr = "203.0.113.9".parse().unwrap();
        assert!(may_read(None, None, Some(local)));
        assert!(may_read(None, None, Some("::1".parse().unwrap())));
        assert!(!may_read(None, None, Some(far)));
        assert!(!may_read(None, None, None));
        assert!(may_read(Some("s3cret"), Some("s3cret"), Some(far)));
        // With a token configured, being on this machine is not enough.
        assert!(!may_read(Some("s3cret"), None, Some(local)));
        assert!(!may_read(Some("s3cret"), Some("guess"), Some(local)));
    }

    #[test]
    fn latencies_fall_into_cumulative_buckets() {
        let m = Metrics::default();
        m.observe("/api/v1/catalog", "GET", 200, 0.003);
        m.observe("/api/v1/catalog", "GET", 200, 0.2);
        let mut out = String::new();
        requests(&mut out, &m.snapshot());
        assert!(out.contains(
            "byoc_http_requests_total{route=\"/api/v1/catalog\",method=\"GET\",status=\"200\"} 2"
        ));
        assert!(out.contains("le=\"0.001\"} 0"));
        assert!(out.contains("le=\"0.005\"} 1"));
        assert!(out.contains("le=\"0.25\"} 2"));
        assert!(out.contains("le=\"+Inf\"} 2"));
        assert_eq!(label("a\"b\\c"), "a\\\"b\\\\c");
    }
}
