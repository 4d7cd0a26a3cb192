#!/usr/bin/env bash
# Builds gee and runs every test: unit, integration (real server over HTTP) and
# end-to-end (AWS CLI and boto3 against `gee serve`).
#   ./test.sh                 everything, in build/
#   ./test.sh --sanitize      unit + integration built with ASan and UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh

if [ "${1:-}" = "--sanitize" ]; then
  bash scripts/build.sh build-asan -DGEE_SANITIZE=ON -DGEE_BUILD_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  cd build-asan
  ctest --output-on-failure -j "${GEE_JOBS:-2}" -L 'unit|integration'
  exit $?
fi

bash scripts/build.sh build
cd build
ctest --output-on-failure -j "${GEE_JOBS:-2}"
