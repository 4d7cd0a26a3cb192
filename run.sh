#!/usr/bin/env bash
# Builds gee and starts the emulator on http://127.0.0.1:4566 (state in ./.gee).
# Stop it with Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
GEE_BUILD_TARGET=gee bash scripts/build.sh build >/dev/null
echo "gee: built build/gee"
exec ./build/gee serve --host 127.0.0.1 --port 4566 --data-dir .gee "$@"
