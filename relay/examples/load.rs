//! A bounded load client for the relay, run from its own process on loopback:
//! N clients, each on its own channel (whose id follows from its token, as the
//! relay requires), upload 1 KiB envelopes back to back for a fixed time.
//! Prints uploads per second and p50/p99 latency.
//! `cargo run --release -p waymark-relay --example load -- URL [CLIENTS] [SECONDS]`

use std::time::{Duration, Instant};

use waymark_protocol::{channel_for_token, message_path, Direction, Header};

fn main() {
    let mut args = std::env::args().skip(1);
    let url = args.next().expect("usage: load URL [CLIENTS] [SECONDS]");
    let clients: usize = args.next().map_or(64, |n| n.parse().expect("a number of clients"));
    let seconds: u64 = args.next().map_or(10, |n| n.parse().expect("a number of seconds"));
    let run = std::process::id() as u64;
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let threads: Vec<_> = (0..clients)
        .map(|client| {
            let url = url.clone();
            std::thread::spawn(move || upload_until(&url, run, client as u64, deadline))
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    let mut failures = 0;
    for thread in threads {
        let (done, failed) = thread.join().expect("a client thread");
        latencies.extend(done);
        failures += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let at = |q: f64| latencies[((latencies.len() as f64 * q) as usize).min(latencies.len() - 1)];
    println!(
        "{clients} clients, {seconds} s: {} uploads, {:.0} uploads/s, p50 {:.2} ms, p99 {:.2} ms, {failures} failed",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        at(0.50).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
    );
}

fn upload_until(url: &str, run: u64, client: u64, deadline: Instant) -> (Vec<Duration>, u64) {
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    let token = format!("load-{run}-{client}");
    let channel = channel_for_token(&token);
    let token = format!("Bearer {token}");
    let (mut latencies, mut failed, mut n) = (Vec::new(), 0, 0u64);
    while Instant::now() < deadline {
        n += 1;
        let mut message_id = [0u8; 16];
        message_id[..8].copy_from_slice(&client.to_be_bytes());
        message_id[8..].copy_from_slice(&n.to_be_bytes());
        message_id[6] = 0x70;
        let header =
            Header { direction: Direction::ToClinician, channel, message_id, created_at_millis: 0, nonce: [7; 24] };
        let mut envelope = header.to_bytes().to_vec();
        envelope.extend([0xA5; 1024]);
        let path = message_path(&channel, &header.message_id_text());
        let sent = Instant::now();
        match agent.put(&format!("{url}{path}")).header("Authorization", &token).send(&envelope[..]) {
            Ok(response) if response.status().as_u16() == 201 => latencies.push(sent.elapsed()),
            _ => failed += 1,
        }
    }
    (latencies, failed)
}
