//! `/api/v1/session`: sign in (throttled, never locked), who am I, sign out, change password.

use axum::extract::State;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use byoc_core::access::throttle::{self, Attempts, Decision};
use byoc_core::access::validate_password;
use byoc_core::api::Problem;
use byoc_core::api::{ChangePasswordRequest, Me, Membership, SignInRequest};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::audit::{self, Target};
use crate::auth::{self, password, secrets, Actor, RequestMeta, Via};
use crate::db;
use crate::db::audit::Outcome;
use crate::error::{ApiJson, AppError};
use crate::lang::{current, Say};
use crate::state::AppState;
use crate::transport::Transport;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(who_am_i, sign_in, sign_out))
        .routes(routes!(change_password))
}

/// The two counts a sign-in attempt falls under (see `core::access::throttle`).
#[derive(Clone, Copy)]
struct SignInKeys<'a> {
    account_client: db::throttle::Key<'a>,
    client: db::throttle::Key<'a>,
}

/// Judges an attempt and, when it may go ahead, counts it before the password is checked (then
/// `Admit`). Judging and counting share one write transaction, so concurrent guesses from one
/// client queue for it and each sees the ones before it. Nothing sleeps here: an early attempt is
/// answered 429 with `Retry-After` at once, and no connection or lock is held while a client waits.
async fn admit(state: &AppState, keys: SignInKeys<'_>) -> Result<Decision, AppError> {
    let rule = state.config.sign_in_throttle();
    let now_ms = chrono::Utc::now().timestamp_millis();
    // A first look without the writers' turn: a wait is usually plain from it.
    let mut conn = state.db.acquire().await?;
    let (decision, ..) = judge(rule, &mut conn, keys, now_ms).await?;
    drop(conn);
    if decision != Decision::Admit {
        return Ok(decision);
    }
    let mut tx = db::write(&state.db).await?;
    let (decision, account_client, client) = judge(rule, &mut tx, keys, now_ms).await?;
    if decision != Decision::Admit {
        return Ok(decision);
    }
    let admitted = |previous| Some(throttle::admit(previous, now_ms));
    db::throttle::put(&mut tx, keys.account_client, admitted(account_client)).await?;
    db::throttle::put(&mut tx, keys.client, admitted(client)).await?;
    db::throttle::prune(&mut tx, now_ms).await?;
    tx.commit().await?;
    Ok(Decision::Admit)
}

type Counts = (Decision, Option<Attempts>, Option<Attempts>);

async fn judge(
    rule: throttle::Throttle,
    conn: &mut impl crate::db::Connect,
    keys: SignInKeys<'_>,
    now_ms: i64,
) -> Result<Counts, AppError> {
    let account_client = db::throttle::get(conn, keys.account_client).await?;
    let client = db::throttle::get(conn, keys.client).await?;
    Ok((
        rule.assess(account_client, client, now_ms),
        account_client,
        client,
    ))
}

/// A right password: this username's count from this client is dropped and the client's count
/// gets this attempt back (the client's earlier guesses at other names still count).
async fn forgive(conn: &mut impl crate::db::Connect, keys: SignInKeys<'_>) -> Result<(), AppError> {
    db::throttle::put(conn, keys.account_client, None).await?;
    let client = db::throttle::get(conn, keys.client).await?;
    db::throttle::put(conn, keys.client, throttle::after_success(client)).await?;
    Ok(())
}

