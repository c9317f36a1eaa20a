//! `/api/v1/tokens`: a user's API tokens for automation. A token acts as its creator, so it never
//! has more permissions than the creator has at the time it is used.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use byoc_core::access::{TokenExpiry, TokenName};
use byoc_core::api::Problem;
use byoc_core::api::{ApiToken, CreateTokenRequest, CreatedToken, Page};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::Target;
use crate::auth::{secrets, Actor, TOKEN_PREFIX};
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::idempotency::Idempotent;
use crate::lang::{current, Say};
use crate::no_store::no_store;
use crate::state::AppState;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(revoke))
}

#[utoipa::path(
    get,
    path = "/tokens",
    tag = "tokens",
    summary = "Your API tokens",
    responses((status = 200, description = "Tokens (never their secrets)", body = Page<ApiToken>), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn list(
    State(state): State<AppState>,
    actor: Actor,
) -> Result<Json<Page<ApiToken>>, AppError> {
    let mut conn = state.db.acquire().await?;
    let items = db::tokens::list_for_user(&mut conn, &actor.user_id)
        .await?
        .iter()
        .map(db::tokens::TokenRow::to_api)
        .collect();
    Ok(Json(Page {
        items,
        next_cursor: None,
    }))
}

#[utoipa::path(
    post,
    path = "/tokens",
    tag = "tokens",
    summary = "Create an API token",
    params(("Idempotency-Key" = Option<String>, Header, description = "Makes a retried create safe")),
    request_body = CreateTokenRequest,
    responses((status = 201, description = "Created; the secret is shown this once", body = CreatedToken), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn create(
    State(state): State<AppState>,
    actor: Actor,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateTokenRequest>,
) -> Result<Response, AppError> {
    let name = TokenName::parse(&req.name)
        .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?;
    let expiry = TokenExpiry::days(req.expires_in_days.unwrap_or(TokenExpiry::DEFAULT_DAYS))
        .map_err(|e| AppError::field(e.field(), e.code(), e.message(current())))?;
    let idempotent = Idempotent::new(&headers, &actor.user_id, "POST /tokens", &req)?;
    let mut tx = db::write(&state.db).await?;
    if let Some(replayed) = idempotent.replay(&mut tx).await? {
        return Ok(replayed);
    }
    let secret = secrets::new_secret(TOKEN_PREFIX).map_err(AppError::internal)?;
    let now = db::now();
    let expires = db::offset(now.time(), i64::from(expiry.in_days()) * 24 * 3600);
    let token = db::tokens::insert(
        &mut tx,
        &actor.user_id,
        name.as_str(),
        &secrets::digest(&secret),
        &now,
        &expires,
    )
    .await?
    .to_api();
    db::audit::record(
        &mut tx,
        &actor.record(
            "token.create",
            Target::new("token", Some(&token.id)),
            Outcome::Success,
            token.name.clone(),
        ),
        &now,
    )
    .await?;
    // The replay carries no secret: it is never stored, not even here.
    let replay = CreatedToken {
        token: token.clone(),
        secret: None,
    };
    idempotent
        .remember(&mut tx, StatusCode::CREATED, &replay, &now)
        .await?;
    tx.commit().await?;
    Ok(no_store((
        StatusCode::CREATED,
        Json(CreatedToken {
            token,
            secret: Some(secret),
        }),
    )))
}

#[utoipa::path(
    delete,
    path = "/tokens/{id}",
    tag = "tokens",
    summary = "Revoke one of your tokens",
    params(("id" = String, Path, description = "Token id")),
    responses((status = 204, description = "Revoked"), (status = 404, description = "No such resource, or not visible to the caller", body = Problem, content_type = "application/problem+json"))
)]
pub async fn revoke(
    State(state): State<AppState>,
    actor: Actor,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    let not_found = || AppError::NotFound {
        detail: Say::NoSuchToken.text(),
    };
    let mut tx = db::write(&state.db).await?;
    let token = db::tokens::by_id(&mut tx, &id)
        .await?
        .ok_or_else(not_found)?;
    if token.user_id != actor.user_id {
        // Someone else's token is "not found": its existence is none of the caller's business.
        drop(tx);
        let target = Target::new("token", Some(&id));
        return Err(
            crate::audit::deny(&state.db, &actor, "token.revoke", target, not_found()).await,
        );
    }
    let now = db::now();
    db::tokens::revoke(&mut tx, &token.id, &now).await?;
    db::audit::record(
        &mut tx,
        &actor.record(
            "token.revoke",
            Target::new("token", Some(&token.id)),
            Outcome::Success,
            token.name.clone(),
        ),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
