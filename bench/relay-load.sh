#!/usr/bin/env bash
# The relay under load from a second process on loopback: 64 clients upload
# 1 KiB envelopes for 10 s, against the SQLite backend and then PostgreSQL.
# Prints uploads per second and p50/p99 latency for each.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
source tests/postgres.sh
CLIENTS=${CLIENTS:-64}
SECONDS_EACH=${SECONDS_EACH:-10}
cargo build --quiet --release -p waymark-relay --bin waymark-relay --example load
work=$(mktemp -d)

run() {
    local db=$1 name=$2
    # Rate limits are sized for phones, per channel and per address; the load
    # test lifts the first and turns off the second (every client is 127.0.0.1).
    "$ROOT/target/release/waymark-relay" --listen 127.0.0.1:0 --db "$db" --rate-per-minute 100000000 \
        --burst 1000000 --ip-rate-per-minute 0 >"$work/out" 2>"$work/log" &
    local pid=$!
    for _ in $(seq 100); do grep -q '^listening on ' "$work/out" && break; sleep 0.1; done
    local url
    url=$(sed -n 's/^listening on //p' "$work/out")
    echo -n "$name: "
    "$ROOT/target/release/examples/load" "$url" "$CLIENTS" "$SECONDS_EACH"
    kill -TERM $pid && wait $pid || true
}

run "sqlite:$work/relay.db" sqlite
start_postgres >/dev/null
run "$WAYMARK_TEST_POSTGRES" postgres
rm -rf "$work"