#[utoipa::path(
    post,
    path = "/session",
    tag = "session",
    summary = "Sign in",
    request_body = SignInRequest,
    responses((status = 200, description = "Signed in; the session cookie is set", body = Me), (status = 401, description = "Wrong username or password", body = Problem, content_type = "application/problem+json"), (status = 429, description = "An attempt before this client's wait was over; Retry-After says how long to wait", body = Problem, content_type = "application/problem+json", headers(("Retry-After" = u64, description = "Seconds to wait"))))
)]
pub async fn sign_in(
    State(state): State<AppState>,
    meta: RequestMeta,
    transport: Transport,
    ApiJson(req): ApiJson<SignInRequest>,
) -> Result<Response, AppError> {
    // Input no account could have (a megabyte of username) is refused by core's public rule
    // before anything is counted, looked up or stored.
    byoc_core::access::check_sign_in(&req.username, &req.password).map_err(|e| {
        AppError::field(
            e.field(),
            e.code(),
            crate::error::sentence(&e.message(current())),
        )
    })?;
    // Usernames are lowercase, so the lowercase form is looked up.
    let username = req.username.trim().to_lowercase();
    let target = Target::new("session", None);
    let counted = throttle::counted_username(&req.username);
    let keys = SignInKeys {
        account_client: db::throttle::Key::account_client(&counted, &meta.source),
        client: db::throttle::Key::client(&meta.source),
    };
    if let wait @ Decision::Wait { .. } = admit(&state, keys).await? {
        // Audited like any refusal; repeats from one source are counted, not stored one by one.
        let record = audit::anonymous(
            &meta,
            &username,
            "session.create",
            target,
            Outcome::Denied,
            "throttled: came back before its wait was over".into(),
        );
        audit::record_alone(&state.db, &record).await;
        return Err(AppError::TooManyAttempts {
            retry_after_seconds: i64::try_from(wait.retry_after_seconds()).unwrap_or(i64::MAX),
        });
    }

    let mut conn = state.db.acquire().await?;
    let user = db::users::by_username(&mut conn, &username).await?;
    drop(conn);
    let stored = user.as_ref().map(|u| u.password_hash.clone());
    let attempt = req.password.clone();
    let verified = crate::blocking::run(&state, move || match stored {
        Some(hash) => password::verify(&attempt, &hash),
        None => {
            password::verify_dummy(&attempt);
            false
        }
    })
    .await?;
    let Some(user) = user.filter(|_| verified) else {
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

    let secret = secrets::new_secret(auth::SESSION_PREFIX).map_err(AppError::internal)?;
    let now = db::now();
    let expires = db::offset(now.time(), auth::SESSION_ABSOLUTE_SECONDS);
    let mut tx = db::write(&state.db).await?;
    forgive(&mut tx, keys).await?;
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
    let cookie = session_cookie(transport, &secret, auth::SESSION_ABSOLUTE_SECONDS);
    Ok(([(header::SET_COOKIE, cookie)], Json(me)).into_response())
}

/// HttpOnly (scripts cannot read it), SameSite=Strict (not sent on cross-site requests), Secure
/// when the console is served over TLS: an https public URL, or a trusted proxy that says the
/// request came over HTTPS (see [`Transport`]).
fn session_cookie(transport: Transport, value: &str, max_age: i64) -> HeaderValue {
    let secure = if transport.https { "; Secure" } else { "" };
    let cookie = format!(
        "{}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}",
        auth::SESSION_COOKIE
    );
    HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))
}

async fn me(conn: &mut impl crate::db::Connect, actor: &Actor) -> Result<Me, AppError> {
    let user = db::users::by_id(conn, &actor.user_id)
        .await?
        .ok_or(AppError::Unauthenticated {
            detail: Say::UserGone.text(),
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
    path = "/session",
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
    path = "/session",
    tag = "session",
    summary = "Sign out",
    responses((status = 204, description = "Signed out"), (status = 401, description = "Not signed in", body = Problem, content_type = "application/problem+json"))
)]
pub async fn sign_out(
    State(state): State<AppState>,
    actor: Actor,
    transport: Transport,
) -> Result<Response, AppError> {
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
    let cookie = session_cookie(transport, "", 0);
    Ok((StatusCode::NO_CONTENT, [(header::SET_COOKIE, cookie)]).into_response())
}

#[utoipa::path(
    put,
    path = "/session/password",
    tag = "session",
    summary = "Change your password",
    request_body = ChangePasswordRequest,
    responses((status = 204, description = "Changed; other sessions ended, and API tokens revoked when revoke_tokens was set"), (status = 401, description = "Current password wrong", body = Problem, content_type = "application/problem+json"), (status = 422, description = "Invalid field; errors name it", body = Problem, content_type = "application/problem+json"))
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
                detail: Say::UserGone.text(),
            })?;
    drop(conn);
    let (attempt, stored) = (req.current_password.clone(), user.password_hash.clone());
    if !crate::blocking::run(&state, move || password::verify(&attempt, &stored)).await? {
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
        .map_err(|e| AppError::field("new_password", e.code(), e.message(current())))?;
    let new_password = req.new_password.clone();
    let hash = crate::blocking::run(&state, move || password::hash(&new_password))
        .await?
        .map_err(AppError::internal)?;
    let now = db::now();
    let keep = match &actor.via {
        Via::Session { id_hash } => Some(id_hash.as_str()),
        Via::Token { .. } => None,
    };
    let mut tx = db::write(&state.db).await?;
    db::users::update(&mut tx, &user.id, None, Some(&hash), &now).await?;
    // Other devices signed in with the old password must sign in again.
    db::sessions::delete_for_user(&mut tx, &user.id, keep).await?;
    let detail = if req.revoke_tokens {
        let revoked = db::tokens::revoke_for_user(&mut tx, &user.id, &now).await?;
        format!("{revoked} API token(s) revoked")
    } else {
        String::new()
    };
    db::audit::record(
        &mut tx,
        &actor.record(action, target, Outcome::Success, detail),
        &now,
    )
    .await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
