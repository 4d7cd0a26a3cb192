#!/usr/bin/env bash
# Configures and builds gee. Usage: scripts/build.sh [build-dir] [extra cmake args...]
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache (when installed) keys on paths relative to the checkout, so a fresh
# clone elsewhere reuses earlier compilations.
export CCACHE_BASEDIR="${CCACHE_BASEDIR:-$PWD}"
# Debug-info builds would otherwise hash the build directory's absolute path.
export CCACHE_NOHASHDIR="${CCACHE_NOHASHDIR:-true}"
build_dir="${1:-build}"
shift || true
generator=()
if command -v ninja >/dev/null 2>&1; then generator=(-G Ninja); fi
if [ ! -f "$build_dir/CMakeCache.txt" ]; then
  cmake -S . -B "$build_dir" "${generator[@]}" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
fi
jobs="${GEE_JOBS:-$(nproc)}"
cmake --build "$build_dir" -j "$jobs" ${GEE_BUILD_TARGET:+--target "$GEE_BUILD_TARGET"}
