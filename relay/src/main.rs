//! `waymark-relay --listen 127.0.0.1:8787 --db sqlite:relay.db`

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use clap::Parser;
use waymark_relay::{connect, router, sweep, Limiter, Limits};

/// Waymark's sync relay: it stores and forwards envelopes it cannot read.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; port 0 picks a free one (printed on start).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// `sqlite:PATH` (the default, no setup) or `postgres://USER@HOST/DB`.
    #[arg(long, default_value = "sqlite:relay.db")]
    db: String,
    /// Days a message is kept after it arrives.
    #[arg(long, default_value_t = 30)]
    retention_days: u64,
    /// Requests per minute each channel may make, on average.
    #[arg(long, default_value_t = Limits::default().per_minute)]
    rate_per_minute: u32,
    /// Requests a channel may make at once.
    #[arg(long, default_value_t = Limits::default().burst)]
    burst: u32,
    /// Seconds between sweeps of expired messages.
    #[arg(long, default_value_t = 300)]
    sweep_every: u64,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()))
        .with_writer(std::io::stderr)
        .init();
    match run(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            tracing::error!(error = %message, "stopped");
            eprintln!("waymark-relay: {message}");
            std::process::ExitCode::from(1)
        }
    }
}

async fn run(args: Args) -> Result<(), String> {
    let backend = connect(&args.db).await.map_err(|e| e.to_string())?;
    let limiter = Arc::new(Limiter::new(args.rate_per_minute, args.burst));
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let backend_kind = if args.db.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    tracing::info!(address = %address, backend = backend_kind, "listening");
    println!("listening on http://{address}");

    let retention = Duration::from_secs(args.retention_days * 24 * 3_600);
    let (sweeper_backend, sweeper_limiter) = (backend.clone(), limiter.clone());
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(args.sweep_every.max(1)));
        loop {
            every.tick().await;
            match sweep(sweeper_backend.as_ref(), &sweeper_limiter, retention).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "swept expired messages"),
                Err(error) => tracing::error!(error = %error, "sweep failed"),
            }
        }
    });

    axum::serve(listener, router(backend, limiter))
        .with_graceful_shutdown(shutdown())
        .await
        .map_err(|e| e.to_string())?;
    tracing::info!("stopped after finishing in-flight requests");
    Ok(())
}

/// Ctrl-C or SIGTERM: stop accepting, finish what is in flight.
async fn shutdown() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
