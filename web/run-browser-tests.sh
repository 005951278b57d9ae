#!/usr/bin/env bash
# The console's browser tests: install the locked npm packages, build the console and the map
# performance page, then drive Debian's Chromium against a real `cordon serve` (started by the
# tests themselves on 127.0.0.1 with a random port and a temp database).
#
#   CORDON_BINARY   the cordon program (default build/debug/cordon, relative to the repo root)
#   CHROMIUM_PATH   the browser (default /usr/bin/chromium, Debian's package "chromium")
#   SKIP_NPM_CI=1   keep node_modules as it is (quicker when developing)
#
# Exit status: non-zero when any test fails. Screenshots: web/test-artifacts/<scenario>/.
set -euo pipefail
cd "$(dirname "$0")"
export CORDON_BINARY="${CORDON_BINARY:-build/debug/cordon}"
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"

if ! command -v node > /dev/null || ! command -v npm > /dev/null; then
  echo "run-browser-tests: node and npm are needed (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -x "$chromium_path" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "run-browser-tests: installing Debian's chromium" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium > /dev/null \
      || { apt-get update > /dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium > /dev/null; }
  else
    echo "run-browser-tests: no Chromium at $chromium_path (apt-get install chromium)" >&2
    exit 1
  fi
fi

if [ "${SKIP_NPM_CI:-}" != 1 ] || [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund --loglevel=error
fi
npm run --silent build
npm run --silent build:perf
mkdir -p test-artifacts
node --test --test-concurrency=1 tests/browser/*.test.mjs
