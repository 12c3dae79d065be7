//! The Cửa Số reference API server: axum + SQLite (or PostgreSQL, see
//! `db`). It serves `/api` and the built app, so one process runs the whole
//! service on one machine.

pub mod accounts;
pub mod catalogue;
pub mod cli;
pub mod dossiers;
pub mod feedback;
pub mod helpers;
pub mod http;
pub mod infra;
pub mod products;
pub mod routes;
pub mod sites;
pub mod uploads;

use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{middleware, Json, Router};
use cuaso_domain::api::AppConfig;
use cuaso_domain::form::PaymentAccount;
use cuaso_domain::{ApiErrorBody, ErrorCode};
use sqlx::AnyPool;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::infra::{clock, db, limits, web};

/// What every handler can reach.
pub struct AppState {
    pub pool: AnyPool,
    pub catalogue: db::Catalogue,
    pub config: AppConfig,
    /// Where uploaded files are kept (canonical, outside the web root).
    pub uploads_dir: PathBuf,
    /// Where fees are paid; put on every receipt with a fee.
    pub payment: PaymentAccount,
    pub clock: clock::Clock,
    /// The officer API's bearer token; `None`: every officer route is 401.
    pub officer_token: Option<String>,
    /// Wrong secrets and unknown codes, counted in memory.
    pub limiter: limits::Limiter,
    /// Take the client address from `X-Forwarded-For` (last entry).
    pub behind_proxy: bool,
    /// `scheme://host` of the resolver's absolute links; `None`: the request's Host.
    pub public_base_url: Option<String>,
    /// Scan counts allowed per client and minute.
    pub scan_limiter: products::ScanLimiter,
}

/// Everything needed to build the service.
pub struct Settings {
    /// The SQLite file, unless `database_url` is set.
    pub db: PathBuf,
    /// A database server instead of the file: `postgres://…`.
    pub database_url: Option<String>,
    pub dist: PathBuf,
    pub config: AppConfig,
    /// Uploaded files; must not be inside `dist`.
    pub uploads: PathBuf,
    pub payment: PaymentAccount,
    pub clock: clock::Clock,
    /// The online forms JSON; `None` uses the compiled-in `seed/forms.json`.
    pub forms_json: Option<String>,
    /// The officer API's bearer token; no default (officer routes answer 401).
    pub officer_token: Option<String>,
    pub limits: limits::Limits,
    pub behind_proxy: bool,
    /// The OCOP products JSON; `None` uses the compiled-in `seed/ocop.json`.
    pub ocop_json: Option<String>,
    /// `scheme://host` for the resolver's absolute links (`--public-base-url`).
    pub public_base_url: Option<String>,
    /// The tourism sites JSON; `None` uses the compiled-in `seed/sites.json`.
    pub sites_json: Option<String>,
    /// Create the demo producer and helper accounts (public passwords, see the README).
    /// Off (`--no-demo-accounts`): none is created, and those still on
    /// their demo password are deleted.
    pub demo_accounts: bool,
    /// Orphan uploads: how old they must be to go, how often the server sweeps.
    pub sweep: uploads::SweepSettings,
    /// How long an SQLite write waits for another writer before the
    /// request answers 503 busy.
    pub busy_timeout: std::time::Duration,
}

impl Settings {
    /// The defaults for everything but the database and the web root;
    /// uploads go next to the database.
    pub fn new(db: PathBuf, dist: PathBuf) -> Settings {
        Settings {
            uploads: default_uploads_dir(&db),
            db,
            database_url: None,
            dist,
            config: AppConfig::default(),
            payment: demo_payment_account(),
            clock: clock::Clock::system(),
            forms_json: None,
            officer_token: None,
            limits: limits::Limits::default(),
            behind_proxy: false,
            ocop_json: None,
            public_base_url: None,
            sites_json: None,
            demo_accounts: true,
            sweep: uploads::SweepSettings::default(),
            busy_timeout: db::DEFAULT_BUSY_TIMEOUT,
        }
    }
}

