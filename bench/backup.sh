#!/usr/bin/env bash
# Backup and restore at the phone's Argon2id cost (64 MiB, 3 passes): time and
# peak memory, each in its own process, for the ten-year store and for a store
# of 1 GiB (built once in target/, about 10,500 entries of 100,000 characters;
# BACKUP_BIG_MIB=0 skips it).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
cargo build --quiet --release -p waymark-core --example backup_cycle
file=$(mktemp)
trap 'rm -f "$file" "$file.light"' EXIT
target/release/examples/backup_cycle backup "$file"
target/release/examples/backup_cycle restore "$file"
big=${BACKUP_BIG_MIB:-1024}
if [ "$big" != 0 ]; then
    target/release/examples/backup_cycle backup "$file" "$big"
    target/release/examples/backup_cycle restore "$file"
fi
