#!/usr/bin/env bash
# The benchmark (README → Performance), in one command: setup, then the app's release build (into
# target/bench/app-dist, so that a `trunk serve` or build writing dist/ at the same time cannot swap
# files under the measurement), the hello-world reference (benches/hello → target/bench/hello-dist),
# the simulator, the seeded history's generator (examples/seed_ledger.rs, native release), and
# scripts/bench.mjs, which prints the tables and writes them as markdown to target/bench/report.md.
#
#   scripts/bench.sh [--no-build] [bench.mjs options, e.g. --runs 15 --update-readme]
#
# Takes about 5 minutes warm on a 2-core machine. Other load on the machine skews the timings: the
# report prints the load average at start and end.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

build=1
if [ "${1:-}" = "--no-build" ]; then
  build=0
  shift
fi

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# node_modules/.bin first: Trunk must find binaryen's wasm-opt 132, never Debian's.
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

section() { printf '\n=== %s ===\n' "$*"; }

if [ "$build" -eq 1 ]; then
  section "setup"
  bash scripts/setup.sh
  section "release build: app (target/bench/app-dist)"
  scripts/build.sh --dist target/bench/app-dist
  section "release build: hello-world (target/bench/hello-dist)"
  # Built the same way as the app, so the ratio compares like with like.
  scripts/build.sh --config benches/hello/Trunk.toml
  section "simulator build"
  cargo build --release -p dmxapi-sim
  section "seeded history generator (examples/seed_ledger.rs)"
  cargo build --release --example seed_ledger
fi

section "benchmark"
exec node scripts/bench.mjs "$@"
