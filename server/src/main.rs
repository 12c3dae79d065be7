//! `cuaso-server`: runs the reference API and serves the built app.

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::{Parser, Subcommand};
use cuaso_domain::api::{AppConfig, Text};
use cuaso_domain::form::PaymentAccount;
use cuaso_server::{build, default_uploads_dir, Settings};

#[derive(Parser)]
#[command(name = "cuaso-server", version, about = "Cửa Số reference API server")]
struct Cli {
    /// SQLite database file; created, migrated and seeded on first start.
    #[arg(long, env = "CUASO_DB", default_value = "data/cuaso.db", global = true)]
    db: PathBuf,
    /// A PostgreSQL server instead of the SQLite file:
    /// `postgres://user:password@host:5432/cuaso` (created tables, migrated
    /// and seeded on first start like the file). Uploads still go to
    /// --uploads-dir (default: `uploads/` beside --db).
    #[arg(long, env = "DATABASE_URL", global = true, hide_env_values = true)]
    database_url: Option<String>,
    /// Log as JSON lines instead of human-readable text.
    #[arg(long, env = "CUASO_LOG_JSON", global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    serve: ServeArgs,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once at start-up
enum Command {
    /// Serve the API and the app (the default).
    Serve(ServeArgs),
    /// Create, migrate and seed the database, then exit.
    Migrate,
    /// The reference back office, acting directly on --db: list, show,
    /// move, confirm-payment, attach-result.
    Officer(cuaso_server::cli::OfficerArgs),
    /// OCOP producers' accounts: add (prints a one-time password), list.
    Producer(cuaso_server::cli::ProducerArgs),
    /// Community digital helpers' accounts: add (prints a one-time password), list.
    Helper(cuaso_server::cli::HelperArgs),
    /// Producers' listing proposals: list, approve, reject.
    Listing(cuaso_server::cli::ListingArgs),
    /// Citizens' feedback reports: list, show, assign, answer, reject, publish.
    Feedback(cuaso_server::cli::FeedbackArgs),
    /// Remove orphan uploads now (see --upload-orphan-window-secs); prints
    /// what was found as JSON.
    Sweep(cuaso_server::cli::SweepArgs),
}

#[derive(clap::Args, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "CUASO_LISTEN", default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// The built app (Trunk's dist directory).
    #[arg(long, env = "CUASO_DIST", default_value = "dist")]
    dist: PathBuf,
    /// Province name in Vietnamese, shown in the header.
    #[arg(long, env = "CUASO_PROVINCE_VI", default_value = "Tỉnh Quảng Trị")]
    province_vi: String,
    /// Province name in English.
    #[arg(long, env = "CUASO_PROVINCE_EN", default_value = "Quảng Trị Province")]
    province_en: String,
    /// URL of the province emblem (same origin).
    #[arg(long, env = "CUASO_EMBLEM_URL", default_value = "/public/emblem.svg")]
    emblem_url: String,
    /// Support hotline shown to citizens.
    #[arg(long, env = "CUASO_HOTLINE", default_value = "1022")]
    hotline: String,
    /// The agency that operates the service and controls the personal data
    /// (footer, privacy notice, receipts), in Vietnamese. Default: says it is a demonstration.
    #[arg(long, env = "CUASO_OPERATOR_VI", default_value = cuaso_domain::api::DEMO_OPERATOR_VI)]
    operator_vi: String,
    /// The operating agency's name in English.
    #[arg(long, env = "CUASO_OPERATOR_EN", default_value = cuaso_domain::api::DEMO_OPERATOR_EN)]
    operator_en: String,
    /// The operating agency's postal address (empty: not shown).
    #[arg(long, env = "CUASO_OPERATOR_ADDRESS", default_value = "")]
    operator_address: String,
    /// Email for personal-data requests (empty: not shown; the hotline is).
    #[arg(long, env = "CUASO_OPERATOR_EMAIL", default_value = "")]
    operator_email: String,
    /// Uploaded files; default `uploads/` beside the database. Must not be inside --dist.
    #[arg(long, env = "CUASO_UPLOADS_DIR")]
    uploads_dir: Option<PathBuf>,
    /// NAPAS BIN of the bank that receives fees (VietQR).
    #[arg(long, env = "CUASO_BANK_BIN", default_value = "970415")]
    bank_bin: String,
    /// Name of that bank, shown on the receipt.
    #[arg(long, env = "CUASO_BANK_NAME", default_value = "VietinBank")]
    bank_name: String,
    /// Account that receives fees. The default is a fake demo number.
    #[arg(long, env = "CUASO_BANK_ACCOUNT", default_value = "0000000000")]
    bank_account: String,
    /// Holder of that account, as the bank spells it.
    #[arg(
        long,
        env = "CUASO_BANK_ACCOUNT_NAME",
        default_value = "DEMO - KHONG CHUYEN TIEN"
    )]
    bank_account_name: String,
    /// Bearer token of the officer API (/api/v1/officer). No default: unset,
    /// every officer route answers 401.
    #[arg(long, env = "CUASO_OFFICER_TOKEN", hide_env_values = true)]
    officer_token: Option<String>,
    /// Behind a reverse proxy: take the client address (for rate limits)
    /// from the last X-Forwarded-For entry.
    #[arg(long, env = "CUASO_BEHIND_PROXY")]
    behind_proxy: bool,
    /// `scheme://host` of the GS1 resolver's absolute links (e.g.
    /// `https://id.quangtri.gov.vn`); default: the request's Host header.
    #[arg(long, env = "CUASO_PUBLIC_BASE_URL")]
    public_base_url: Option<String>,
    /// Wrong dossier secrets allowed per dossier code in a window.
    #[arg(long, env = "CUASO_WRONG_SECRETS_PER_CODE", default_value_t = 5)]
    wrong_secrets_per_code: u32,
    /// Wrong dossier secrets allowed per client address in a window.
    #[arg(long, env = "CUASO_WRONG_SECRETS_PER_CLIENT", default_value_t = 20)]
    wrong_secrets_per_client: u32,
    /// Lookups of unknown codes (without a secret) allowed per client in a window.
    #[arg(long, env = "CUASO_UNKNOWN_CODES_PER_CLIENT", default_value_t = 200)]
    unknown_codes_per_client: u32,
    /// The rate-limit window, in minutes.
    #[arg(long, env = "CUASO_LIMIT_WINDOW_MINUTES", default_value_t = 15,
        value_parser = clap::value_parser!(u64).range(1..=1440))]
    limit_window_minutes: u64,
    /// For tests and demos: the clock starts at this instant (RFC 3339,
    /// e.g. 2026-11-23T09:00:00+07:00) and runs on from there.
    #[arg(long, env = "CUASO_CLOCK_START", value_parser = parse_clock_start)]
    clock_start: Option<std::time::SystemTime>,
    /// Do not create the demo producer and helper accounts (their passwords are in the
    /// README), and delete those still on their demo password. Use it in
    /// production.
    #[arg(long, env = "CUASO_NO_DEMO_ACCOUNTS")]
    no_demo_accounts: bool,
    /// Uploads never attached to a dossier or report, and files without a
    /// row (a crash between writing and recording), are removed once older
    /// than this, in seconds.
    #[arg(long, env = "CUASO_UPLOAD_ORPHAN_WINDOW_SECS", default_value_t = 30 * 86_400,
        value_parser = clap::value_parser!(u64).range(1..))]
    upload_orphan_window_secs: u64,
    /// Seconds between two sweeps of orphan uploads; 0: never.
    #[arg(long, env = "CUASO_UPLOAD_SWEEP_INTERVAL_SECS", default_value_t = 3600)]
    upload_sweep_interval_secs: u64,
}

