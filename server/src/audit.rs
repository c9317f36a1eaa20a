//! Building audit records from the caller, and recording refusals. Changes record themselves in
//! their own transaction (see the routes); a refused change records its refusal here.

use crate::auth::{Actor, RequestMeta};
use crate::db::audit::{Outcome, Record};
use crate::db::{self, Db};
use crate::error::AppError;

/// What a change is about.
#[derive(Clone, Copy, Debug)]
pub struct Target<'a> {
    pub kind: &'a str,
    pub id: Option<&'a str>,
    pub project_id: Option<&'a str>,
}

impl<'a> Target<'a> {
    pub fn new(kind: &'a str, id: Option<&'a str>) -> Self {
        Target {
            kind,
            id,
            project_id: None,
        }
    }

    pub fn in_project(kind: &'a str, id: Option<&'a str>, project_id: &'a str) -> Self {
        Target {
            kind,
            id,
            project_id: Some(project_id),
        }
    }
}

impl Actor {
    pub fn record<'a>(
        &'a self,
        action: &'a str,
        target: Target<'a>,
        outcome: Outcome,
        detail: String,
    ) -> Record<'a> {
        Record {
            actor_kind: self.kind(),
            actor_id: Some(&self.user_id),
            actor_name: &self.username,
            action,
            target_kind: target.kind,
            target_id: target.id,
            project_id: target.project_id,
            outcome,
            request_id: &self.meta.request_id,
            source: &self.meta.source,
            detail,
        }
    }
}

/// A record for someone not signed in (a failed sign-in names the username tried).
pub fn anonymous<'a>(
    meta: &'a RequestMeta,
    name: &'a str,
    action: &'a str,
    target: Target<'a>,
    outcome: Outcome,
    detail: String,
) -> Record<'a> {
    Record {
        actor_kind: "anonymous",
        actor_id: None,
        actor_name: name,
        action,
        target_kind: target.kind,
        target_id: target.id,
        project_id: target.project_id,
        outcome,
        request_id: &meta.request_id,
        source: &meta.source,
        detail,
    }
}

/// Records a refused change and returns the refusal to send. The record is written on its own,
/// since nothing else happens.
pub async fn deny(
    store: &Db,
    actor: &Actor,
    action: &str,
    target: Target<'_>,
    error: AppError,
) -> AppError {
    let detail = error.to_problem().code.as_str().to_owned();
    let record = actor.record(action, target, Outcome::Denied, detail);
    let written = match store.write_alone().await {
        Ok(mut conn) => db::audit::record(&mut conn, &record, &db::now()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        tracing::error!(error = %e, action, "cannot record a refused change in the audit log");
    }
    error
}

/// Records a failure that is not a refusal (e.g. a wrong password on sign-in). One without a known
/// actor is counted on the hour's first such entry rather than recorded again (`db::audit::record`).
pub async fn record_alone(store: &Db, record: &Record<'_>) {
    let written = match store.write_alone().await {
        Ok(mut conn) => db::audit::record(&mut conn, record, &db::now()).await,
        Err(e) => Err(e),
    };
    if let Err(e) = written {
        tracing::error!(error = %e, action = record.action, "cannot write an audit entry");
    }
}
