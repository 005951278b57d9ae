#!/usr/bin/env bash
# Runs every libFuzzer target in DIR for FUZZ_SECONDS each, starting from a copy of its seed
# corpus in fuzz/corpus/<target>/ (the copy grows; the committed seeds stay small).
# Crashes are written to fuzz/findings/<target>/ and make the script fail.
set -euo pipefail
dir=${1:?usage: run-fuzzers.sh BUILD_FUZZ_DIR}
seconds=${FUZZ_SECONDS:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
failed=0
for target in "$dir"/fuzz_*; do
  [[ -x "$target" && -f "$target" ]] || continue
  name=$(basename "$target")
  work="$root/build/fuzz-corpus/$name"
  findings="$root/fuzz/findings/$name"
  mkdir -p "$work" "$findings"
  [[ -d "$root/fuzz/corpus/$name" ]] && cp -rn "$root/fuzz/corpus/$name/." "$work/"
  echo "== $name (${seconds}s)"
  if ! "$target" "$work" -max_total_time="$seconds" -artifact_prefix="$findings/" -print_final_stats=1 \
       > "$root/build/fuzz-corpus/$name.log" 2>&1; then
    echo "!! $name found a problem: see $findings and build/fuzz-corpus/$name.log"
    failed=1
  else
    grep -E "stat::number_of_executed_units|cov:" "$root/build/fuzz-corpus/$name.log" | tail -2 || true
  fi
done
exit $failed
