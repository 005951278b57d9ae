#!/usr/bin/env bash
# Installs the Debian 12 packages Cordon needs to build, test and run.
# Idempotent: only what is missing is installed, so a second run costs a few dpkg queries.
# The list is the contract: add a package here when the code starts to need it.
set -euo pipefail

BUILD_PACKAGES=(
  cmake ninja-build g++ make pkg-config ccache git
  libboost-dev libboost-system-dev libssl-dev
  nlohmann-json3-dev libsimdjson-dev libsqlite3-dev sqlite3
  libcli11-dev libspdlog-dev libfmt-dev
  libicu-dev libpugixml-dev tao-pegtl-dev libmosquitto-dev libsodium-dev
  libxgboost-dev  # learned scoring (gradient-boosted trees, SHAP contributions)
)
TEST_PACKAGES=(
  googletest libgtest-dev libgmock-dev libbenchmark-dev curl
  mosquitto mosquitto-clients
  chromium  # the console's browser tests drive Debian's Chromium (web/run-browser-tests.sh)
)
# libFuzzer: clang 16 is the first that compiles libstdc++ 12's std::expected (see fuzz/CMakeLists.txt).
FUZZ_PACKAGES=(clang-16 libclang-rt-16-dev)
BENCH_PACKAGES=(wrk)

# Usage: install-deps.sh [--build-only] [--fuzz] [--bench]
wanted=("${BUILD_PACKAGES[@]}" "${TEST_PACKAGES[@]}")
for arg in "$@"; do
  case "$arg" in
    --build-only) wanted=("${BUILD_PACKAGES[@]}") ;;
    --fuzz) wanted+=("${FUZZ_PACKAGES[@]}") ;;
    --bench) wanted+=("${BENCH_PACKAGES[@]}") ;;
    *) echo "install-deps: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for pkg in "${wanted[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

# The console is built with Node.js and npm. Machines of this project's kind come with Node 20;
# on a bare Debian 12 the distribution's nodejs is the fallback.
if ! command -v npm > /dev/null; then
  missing+=(nodejs npm)
fi

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#wanted[@]} packages present"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
