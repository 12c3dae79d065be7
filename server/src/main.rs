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
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    init_logs(cli.log_json);
    let serve = match cli.command {
        Some(Command::Serve(a)) => a,
        Some(Command::Migrate) => {
            return match cuaso_server::db::open(&cli.db).await {
                Ok(pool) => {
                    pool.close().await;
                    tracing::info!(db = %cli.db.display(), "database ready");
                    std::process::ExitCode::SUCCESS
                }
                Err(e) => {
                    tracing::error!(error = %e, "could not open the database");
                    std::process::ExitCode::FAILURE
                }
            };
        }
        None => cli.serve,
    };
    if serve.bank_account == "0000000000" {
        tracing::warn!("fees show a demo bank account: set --bank-account for real payments");
    }
    let settings = Settings {
        uploads: serve
            .uploads_dir
            .unwrap_or_else(|| default_uploads_dir(&cli.db)),
        payment: PaymentAccount {
            bank_bin: serve.bank_bin,
            bank_name: serve.bank_name,
            account: serve.bank_account,
            account_name: serve.bank_account_name,
        },
        config: AppConfig {
            province: Text {
                vi: serve.province_vi,
                en: serve.province_en,
            },
            emblem_url: serve.emblem_url,
            hotline: serve.hotline,
        },
        ..Settings::new(cli.db, serve.dist)
    };
    let (app, pool) = match build(&settings).await {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(error = %e, db = %settings.db.display(), "could not start");
            return std::process::ExitCode::FAILURE;
        }
    };
    let listener = match tokio::net::TcpListener::bind(serve.listen).await {
        Ok(l) => l,
        Err(e) => {
            tracing::error!(error = %e, listen = %serve.listen, "could not listen");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!(url = %format!("http://{}", serve.listen), "Cửa Số is serving");
    let served = axum::serve(listener, app)
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

fn init_logs(json: bool) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| "info,sqlx=warn".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false);
    if json {
        builder.json().init();
    } else {
        builder.init();
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
