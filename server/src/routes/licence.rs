//! `/api/v1/licence`: the licence in force, installing a new one (owners), the vendor public key
//! the console verifies with, and the history of installed licences.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::{can, Action};
use byoc_core::api::ProblemCode;
use byoc_core::api::{InstallLicenceRequest, LicenceRecord, LicenceView, Page, Problem};
use byoc_core::licence::{installable, public_key_pem, verify};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Target};
use crate::auth::Actor;
use crate::concurrency;
use crate::db;
use crate::db::audit::Outcome;
use crate::error::AppError;
use crate::lang::{self, Say};
use crate::licensing::in_force;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(show, install))
        .routes(routes!(public_key))
        .routes(routes!(history))
}

async fn view(state: &AppState) -> Result<LicenceView, AppError> {
    let now = chrono::Utc::now();
    let mut conn = state.db.acquire().await?;
    let current = in_force(state, &mut conn).await?;
    let live = db::deployments::licence_use(&mut conn, None).await?;
    let version = db::licences::version(&mut conn).await?;
    let usage = current.payload.usage(&live);
    Ok(LicenceView {
        version,
        source: current.source,
        status: current.payload.status(now),
        days_left: current.payload.days_left(now),
        usage,
        installed_at: current.installed_at,
        public_key_configured: state.licence_key.is_some(),
        licence: current.payload,
    })
}

/// The view with its version as `ETag`.
fn answer(view: LicenceView) -> Response {
    (concurrency::etag(view.version), Json(view)).into_response()
}

#[utoipa::path(get, path = "/licence", tag = "licence", summary = "The licence in force, its status and usage; its version is the ETag",
    responses((status = 200, description = "The licence", body = LicenceView),
              (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
pub async fn show(State(state): State<AppState>, _actor: Actor) -> Result<Response, AppError> {
    Ok(answer(view(&state).await?))
}

/// The licence line from a plain-text body or `{"licence": "…"}`.
fn line_from_body(headers: &HeaderMap, body: &Bytes) -> Result<String, AppError> {
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        serde_json::from_slice::<InstallLicenceRequest>(body)
            .map(|r| r.licence)
            .map_err(|e| AppError::MalformedBody {
                detail: Say::LicenceJsonExpected.with(&[("why", &e)]),
            })
    } else {
        String::from_utf8(body.to_vec())
            .map_err(|_| AppError::field("licence", "licence_not_text", Say::LicenceNotText.text()))
    }
}

#[utoipa::path(put, path = "/licence", tag = "licence", summary = "Install a licence (owners), with If-Match: the version of the licence view it replaces",
    params(("If-Match" = String, Header, description = "The licence view's version (its ETag), e.g. \"0\" before the first installation")),
    request_body(content = InstallLicenceRequest, description = "Or the licence line as a text/plain body"),
    responses((status = 200, description = "Installed; the previous licence is kept in the history", body = LicenceView),
              (status = 412, description = "If-Match names an older version: another licence was installed since", body = Problem, content_type = "application/problem+json"),
              (status = 428, description = "If-Match missing", body = Problem, content_type = "application/problem+json"),
              (status = 403, description = "Not an owner", body = Problem, content_type = "application/problem+json"),
              (status = 409, description = "No vendor public key configured", body = Problem, content_type = "application/problem+json"),
              (status = 422, description = "Not a valid licence; the error names why", body = Problem, content_type = "application/problem+json")))]
pub async fn install(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let action = "licence.install";
    if !can(actor.org_role, None, Action::ManageLicence) {
        let refusal = AppError::Forbidden {
            code: ProblemCode::Forbidden,
            detail: Say::OwnersInstallLicences.text(),
        };
        return Err(audit::deny(
            &state.db,
            &actor,
            action,
            Target::new("licence", None),
            refusal,
        )
        .await);
    }
    let expected = concurrency::if_match(&headers)?;
    let key = state.licence_key.as_ref().ok_or(AppError::Conflict {
        code: ProblemCode::LicenceKeyNotConfigured,
        detail: Say::NoLicenceKey.text(),
    })?;
    let text = line_from_body(&headers, &body)?;
    // Installing replaces the licence in force: one that is not valid now would stop all new
    // work (core's rule, the same the console applies before sending).
    let licence = installable(&text, key, chrono::Utc::now())
        .map_err(|e| AppError::field("licence", e.code(), e.message(lang::current())))?;
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    concurrency::check(expected, db::licences::version(&mut tx).await?)?;
    db::licences::install(
        &mut tx,
        &licence.payload.id,
        &licence.line,
        &actor.username,
        &now,
    )
    .await?;
    let detail = format!(
        "{} ({:?}, {} sessions, until {})",
        licence.payload.id,
        licence.payload.kind,
        licence.payload.max_sessions,
        licence.payload.valid_until.format("%Y-%m-%d")
    );
    let target = Target::new("licence", Some(&licence.payload.id));
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(answer(view(&state).await?))
}

#[utoipa::path(get, path = "/licence/public-key", tag = "licence", summary = "The vendor public key (PEM) the console verifies licences with",
    security(()),
    responses((status = 200, description = "PEM SubjectPublicKeyInfo", content_type = "application/x-pem-file"),
              (status = 404, description = "No key configured", body = Problem, content_type = "application/problem+json")))]
pub async fn public_key(State(state): State<AppState>) -> Result<Response, AppError> {
    let key = state.licence_key.as_ref().ok_or(AppError::NotFound {
        detail: Say::NoPublicKey.text(),
    })?;
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-pem-file"),
        )],
        public_key_pem(key),
    )
        .into_response())
}

#[utoipa::path(get, path = "/licence/history", tag = "licence", summary = "Installed licences, newest first",
    responses((status = 200, description = "History", body = Page<LicenceRecord>),
              (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json")))]
pub async fn history(
    State(state): State<AppState>,
    _actor: Actor,
) -> Result<Json<Page<LicenceRecord>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let rows = db::licences::history(&mut conn).await?;
    let items = rows
        .into_iter()
        .filter_map(|row| {
            // Entries that no longer verify (another vendor key) are left out rather than trusted.
            let licence = verify(&row.line, state.licence_key.as_ref()?).ok()?;
            Some(LicenceRecord {
                licence: licence.payload,
                installed_at: row.installed_at.time(),
                installed_by: row.installed_by,
                replaced_at: row.replaced_at.map(db::Stamp::time),
            })
        })
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}
