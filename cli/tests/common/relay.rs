//! A real relay (the `waymark-relay` library) on loopback, inside the test
//! process: it can be started late, stopped gracefully or killed mid-request,
//! and its JSON logs are kept for inspection.
#![allow(dead_code)] // each test binary uses part of it

use std::io::Write;
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use std::future::IntoFuture;

use tokio::sync::oneshot;
use tracing_subscriber::util::SubscriberInitExt;
use waymark_relay::{connect, router, Limiter};

pub struct TestRelay {
    logs: Arc<Mutex<Vec<u8>>>,
    stop: Option<oneshot::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

/// A loopback port nobody listens on now, for a relay that starts later.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Each backend the relay tests run on: SQLite in `dir`, and PostgreSQL when
/// `WAYMARK_TEST_POSTGRES` is set (tests/run sets it).
pub fn backends(dir: &std::path::Path) -> Vec<String> {
    let mut urls = vec![format!("sqlite:{}", dir.join("relay.db").display())];
    match std::env::var("WAYMARK_TEST_POSTGRES") {
        Ok(url) => urls.push(url),
        Err(_) if std::env::var_os("CI").is_some() => panic!("CI must test PostgreSQL: set WAYMARK_TEST_POSTGRES"),
        Err(_) => eprintln!("WAYMARK_TEST_POSTGRES is not set: PostgreSQL skipped here (tests/run sets it)"),
    }
    urls
}

struct Buffer(Arc<Mutex<Vec<u8>>>);

impl Write for Buffer {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl TestRelay {
    pub fn start(db_url: &str, port: u16) -> Self {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let (stop, stopped) = oneshot::channel::<bool>();
        let (ready, is_ready) = std::sync::mpsc::channel();
        let (db_url, buffer) = (db_url.to_string(), logs.clone());
        let thread = std::thread::spawn(move || {
            let writer = move || Buffer(buffer.clone());
            let _logging = tracing_subscriber::fmt().json().with_writer(writer).set_default();
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            runtime.block_on(async move {
                let backend = connect(&db_url).await.unwrap();
                let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await.unwrap();
                ready.send(()).unwrap();
                let (graceful, is_graceful) = oneshot::channel::<()>();
                let app = router(backend, Arc::new(Limiter::new(600_000, 100_000)));
                let serve = axum::serve(listener, app)
                    .with_graceful_shutdown(async move {
                        let _ = is_graceful.await;
                    })
                    .into_future();
                tokio::pin!(serve);
                tokio::select! {
                    _ = &mut serve => {}
                    kill = stopped => {
                        if kill == Ok(false) {
                            let _ = graceful.send(());
                            let _ = serve.await;
                        }
                        // Killed: returning drops the server and every open connection at once.
                    }
                }
            });
        });
        is_ready.recv().unwrap();
        TestRelay { logs, stop: Some(stop), thread: Some(thread) }
    }

    /// Stops accepting and lets requests in flight finish.
    pub fn stop(mut self) {
        self.end(false);
    }

    /// Drops the server and its connections at once, as a crash would.
    pub fn kill(mut self) {
        self.end(true);
    }

    fn end(&mut self, kill: bool) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(kill);
        }
        if let Some(thread) = self.thread.take() {
            thread.join().unwrap();
        }
    }

    pub fn logs(&self) -> String {
        String::from_utf8_lossy(&self.logs.lock().unwrap()).into_owned()
    }
}

impl Drop for TestRelay {
    fn drop(&mut self) {
        self.end(true);
    }
}