impl Settings {
    /// The database to open: `database_url` when set, else the file `db`.
    pub fn target(&self) -> db::Target<'_> {
        match self.database_url.as_deref().map(str::trim) {
            Some(url) if !url.is_empty() => db::Target::Url(url),
            _ => db::Target::File(&self.db),
        }
    }

    /// The database for the logs, without a password.
    pub fn describe_db(&self) -> String {
        match self.target() {
            db::Target::File(p) => p.display().to_string(),
            db::Target::Url(u) => match u.find('@') {
                Some(at) => format!("{}…{}", &u[..u.find("://").map_or(0, |i| i + 3)], &u[at..]),
                None => u.to_string(),
            },
        }
    }
}

/// `uploads/` beside the database file (`data/uploads` by default).
pub fn default_uploads_dir(db: &std::path::Path) -> PathBuf {
    match db.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.join("uploads"),
        _ => PathBuf::from("uploads"),
    }
}

/// The clearly fake account the server uses unless configured.
pub fn demo_payment_account() -> PaymentAccount {
    PaymentAccount {
        bank_bin: "970415".into(),
        bank_name: "VietinBank".into(),
        account: "0000000000".into(),
        account_name: "DEMO - KHONG CHUYEN TIEN".into(),
    }
}

/// Why the service could not start.
#[derive(Debug)]
pub enum StartError {
    Database(sqlx::Error),
    Config(String),
}

impl std::fmt::Display for StartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StartError::Database(e) => write!(f, "database: {e}"),
            StartError::Config(e) => write!(f, "configuration: {e}"),
        }
    }
}

impl std::error::Error for StartError {}

impl From<sqlx::Error> for StartError {
    fn from(e: sqlx::Error) -> Self {
        StartError::Database(e)
    }
}

/// Opens the database and builds the whole service. Receipts older than
/// 24 hours are cleared now and every hour (see [`dossiers::purge_receipts`]).
pub async fn build(settings: &Settings) -> Result<(Router, AnyPool), StartError> {
    let state = state(settings).await?;
    uploads::remove_partials(&state.uploads_dir);
    let pool = state.pool.clone();
    dossiers::purge_receipts(&pool, &state.clock).await?;
    feedback::purge_receipts(&pool, &state.clock).await?;
    let (purge_pool, purge_clock) = (pool.clone(), state.clock.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(3600));
        every.tick().await;
        loop {
            every.tick().await;
            if purge_pool.is_closed() {
                break;
            }
            if let Err(e) = dossiers::purge_receipts(&purge_pool, &purge_clock).await {
                tracing::warn!(error = %e, "could not clear old receipts");
            }
            if let Err(e) = feedback::purge_receipts(&purge_pool, &purge_clock).await {
                tracing::warn!(error = %e, "could not clear old feedback receipts");
            }
        }
    });
    uploads::spawn(
        pool.clone(),
        state.uploads_dir.clone(),
        state.clock.clone(),
        settings.sweep,
    );
    let shell = Arc::new(web::Shell::load(&settings.dist, &settings.config));
    Ok((app(state, shell, &settings.dist), pool))
}

/// Opens the database and loads what handlers need, without the router
/// (the officer CLI works on this).
pub async fn state(settings: &Settings) -> Result<Arc<AppState>, StartError> {
    let uploads_dir =
        uploads::prepare_dir(&settings.uploads, &settings.dist).map_err(StartError::Config)?;
    check_payment(&settings.payment).map_err(StartError::Config)?;
    let target = settings.target();
    let forms = settings.forms_json.as_deref().unwrap_or(db::SEED_FORMS);
    let pool = db::open_with(target, forms, settings.busy_timeout).await?;
    db::startup_locked(&pool, async {
        products::seed(
            &pool,
            settings.ocop_json.as_deref().unwrap_or(db::SEED_OCOP),
        )
        .await?;
        sites::seed(
            &pool,
            settings.sites_json.as_deref().unwrap_or(db::SEED_SITES),
        )
        .await?;
        accounts::seed(
            &pool,
            &clock::utc_string(settings.clock.system_time()),
            settings.demo_accounts,
        )
        .await
    })
    .await?;
    let catalogue = db::Catalogue::load(&pool).await?;
    tracing::info!(
        procedures = catalogue.procedures.len(),
        fields = catalogue.fields.len(),
        db = %settings.describe_db(),
        "catalogue loaded"
    );
    let officer_token = settings
        .officer_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string);
    match &officer_token {
        None => tracing::info!("no --officer-token: the officer API answers 401"),
        Some(t) if t.len() < 16 => {
            tracing::warn!("the officer token is short: use at least 16 random characters")
        }
        Some(_) => {}
    }
    Ok(Arc::new(AppState {
        pool,
        catalogue,
        config: settings.config.clone(),
        uploads_dir,
        payment: settings.payment.clone(),
        clock: settings.clock.clone(),
        officer_token,
        limiter: limits::Limiter::new(settings.limits),
        behind_proxy: settings.behind_proxy,
        public_base_url: settings
            .public_base_url
            .as_deref()
            .map(|u| u.trim().trim_end_matches('/').to_string())
            .filter(|u| !u.is_empty()),
        scan_limiter: products::ScanLimiter::default(),
    }))
}

