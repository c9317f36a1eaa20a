//! The BYOC control plane: axum on embedded SQLite. `app()` is the whole HTTP surface; `serve()`
//! runs it with configuration, migrations and graceful shutdown.

pub mod app;
pub mod audit;
pub mod auth;
pub mod blocking;
pub mod body_limits;
pub mod concurrency;
pub mod config;
pub mod console;
pub mod db;
pub mod demo;
pub mod error;
pub mod idempotency;
pub mod lang;
pub mod licensing;
pub mod metrics;
pub mod no_store;
pub mod openapi;
pub mod operator;
pub mod page_cache;
pub mod private_keys;
pub mod purge;
pub mod request_id;
pub mod routes;
pub mod state;
pub mod transport;
pub mod vendor;

use std::sync::Arc;

/// mimalloc for every binary linking the server (itself, its tests, its benchmark): under
/// concurrent requests glibc's malloc and free took a fifth of a list page's CPU (`perf`), with
/// its arenas' locks and consolidation; mimalloc's thread-local pages avoid both.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

pub use app::app;
use config::Config;
use state::AppState;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Db(#[from] db::DbError),
    #[error("cannot record the first start: {0}")]
    Settings(sqlx::Error),
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error("server error: {0}")]
    Serve(std::io::Error),
    #[error("BYOC_ADMIN_PASSWORD is not acceptable: {0}")]
    AdminPassword(String),
    #[error("cannot create the first owner: {0}")]
    FirstOwner(String),
    #[error("cannot prepare the demo: {0}")]
    Demo(String),
    #[error("cannot use the licence public key {path}: {reason}")]
    LicenceKey { path: String, reason: String },
}

/// Opens the database (running migrations) and builds the state handlers share.
pub async fn prepare(config: Config) -> Result<AppState, StartError> {
    std::fs::create_dir_all(&config.data_dir).map_err(|source| StartError::DataDir {
        path: config.data_dir.display().to_string(),
        source,
    })?;
    let db = db::connect(&config.database_url()).await?;
    {
        let mut tx = db::write(&db).await.map_err(StartError::Settings)?;
        db::settings::first_started_at(&mut tx, &db::now())
            .await
            .map_err(StartError::Settings)?;
        tx.commit().await.map_err(StartError::Settings)?;
    }
    create_first_owner(&db, config.admin_password.as_deref()).await?;
    let licence_key = match &config.licence_public_key {
        Some(path) => Some(load_licence_key(path)?),
        None => None,
    };
    {
        let mut tx = db::write(&db).await.map_err(StartError::Settings)?;
        db::settings::mark_start(&mut tx, &db::now())
            .await
            .map_err(StartError::Settings)?;
        db::deployments::refresh_licence_totals(&mut tx)
            .await
            .map_err(StartError::Settings)?;
        tx.commit().await.map_err(StartError::Settings)?;
    }
    Ok(AppState {
        db,
        pages: Arc::new(page_cache::PageCache::new(
            config.page_cache_mib.saturating_mul(1 << 20),
        )),
        config: Arc::new(config),
        licence_key,
        cpu: blocking::permits(),
        tls_checks: routes::prerequisites::tls_check_permits(),
        metrics: Arc::new(metrics::Metrics::default()),
    })
}

fn load_licence_key(
    path: &std::path::Path,
) -> Result<byoc_core::licence::VerifyingKey, StartError> {
    let fail = |reason: String| StartError::LicenceKey {
        path: path.display().to_string(),
        reason,
    };
    let text = std::fs::read_to_string(path).map_err(|e| fail(e.to_string()))?;
    byoc_core::licence::parse_public_key_pem(&text).map_err(|e| fail(e.to_string()))
}