fn parse_clock_start(s: &str) -> Result<std::time::SystemTime, String> {
    cuaso_server::infra::clock::parse_rfc3339(s)
        .ok_or_else(|| format!("{s:?} is not an RFC 3339 instant like 2026-11-23T09:00:00+07:00"))
}

impl ServeArgs {
    fn settings(self, db: PathBuf, database_url: Option<String>) -> Settings {
        let clock = match self.clock_start {
            Some(t) => cuaso_server::infra::clock::Clock::starting_at(t),
            None => cuaso_server::infra::clock::Clock::system(),
        };
        Settings {
            clock,
            demo_accounts: !self.no_demo_accounts,
            uploads: self.uploads_dir.unwrap_or_else(|| default_uploads_dir(&db)),
            payment: PaymentAccount {
                bank_bin: self.bank_bin,
                bank_name: self.bank_name,
                account: self.bank_account,
                account_name: self.bank_account_name,
            },
            config: AppConfig {
                province: Text {
                    vi: self.province_vi,
                    en: self.province_en,
                },
                emblem_url: self.emblem_url,
                hotline: self.hotline,
                operator: cuaso_domain::api::Operator {
                    name: Text {
                        vi: self.operator_vi,
                        en: self.operator_en,
                    },
                    address: self.operator_address,
                    email: self.operator_email,
                },
            },
            officer_token: self.officer_token,
            behind_proxy: self.behind_proxy,
            public_base_url: self.public_base_url,
            limits: cuaso_server::infra::limits::Limits {
                wrong_per_code: self.wrong_secrets_per_code.max(1),
                wrong_per_ip: self.wrong_secrets_per_client.max(1),
                misses_per_ip: self.unknown_codes_per_client.max(1),
                window: std::time::Duration::from_secs(self.limit_window_minutes * 60),
            },
            sweep: cuaso_server::uploads::SweepSettings {
                window: std::time::Duration::from_secs(self.upload_orphan_window_secs),
                interval: (self.upload_sweep_interval_secs > 0)
                    .then(|| std::time::Duration::from_secs(self.upload_sweep_interval_secs)),
            },
            database_url,
            ..Settings::new(db, self.dist)
        }
    }
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let admin = match &cli.command {
        Some(Command::Officer(a)) => Some(Admin::Officer(a)),
        Some(Command::Producer(a)) => Some(Admin::Producer(a)),
        Some(Command::Helper(a)) => Some(Admin::Helper(a)),
        Some(Command::Listing(a)) => Some(Admin::Listing(a)),
        Some(Command::Feedback(a)) => Some(Admin::Feedback(a)),
        Some(Command::Sweep(a)) => Some(Admin::Sweep(a)),
        _ => None,
    };
    if let Some(admin) = admin {
        // Output is the command's; logs go to stderr, warnings only.
        init_logs(cli.log_json, true);
        return officer(
            cli.serve
                .clone()
                .settings(cli.db.clone(), cli.database_url.clone()),
            admin,
        )
        .await;
    }
    init_logs(cli.log_json, false);
    let serve = match cli.command {
        Some(Command::Serve(a)) => a,
        Some(Command::Migrate) => {
            let settings = cli
                .serve
                .clone()
                .settings(cli.db.clone(), cli.database_url.clone());
            return match cuaso_server::state(&settings).await {
                Ok(state) => {
                    state.pool.close().await;
                    tracing::info!(db = %settings.describe_db(), "database ready");
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    tracing::error!(error = %e, "could not open the database");
                    std::process::ExitCode::FAILURE
                }
            };
        }
        Some(
            Command::Officer(_)
            | Command::Producer(_)
            | Command::Helper(_)
            | Command::Listing(_)
            | Command::Feedback(_)
            | Command::Sweep(_),
        ) => {
            unreachable!("handled above")
        }
        None => cli.serve,
    };
    if !serve.no_demo_accounts {
        tracing::warn!("demo producer and helper accounts with public passwords are on: pass --no-demo-accounts in production");
    }
    if serve.bank_account == "0000000000" {
        tracing::warn!("fees show a demo bank account: set --bank-account for real payments");
    }
    let listen = serve.listen;
    let settings = serve.settings(cli.db, cli.database_url);
    let (app, pool) = match build(&settings).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, db = %settings.describe_db(), "could not start");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, listen = %listen, "could not listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(url = %format!("http://{listen}"), "Cửa Số is serving");
    // The peer address feeds the lookup rate limits.
    let served = axum::serve(
        listener,
        app.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown_signal())
    .await;
    pool.close().await;
    match served {
        Ok(()) => {
            tracing::info!("stopped cleanly");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            tracing::error!(error = %e, "server failed");
            std::process::ExitCode::FAILURE
        }
    }
}

