//! `waymark-relay --listen 127.0.0.1:8787 --db sqlite:relay.db`

use std::net::SocketAddr;
use std::time::Duration;

use clap::Parser;
use waymark_relay::{connect, router_with, serve, sweep, Limits};

/// Waymark's sync relay: it stores and forwards envelopes it cannot read.
///
/// Rate limits are kept in each relay process: several relays over one
/// PostgreSQL database each allow the full rate. The storage quota and the
/// idempotent upload are decided in the database, so they hold across relays.
#[derive(Parser)]
#[command(version)]
struct Args {
    /// Address to listen on; port 0 picks a free one (printed on start).
    #[arg(long, default_value = "127.0.0.1:8787")]
    listen: SocketAddr,
    /// `sqlite:PATH` (the default, no setup) or `postgres://USER@HOST/DB`;
    /// `?sslmode=require` (or verify-full) connects over TLS, verified against
    /// the system's root certificates or `&sslrootcert=PATH`.
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
    /// Requests per minute each peer address (IPv6: each /64) may make; 0 turns
    /// this off, as behind a proxy, where every request comes from the proxy.
    #[arg(long, default_value_t = Limits::default().peer_per_minute)]
    ip_rate_per_minute: u32,
    /// Requests a peer address may make at once.
    #[arg(long, default_value_t = Limits::default().peer_burst)]
    ip_burst: u32,
    /// MiB of envelopes one channel may store; beyond it uploads get 507
    /// until the retention frees space.
    #[arg(long, default_value_t = Limits::default().quota_bytes >> 20)]
    quota_mib: u64,
    /// MiB of envelopes one page of messages may carry (always one message at least).
    #[arg(long, default_value_t = Limits::default().page_bytes >> 20)]
    page_mib: u64,
    /// Connections served at once; more wait to be accepted.
    #[arg(long, default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client may take to send a request's head, or stay idle.
    #[arg(long, default_value_t = Limits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds a request may take once its head is in, body included.
    #[arg(long, default_value_t = Limits::default().request_timeout.as_secs())]
    request_timeout_secs: u64,
    /// Seconds between sweeps of expired messages.
    #[arg(long, default_value_t = 300)]
    sweep_every: u64,
}

impl Args {
    fn limits(&self) -> Limits {
        Limits {
            per_minute: self.rate_per_minute,
            burst: self.burst,
            peer_per_minute: self.ip_rate_per_minute,
            peer_burst: self.ip_burst,
            quota_bytes: self.quota_mib.saturating_mul(1 << 20),
            page_bytes: self.page_mib.max(1).saturating_mul(1 << 20),
            header_timeout: Duration::from_secs(self.header_timeout_secs.max(1)),
            request_timeout: Duration::from_secs(self.request_timeout_secs.max(1)),
            max_connections: self.max_connections.max(1),
            retention: Duration::from_secs(self.retention_days.saturating_mul(24 * 3_600)),
        }
    }
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
    let limits = args.limits();
    let backend = connect(&args.db).await.map_err(|e| e.to_string())?;
    let listener = tokio::net::TcpListener::bind(args.listen)
        .await
        .map_err(|e| format!("cannot listen on {}: {e}", args.listen))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let backend_kind = if args.db.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    tracing::info!(address = %address, backend = backend_kind, "listening");
    println!("listening on http://{address}");

    let sweeper = backend.clone();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(Duration::from_secs(args.sweep_every.max(1)));
        loop {
            every.tick().await;
            match sweep(sweeper.as_ref(), limits.retention).await {
                Ok(0) => {}
                Ok(deleted) => tracing::info!(deleted, "swept expired messages"),
                Err(error) => tracing::error!(error = %error, "sweep failed"),
            }
        }
    });

    serve(listener, router_with(backend, &limits), &limits, shutdown()).await.map_err(|e| e.to_string())?;
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
