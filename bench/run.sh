#!/usr/bin/env bash
# Runs every benchmark built by the "bench" preset and keeps their output in bench/results/.
# Copy the figures worth keeping into bench/README.md with the date, machine and command.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build/bench/bench"
out="$root/bench/results"
mkdir -p "$out"
stamp=$(date -u +%Y-%m-%dT%H%M%SZ)
log="$out/$stamp.txt"
{
  echo "# $stamp on $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -srm)"
  echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$log"
for bench in "$build"/*/bench_*; do
  [[ -x "$bench" && -f "$bench" ]] || continue
  echo "## $(basename "$bench")" | tee -a "$log"
  "$bench" 2>&1 | tee -a "$log"
done
echo "results in $log"
