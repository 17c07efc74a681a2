#!/usr/bin/env bash
# The project's whole check, as CI runs it (.ci/run): setup, formatting, lints, native and wasm
# (headless Chromium) unit tests, the release build and its first-load size check, the simulator build, the
# end-to-end suite, the Lighthouse scores of the release build (printed), and the sizes of what ships.
# Stops at the first failure with a non-zero exit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

section() { printf '\n=== %s ===\n' "$*"; }
trap 'rc=$?; if [ $rc -ne 0 ]; then printf "\n=== FAILED (exit %s) in: %s ===\n" "$rc" "${CURRENT:-setup}" >&2; fi' EXIT

CURRENT="setup"
section "$CURRENT"
bash scripts/setup.sh

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# node_modules/.bin first: Trunk must find binaryen's wasm-opt 132, never Debian's.
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
export CHROMEDRIVER=/usr/bin/chromedriver
# Playwright drives Debian's Chromium (playwright.config.mjs); it never downloads a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

run() {
  CURRENT=$1
  shift
  section "$CURRENT"
  "$@"
}

run "cargo fmt --check" cargo fmt --all -- --check
run "clippy (native, workspace)" cargo clippy --workspace --all-targets -- -D warnings
run "clippy (wasm32, wan-studio)" cargo clippy -p wan-studio --target wasm32-unknown-unknown --all-targets -- -D warnings
run "native tests" cargo test --workspace
run "wasm tests (headless Chromium)" cargo test --target wasm32-unknown-unknown -p wan-studio
run "release build (scripts/build.sh: trunk, standard library rebuilt for size)" scripts/build.sh
run "first-load size check (brotli: the 200 KB budget; while over it, no growth over benches/first-load.json)" node scripts/size-check.mjs dist
run "simulator build" cargo build --release -p dmxapi-sim
# Playwright Test (playwright.config.mjs): traces and screenshots of failures in tests/e2e/artifacts/.
run "end-to-end tests (Playwright)" playwright test
# Scores of the release build (each preset 3 times, the median shown), printed, never asserted: this
# fails only when Lighthouse cannot run at all.
run "lighthouse (mobile + desktop scores)" timeout -k 10 300 node scripts/lighthouse.mjs dist --runs 3
run "dist sizes (raw / gzip -9 / brotli -q 11)" node scripts/sizes.mjs dist

CURRENT="done"
section "all checks passed"
