#!/usr/bin/env bash
# Serves wan-studio locally on http://127.0.0.1:8080 (trunk serve, rebuilds on change).
#
#   scripts/start.sh          the app; enter your DMXAPI key in Settings
#   scripts/start.sh --demo   also runs the local DMXAPI simulator on 127.0.0.1:9090 and opens
#                             http://127.0.0.1:8080/?demo, which talks to the simulator with a
#                             throwaway key and leaves your stored settings alone
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

demo=false
for arg in "$@"; do
  case "$arg" in
    --demo) demo=true ;;
    -h | --help)
      sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "unknown argument: $arg (use --demo or --help)" >&2
      exit 2
      ;;
  esac
done

bash scripts/setup.sh

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# node_modules/.bin first: Trunk must find binaryen's wasm-opt 132, never Debian's.
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

APP_URL="http://127.0.0.1:8080/"
children=() # everything to stop on exit
services=() # the long-running servers: when one stops, the script stops
cleanup() {
  local pid
  for pid in "${children[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Waits (bounded) until an HTTP server answers at $1.
wait_http() {
  local url=$1 tries=${2:-600}
  while [ "$tries" -gt 0 ]; do
    if node -e "require('http').get(process.argv[1], r => process.exit(0)).on('error', () => process.exit(1))" "$url" 2>/dev/null; then
      return 0
    fi
    sleep 0.5
    tries=$((tries - 1))
  done
  return 1
}

# Fails early, with a clear message, when a port we need is taken.
require_free_port() {
  if ! node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen(+process.argv[1],'127.0.0.1',()=>s.close())" "$1"; then
    echo "[start] 127.0.0.1:$1 is already in use ($2 needs it); stop whatever listens there first" >&2
    exit 1
  fi
}
require_free_port 8080 "trunk serve"
if $demo; then require_free_port 9090 "the demo simulator"; fi

if $demo; then
  echo "[start] building the DMXAPI simulator"
  cargo build --release -p dmxapi-sim
  echo "[start] simulator on http://127.0.0.1:9090 (queued 3 s, running 15 s)"
  target/release/dmxapi-sim --port 9090 --pending-ms 3000 --running-ms 15000 &
  children+=($!)
  services+=($!)
  APP_URL="http://127.0.0.1:8080/?demo"
  (
    if wait_http "http://127.0.0.1:8080/"; then
      echo "[start] demo ready: $APP_URL"
      if command -v xdg-open >/dev/null 2>&1; then xdg-open "$APP_URL" >/dev/null 2>&1 || true; fi
    fi
  ) &
  children+=($!)
fi

echo "[start] serving wan-studio at $APP_URL (Ctrl-C to stop)"
trunk serve --offline &
children+=($!)
services+=($!)
# Exit as soon as trunk (or, in demo mode, the simulator) stops; the trap stops the rest.
wait -n "${services[@]}" || exit $?
