#!/usr/bin/env bash
# The README's first command: installs what gee needs, builds it, starts the
# emulator on http://127.0.0.1:4566 with fresh state, replays the documented
# Glue encryption workflow against it (scenarios/documented-workflow.jsonc)
# and prints the report, then keeps the emulator running until Ctrl-C.
#
#   ./run.sh                 the documented workflow
#   ./run.sh --explain       ... narrated step by step
#   ./run.sh SCENARIO...     other scenario files or directories instead
#
# Options starting with "--" are passed to `gee scenario run`; anything else
# names scenarios. GEE_PORT changes the port (default 4566).
set -euo pipefail
cd "$(dirname "$0")"

port="${GEE_PORT:-4566}"
endpoint="http://127.0.0.1:${port}"
data_dir=".gee"

scenarios=()
options=()
for arg in "$@"; do
  case "$arg" in
    --*) options+=("$arg") ;;
    *) scenarios+=("$arg") ;;
  esac
done
if [ ${#scenarios[@]} -eq 0 ]; then scenarios=(scenarios/documented-workflow.jsonc); fi

bash scripts/setup.sh
echo "run.sh: building gee (first build takes a few minutes)..."
GEE_BUILD_TARGET=gee bash scripts/build.sh build >/dev/null
echo "run.sh: built build/gee"

# Fresh state: the scenario assumes an empty account.
rm -rf "$data_dir"

port_file="$(mktemp)"
rm -f "$port_file"
./build/gee serve --host 127.0.0.1 --port "$port" --data-dir "$data_dir" --no-access-log \
  --port-file "$port_file" &
gee_pid=$!
stop() {
  if kill -0 "$gee_pid" 2>/dev/null; then
    kill -TERM "$gee_pid" 2>/dev/null || true
    wait "$gee_pid" 2>/dev/null || true
  fi
  rm -f "$port_file"
}
trap stop EXIT
trap 'exit 130' INT TERM

# Wait (up to 10 s) until gee listens.
for _ in $(seq 1 100); do
  if [ -s "$port_file" ]; then break; fi
  if ! kill -0 "$gee_pid" 2>/dev/null; then
    echo "run.sh: gee did not start (is port ${port} in use? set GEE_PORT)" >&2
    exit 1
  fi
  sleep 0.1
done
if [ ! -s "$port_file" ]; then
  echo "run.sh: gee did not start listening on ${endpoint}" >&2
  exit 1
fi

echo
status=0
./build/gee scenario run --endpoint "$endpoint" "${options[@]}" "${scenarios[@]}" || status=$?

echo
if [ "$status" -eq 0 ]; then
  echo "run.sh: the scenario passed."
else
  echo "run.sh: the scenario reported failures (exit status ${status}); see above."
fi
cat <<EOF

gee is still running on ${endpoint} with the state the scenario left (in ${data_dir}).
Point a client at it, e.g.:
  AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1 \\
    aws --endpoint-url ${endpoint} glue get-data-catalog-encryption-settings
Press Ctrl-C to stop it.
EOF
wait "$gee_pid"