/// The router: `/api`, the shell for app routes, static files for the rest.
pub fn app(state: Arc<AppState>, shell: Arc<web::Shell>, dist: &std::path::Path) -> Router {
    let fallback_shell = shell.clone();
    let resolver = Arc::new(web::Pages {
        state: state.clone(),
        shell: shell.clone(),
    });
    let fallback_resolver = resolver.clone();
    let spa_fallback = move |req: Request| {
        let shell = fallback_shell.clone();
        let resolver = fallback_resolver.clone();
        async move {
            // Digital Links with a prefix path before /01/.
            if products::is_prefixed_link(req.uri().path()) {
                return products::resolve(&resolver, req.method(), req.uri(), req.headers()).await;
            }
            if req.method() != Method::GET && req.method() != Method::HEAD {
                return StatusCode::METHOD_NOT_ALLOWED.into_response();
            }
            web::fallback(&shell, req.uri().path())
        }
    };
    let files = ServeDir::new(dist)
        .precompressed_br()
        .precompressed_gzip()
        .append_index_html_on_directories(false)
        .fallback(tower::service_fn(move |req: Request| {
            let f = spa_fallback.clone();
            async move { Ok::<_, std::convert::Infallible>(f(req).await) }
        }));
    let index_shell = shell.clone();
    let index = get(move || {
        let shell = index_shell.clone();
        async move { web::shell_response(&shell) }
    });
    let headers_shell = shell.clone();
    Router::new()
        .nest("/api", routes::router(state.clone()))
        .merge(sites::pages(resolver.clone()))
        .merge(products::resolver_router(resolver))
        .route("/", index.clone())
        .route("/index.html", index)
        .fallback_service(files)
        .layer(middleware::from_fn(web::cache_headers))
        .layer(middleware::from_fn(move |req, next| {
            web::security_headers(headers_shell.clone(), req, next)
        }))
        .layer(CompressionLayer::new())
        .layer(CatchPanicLayer::custom(|_| panic_response()))
        .layer(TraceLayer::new_for_http().on_response(DefaultOnResponse::new().level(Level::INFO)))
}

/// A payment account the VietQR code can carry: a 6-digit BIN, a 6–19 digit
/// account, names present.
fn check_payment(p: &PaymentAccount) -> Result<(), String> {
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if p.bank_bin.len() != 6 || !digits(&p.bank_bin) {
        return Err(format!("--bank-bin must be 6 digits, got {:?}", p.bank_bin));
    }
    if !(6..=19).contains(&p.account.len()) || !p.account.bytes().all(|b| b.is_ascii_alphanumeric())
    {
        return Err(format!(
            "--bank-account must be 6 to 19 letters or digits, got {:?}",
            p.account
        ));
    }
    if p.bank_name.trim().is_empty() || p.account_name.trim().is_empty() {
        return Err("--bank-name and --bank-account-name must not be empty".into());
    }
    Ok(())
}

fn panic_response() -> Response {
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        Json(ApiErrorBody::new(ErrorCode::Internal, "internal error")),
    )
        .into_response()
}