/// On the very first start, the organisation owner `admin`: with the configured password, or a
/// random one printed once (it is stored only as an argon2id hash). Replicas starting together
/// each ask, then one creates it: the question is asked again inside the write transaction, so the
/// others find the owner there and create nothing.
async fn create_first_owner(db: &db::Db, configured: Option<&str>) -> Result<(), StartError> {
    let fail = |e: String| StartError::FirstOwner(e);
    let mut conn = db.acquire().await.map_err(|e| fail(e.to_string()))?;
    let users = db::users::count(&mut conn).await;
    drop(conn);
    if users.map_err(|e| fail(e.to_string()))? > 0 {
        return Ok(());
    }
    let (password, generated) = match configured {
        Some(p) => {
            byoc_core::access::validate_password(p, "admin")
                .map_err(|e| StartError::AdminPassword(e.to_string()))?;
            (p.to_owned(), false)
        }
        None => (
            auth::secrets::new_password().map_err(|e| fail(e.to_string()))?,
            true,
        ),
    };
    let hash = auth::password::hash(&password).map_err(fail)?;
    let now = db::now();
    let mut tx = db::write(db).await.map_err(|e| fail(e.to_string()))?;
    if db::users::count(&mut tx)
        .await
        .map_err(|e| fail(e.to_string()))?
        > 0
    {
        return Ok(());
    }
    let user = db::users::insert(
        &mut tx,
        "admin",
        &hash,
        byoc_core::access::OrgRole::Owner,
        &now,
    )
    .await
    .map_err(|e| fail(e.to_string()))?;
    let record = db::audit::Record {
        actor_kind: "system",
        actor_id: None,
        actor_name: "system",
        action: "user.create",
        target_kind: "user",
        target_id: Some(&user.id),
        project_id: None,
        outcome: db::audit::Outcome::Success,
        request_id: "-",
        source: "first start",
        detail: "admin as owner".into(),
    };
    db::audit::record(&mut tx, &record, &now)
        .await
        .map_err(|e| fail(e.to_string()))?;
    tx.commit().await.map_err(|e| fail(e.to_string()))?;
    if generated {
        // Printed, not logged: log pipelines keep lines forever.
        println!(
            "\nFirst start: created the owner `admin` with password\n\n    {password}\n\n\
             It is shown only this once. Sign in and change it (user menu, Change password).\n"
        );
    } else {
        tracing::info!("first start: created the owner `admin` with the configured password");
    }
    Ok(())
}

/// Serves until Ctrl-C or SIGTERM, then lets in-flight requests finish.
pub async fn serve(config: Config) -> Result<(), StartError> {
    let addr = config.addr;
    let state = prepare(config).await?;
    // Expired sessions, old idempotency keys and lapsed agent tokens are removed every few minutes.
    purge::spawn(state.db.clone());
    let public = state.config.public_url();
    if state.config.demo {
        write_demo_commands(&state).await?;
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| StartError::Bind {
            addr: addr.to_string(),
            source,
        })?;
    let local = listener.local_addr().map_err(StartError::Serve)?;
    tracing::info!(%local, "control plane listening");
    println!("BYOC Console is running at {public} (listening on {local}); press Ctrl-C to stop.");
    // Connection info gives each request its source address, for audit entries and throttling.
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown_signal())
        .await
        .map_err(StartError::Serve)?;
    tracing::info!("stopped");
    Ok(())
}

/// `--demo`: the demo deployments' toolkit commands, one per line (with `--fail-at PHASE` for
/// the one meant to fail), in a file only the owner can read: the lines hold bootstrap keys.
async fn write_demo_commands(state: &AppState) -> Result<(), StartError> {
    let commands = demo::prepare(state).await.map_err(StartError::Demo)?;
    let path = state.config.data_dir.join(demo::COMMANDS_FILE);
    let text: String = commands
        .iter()
        .map(|(cmd, fail)| match fail {
            Some(phase) => format!("{cmd} --fail-at {phase}\n"),
            None => format!("{cmd}\n"),
        })
        .collect();
    let write = || -> std::io::Result<()> {
        std::fs::write(&path, &text)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
        }
        Ok(())
    };
    write().map_err(|e| StartError::Demo(format!("cannot write {}: {e}", path.display())))?;
    if !commands.is_empty() {
        println!(
            "Demo: {} deployment(s) created in project \"demo\"; their toolkit commands are in {}.",
            commands.len(),
            path.display()
        );
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing in-flight requests");
}
