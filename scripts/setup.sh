#!/usr/bin/env bash
# Installs everything wan-studio needs to build, serve and test, idempotently: every step first checks
# what is there and skips it when it is already right, so a warm run takes seconds.
#
#   - Rust target wasm32-unknown-unknown (+ rustfmt and clippy components)
#   - trunk 0.21.14 and wasm-bindgen-cli 0.2.130 (cargo install)
#   - node tooling from package-lock.json (npm ci): binaryen's wasm-opt 132, terser (the glue), @playwright/test +
#     playwright-core, axe-core, lighthouse + chrome-launcher (scripts/lighthouse.mjs); all of them drive
#     Debian's chromium and download none (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1)
#   - Debian's chromium + chromium-driver (apt), used headless by the wasm tests and the e2e suite
#
# Nothing here downloads a browser or a toolchain of its own (no `playwright install`).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TRUNK_VERSION=0.21.14
WASM_BINDGEN_VERSION=0.2.130

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"
# Playwright's packages never fetch a browser of their own here: the tests use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

say() { printf '[setup] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    sudo "$@"
  else
    say "need root for: $* (not root, no sudo)" >&2
    return 1
  fi
}

# Another process (e.g. a parallel setup) may already be compiling the same tool: wait for it
# instead of starting a duplicate build, then re-check.
wait_for_cargo_install() {
  local crate=$1 waited=0
  # Match only processes whose argv[0] is cargo, not shells that merely mention the words.
  while pgrep -f "^[^ ]*cargo install ${crate}( |\$)" >/dev/null 2>&1; do
    if [ "$waited" -eq 0 ]; then say "another 'cargo install $crate' is running; waiting for it"; fi
    sleep 5
    waited=$((waited + 5))
  done
}

# --- Rust target and components -------------------------------------------------------------------
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rust target wasm32-unknown-unknown: present, skipped"
else
  say "rust target wasm32-unknown-unknown: adding"
  rustup target add wasm32-unknown-unknown
fi

# rust-src: the release build (scripts/build.sh) rebuilds the standard library for size.
for comp in rustfmt clippy rust-src; do
  if rustup component list --installed 2>/dev/null | grep -q "^${comp}"; then
    say "rust component $comp: present, skipped"
  else
    say "rust component $comp: adding"
    rustup component add "$comp"
  fi
done

# The standard library's own dependencies, for the release build's rebuild of it (build.sh runs
# Cargo --offline): a fresh machine has none of them in Cargo's cache. Seconds when cached.
std_lib="$(rustc --print sysroot)/lib/rustlib/src/rust/library/Cargo.toml"
if [ -f "$std_lib" ]; then
  say "standard library's dependencies: fetching (cached ones are skipped)"
  RUSTC_BOOTSTRAP=1 cargo fetch --manifest-path "$std_lib" --quiet ||
    say "standard library's dependencies: fetch failed (no network?): the release build needs them"
fi

# --- trunk ----------------------------------------------------------------------------------------
trunk_ok() { command -v trunk >/dev/null 2>&1 && [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; }
if ! trunk_ok; then wait_for_cargo_install trunk; fi
if trunk_ok; then
  say "trunk $TRUNK_VERSION: present, skipped"
else
  say "trunk $TRUNK_VERSION: installing (cargo install, takes several minutes)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# --- wasm-bindgen-cli (wasm-bindgen + wasm-bindgen-test-runner) ------------------------------------
# Deliberately without --locked: the published lockfile of 0.2.130 does not build on current Rust.
wb_ok() {
  command -v wasm-bindgen >/dev/null 2>&1 &&
    command -v wasm-bindgen-test-runner >/dev/null 2>&1 &&
    [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]
}
if ! wb_ok; then wait_for_cargo_install wasm-bindgen-cli; fi
if wb_ok; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: present, skipped"
else
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION: installing (cargo install, takes several minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

# --- node tooling ---------------------------------------------------------------------------------
if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] ||
  [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "node_modules: missing or older than package-lock.json; running npm ci"
  npm ci --no-audit --no-fund
else
  say "node_modules: up to date with package-lock.json, skipped"
fi
say "wasm-opt: $(command -v wasm-opt) ($(wasm-opt --version))"

# --- Chromium + chromedriver (Debian) ---------------------------------------------------------------
# fonts-noto-cjk: Chinese text must render in the screenshots the e2e suite takes.
# SETUP_BUILD_ONLY=1 (used by the Pages workflow) skips the browser: a build needs none.
if [ "${SETUP_BUILD_ONLY:-0}" = "1" ]; then
  say "chromium: skipped (SETUP_BUILD_ONLY=1)"
elif [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] &&
  [ -x /usr/sbin/nginx ] && [ -x /usr/bin/caddy ]; then
  say "chromium + chromedriver + fonts-noto-cjk + nginx + caddy: present, skipped"
else
  # nginx and caddy: the e2e suite tests the relay snippets in docs/relay/ with the real servers.
  say "chromium + chromedriver + fonts-noto-cjk + nginx + caddy: installing with apt-get"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
    chromium chromium-driver fonts-noto-cjk nginx-light caddy
fi

say "done"