/// A command-line administration command.
enum Admin<'a> {
    Officer(&'a cuaso_server::cli::OfficerArgs),
    Producer(&'a cuaso_server::cli::ProducerArgs),
    Helper(&'a cuaso_server::cli::HelperArgs),
    Listing(&'a cuaso_server::cli::ListingArgs),
    Feedback(&'a cuaso_server::cli::FeedbackArgs),
    Sweep(&'a cuaso_server::cli::SweepArgs),
}

/// `cuaso-server officer|producer|listing ...`: one command on the
/// database, then exit.
async fn officer(settings: Settings, admin: Admin<'_>) -> std::process::ExitCode {
    let state = match cuaso_server::state(&settings).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: could not open {}: {e}", settings.describe_db());
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut out = std::io::stdout().lock();
    let result = match admin {
        Admin::Officer(args) => cuaso_server::cli::run(&state, args, &mut out).await,
        Admin::Producer(args) => cuaso_server::cli::run_producer(&state, args, &mut out).await,
        Admin::Helper(args) => cuaso_server::cli::run_helper(&state, args, &mut out).await,
        Admin::Listing(args) => cuaso_server::cli::run_listing(&state, args, &mut out).await,
        Admin::Feedback(args) => cuaso_server::cli::run_feedback(&state, args, &mut out).await,
        Admin::Sweep(args) => {
            cuaso_server::cli::run_sweep(&state, args, settings.sweep.window, &mut out).await
        }
    };
    state.pool.close().await;
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs to stdout, or (`quiet`, for the CLI) warnings only, to stderr.
fn init_logs(json: bool, quiet: bool) {
    let default = if quiet { "warn" } else { "info,sqlx=warn" };
    let filter =
        tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| default.into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    match (json, quiet) {
        (true, true) => builder.json().with_writer(std::io::stderr).init(),
        (true, false) => builder.json().init(),
        (false, true) => builder.with_writer(std::io::stderr).init(),
        (false, false) => builder.init(),
    }
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight, close the database.
async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down");
}
