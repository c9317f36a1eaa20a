//! `/api/v1/session`: sign in (with slowdown and lockout), who am I, sign out, change password.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, put};
use axum::{Json, Router};
use byoc_core::access::{assess_sign_in, validate_password, SignInAssessment, WINDOW_SECONDS};
use byoc_core::api::Problem;
use byoc_core::api::{ChangePasswordRequest, Me, Membership, SignInRequest};

use crate::audit::{self, Target};
use crate::auth::{self, password, secrets, Actor, RequestMeta, Via};
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", get(who_am_i).post(sign_in).delete(sign_out))
        .route("/session/password", put(change_password))
}

/// The stricter of two assessments (per user and per address).
fn stricter(a: SignInAssessment, b: SignInAssessment) -> SignInAssessment {
    use SignInAssessment::*;
    match (a, b) {
        (
            Locked {
                retry_after_seconds: x,
            },
            Locked {
                retry_after_seconds: y,
            },
        ) => Locked {
            retry_after_seconds: x.max(y),
        },
        (l @ Locked { .. }, _) | (_, l @ Locked { .. }) => l,
        (Slow { delay_ms: x }, Slow { delay_ms: y }) => Slow { delay_ms: x.max(y) },
        (s @ Slow { .. }, _) | (_, s @ Slow { .. }) => s,
        (Allow, Allow) => Allow,
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/session",
    tag = "session",
    summary = "Sign in",
    request_body = SignInRequest,
    responses((status = 200, description = "Signed in; the session cookie is set", body = Me), (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"), (status = 429, description = "Too many failed attempts; see Retry-After", body = Problem, content_type = "application/problem+json"))
)]
pub async fn sign_in(
    State(state): State<AppState>,
    meta: RequestMeta,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Response, AppError> {
    let now_unix = chrono::Utc::now().timestamp();
    // Usernames are lowercase; counting the lowercase form stops "Admin"/"ADMIN" from dodging it.
    let username = req.username.trim().to_lowercase();
    let user_subject = format!("user:{username}");
    let addr_subject = format!("addr:{}", meta.source);
    let since = now_unix - WINDOW_SECONDS;
    let by_user = db::throttle::failures(&state.db, &user_subject, since).await?;
    let by_addr = db::throttle::failures(&state.db, &addr_subject, since).await?;
    let target = Target::new("session", None);
    match stricter(
        assess_sign_in(&by_user, now_unix),
        assess_sign_in(&by_addr, now_unix),
    ) {
        SignInAssessment::Locked {
            retry_after_seconds,
        } => {
            let record = audit::anonymous(
                &meta,
                &username,
                "session.create",
                target,
                Outcome::Denied,
                "locked out".into(),
            );
            audit::record_alone(&state.db, &record).await;
            return Err(AppError::TooManyAttempts {
                retry_after_seconds,
            });
        }
        SignInAssessment::Slow { delay_ms } => {
            tokio::time::sleep(std::time::Duration::from_millis(delay_ms)).await;
        }
        SignInAssessment::Allow => {}
    }

    let mut conn = state.db.acquire().await?;
    let user = db::users::by_username(&mut conn, &username).await?;
    drop(conn);
    let verified = match &user {
        Some(u) => password::verify(&req.password, &u.password_hash),
        None => {
            password::verify_dummy(&req.password);
            false
        }
    };
    let Some(user) = user.filter(|_| verified) else {
        db::throttle::record_failure(&state.db, &[&user_subject, &addr_subject], now_unix).await?;
        let record = audit::anonymous(
            &meta,
            &username,
            "session.create",
            target,
            Outcome::Failure,
            "wrong username or password".into(),
        );
        audit::record_alone(&state.db, &record).await;
        return Err(AppError::InvalidCredentials);
    };
    db::throttle::clear(&state.db, &user_subject).await?;

    let secret = secrets::new_secret(auth::SESSION_PREFIX).map_err(AppError::internal)?;
    let now = db::now();
    let expires = db::offset(&now, auth::SESSION_ABSOLUTE_SECONDS);
    let mut tx = db::write(&state.db).await?;
    db::sessions::create(&mut tx, &secrets::digest(&secret), &user.id, &now, &expires).await?;
    let actor = Actor {
        user_id: user.id.clone(),
        username: user.username.clone(),
        org_role: user.org_role.0,
        via: Via::Session {
            id_hash: secrets::digest(&secret),
        },
        meta,
    };
    db::audit::record(
        &mut tx,
        &actor.record(
            "session.create",
            Target::new("session", None),
            Outcome::Success,
            String::new(),
        ),
        &now,
    )
    .await?;
    let me = me(&mut tx, &actor).await?;
    tx.commit().await?;
    let cookie = session_cookie(&state, &secret, auth::SESSION_ABSOLUTE_SECONDS);
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// HttpOnly (scripts cannot read it), SameSite=Strict (not sent on cross-site requests), Secure
/// when the console is served over TLS.
fn session_cookie(state: &AppState, value: &str, max_age: i64) -> HeaderValue {
    let secure = if state.config.public_url().starts_with("https://") {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::SESSION_COOKIE
    );
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
}

async fn me(conn: &mut sqlx::SqliteConnection, actor: &Actor) -> Result<Me, AppError> {
    let user = db::users::by_id(conn, &actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated {
            detail: "This user no longer exists.".into(),
        })?;
    let projects = db::projects::memberships(conn, &actor.user_id)
        .await?
        .into_iter()
        .filter_map(|(project_id, project_name, role)| {
            Some(Membership {
                project_id,
                project_name,
                role: role.parse().ok()?,
            })
        })
        .collect();
    let via = match actor.via {
        Via::Session { .. } => "session",
        Via::Token { .. } => "token",
    };
    Ok(Me {
        user: user.to_api(),
        projects,
        via: via.to_owned(),
    })
}

#[utoipa::path(
    get,
    path = "/api/v1/session",
    tag = "session",
    summary = "Who is signed in",
    responses((status = 200, description = "The caller", body = Me), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn who_am_i(State(state): State<AppState>, actor: Actor) -> Result<Json<Me>, AppError> {
    let mut conn = state.db.acquire().await?;
    Ok(Json(me(&mut conn, &actor).await?))
}

#[utoipa::path(
    delete,
    path = "/api/v1/session",
    tag = "session",
    summary = "Sign out",
    responses((status = 204, description = "Signed out"), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn sign_out(State(state): State<AppState>, actor: Actor) -> Result<Response, AppError> {
    let now = db::now();
    let mut tx = db::write(&state.db).await?;
    if let Via::Session { id_hash } = &actor.via {
        db::sessions::delete(&mut tx, id_hash).await?;
    }
    db::audit::record(
        &mut tx,
        &actor.record(
            "session.delete",
            Target::new("session", None),
            Outcome::Success,
            String::new(),
        ),
        &now,
    )
    .await?;
    tx.commit().await?;
    let cookie = session_cookie(&state, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[utoipa::path(
    put,
    path = "/api/v1/session/password",
    tag = "session",
    summary = "Change your password",
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed; other sessions ended"), (status = 401, description = "Current password wrong", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
)]
pub async fn change_password(
    State(state): State<AppState>,
    actor: Actor,
    ApiJson(req): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, AppError> {
    let action = "user.password.change";
    let target = Target::new("user", Some(&actor.user_id));
    let mut conn = state.db.acquire().await?;
    let user =
        db::users::by_id(&mut conn, &actor.user_id)
            .await?
            .ok_or(AppError::Unauthenticated {
                detail: "This user no longer exists.".into(),
            })?;
    drop(conn);
    if !password::verify(&req.current_password, &user.password_hash) {
        return Err(audit::deny(
            &state.db,
            &actor,
            action,
            target,
            AppError::InvalidCredentials,
        )
        .await);
    }
    validate_password(&req.new_password, &user.username)
        .map_err(|e| AppError::field("new_password", e.code(), e.to_string()))?;
    let hash = password::hash(&req.new_password).map_err(AppError::internal)?;
    let now = db::now();
    let keep = match &actor.via {
        Via::Session { id_hash } => Some(id_hash.as_str()),
        Via::Token { .. } => None,
    };
    let mut tx = db::write(&state.db).await?;
    db::users::update(&mut tx, &user.id, None, Some(&hash), &now).await?;
    // Other devices signed in with the old password must sign in again.
    db::sessions::delete_for_user(&mut tx, &user.id, keep).await?;
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, String::new()),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
