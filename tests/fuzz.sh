#!/usr/bin/env bash
# Fuzzes every input a stranger can hand Waymark (calendar files, pairing
# codes, envelopes, backups, content packs, Daylio exports), a few seconds per
# target, from the seeds in core/fuzz/seeds plus the calendar fixtures and the
# bundled content. Installs cargo-fuzz into .tools/ on first use.
#
# FUZZ_SECONDS sets the time per target (default 5); FUZZ_TARGETS picks targets.
# A crash fails the run and leaves its input in core/fuzz/artifacts/<target>/:
# turn it into a regression test beside the code it broke.
#
# The machine's one toolchain is stable, so the targets are built without a
# sanitizer (`-s none`): libFuzzer still gets coverage, comparisons and
# panics, and the Rust behind them is safe code.
set -euo pipefail
cd "$(dirname "$0")/.."
tools=$PWD/.tools/cargo-fuzz
if ! [ -x "$tools/bin/cargo-fuzz" ]; then
  cargo install --quiet --locked --root "$tools" cargo-fuzz --version 0.13.2
fi
export PATH=$tools/bin:$PATH
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cd core/fuzz
cargo fuzz build -s none

status=0
for target in ${FUZZ_TARGETS:-ics pairing_code envelope backup_file content_pack daylio_csv}; do
  case $target in
    ics) extra=(../tests/fixtures/calendar) ;;
    content_pack) extra=(../content) ;;
    *) extra=() ;;
  esac
  mkdir -p "$scratch/corpus/$target"
  log=$scratch/$target.log
  # TMPDIR holds the scratch store each target opens; it goes with $scratch.
  if TMPDIR=$scratch cargo fuzz run -s none "$target" "$scratch/corpus/$target" "seeds/$target" "${extra[@]}" \
    -- -max_total_time="${FUZZ_SECONDS:-5}" -timeout=20 -print_final_stats=1 >"$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    corpus=$(find "$scratch/corpus/$target" -type f | wc -l)
    echo "fuzz: $target: $runs runs in ${FUZZ_SECONDS:-5} s, $corpus new inputs, no crash"
  else
    status=1
    echo "fuzz: $target FAILED"
    grep -E "panicked|ERROR|SUMMARY|Test unit written" "$log" || tail -40 "$log"
    for unit in artifacts/"$target"/*; do
      [ -f "$unit" ] && { echo "-- $unit (base64):"; base64 -w 0 "$unit"; echo; }
    done
  fi
done
exit $status
