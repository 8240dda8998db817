#!/usr/bin/env bash
# Backup and restore of the ten-year store at the phone's Argon2id cost
# (64 MiB, 3 passes): time and peak memory, each in its own process.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cargo build --quiet --release -p waymark-core --example backup_cycle
file=$(mktemp)
trap 'rm -f "$file"' EXIT
target/release/examples/backup_cycle backup "$file"
target/release/examples/backup_cycle restore "$file"
