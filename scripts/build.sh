#!/usr/bin/env bash
# The release build: `trunk build --release --offline` (extra arguments go to Trunk), with Rust's
# standard library rebuilt for the app's own profile and for size (its `optimize_for_size`
# feature), panics that stop at once instead of formatting a message nobody reads (a panic is a
# bug; the page shows its boot failure either way), and no source locations kept for them.
# Measured (issue 14): −21.7 KB brotli of the wasm (−7.3 %), the largest single cut left after
# `erase_components`.
#
# These are unstable options of the stable toolchain, switched on for this build only
# (RUSTC_BOOTSTRAP=1, Cargo's -Zbuild-std, rustc's -Cpanic=immediate-abort, -Zlocation-detail=none
# and -Zinline-mir=no; the standard library's source comes from the rust-src component
# scripts/setup.sh adds). Nothing else uses them: tests, clippy and `trunk serve` build the
# ordinary way. If this toolchain no longer accepts them, the build says so and goes on without
# them (the same app, a bigger wasm: CI's size check then fails, so it cannot go unnoticed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

CARGO_BIN="${CARGO_HOME:-$HOME/.cargo}/bin"
# node_modules/.bin first: binaryen's wasm-opt 132 (scripts/optimize-wasm.mjs), never Debian's.
export PATH="$PWD/node_modules/.bin:$CARGO_BIN:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

# Keep in step with .cargo/config.toml (this variable replaces its rustflags for wasm32).
# No inlining by cost (LLVM's thresholds 0, rustc's MIR inliner off): inlined copies of generic
# code grew the wasm and, merged into large callers, compressed worse; functions called once are
# still inlined. Measured (issue 14): −5.4 KB brotli.
flags="-Cllvm-args=-inline-threshold=0 -Cllvm-args=-inlinehint-threshold=0 -Zinline-mir=no"
flags="$flags --cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none"
sysroot="$(rustc --print sysroot)"
if [ -d "$sysroot/lib/rustlib/src/rust/library/std" ] &&
  RUSTC_BOOTSTRAP=1 rustc $flags --target wasm32-unknown-unknown --print cfg >/dev/null 2>&1; then
  export RUSTC_BOOTSTRAP=1
  export CARGO_UNSTABLE_BUILD_STD=std,panic_abort
  export CARGO_UNSTABLE_BUILD_STD_FEATURES=optimize_for_size
  export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="$flags"
else
  echo "build.sh: warning: this toolchain cannot rebuild the standard library for size (rust-src missing, or" >&2
  echo "build.sh: -Cpanic=immediate-abort refused): building without it; the wasm will be about 22 KB bigger" >&2
fi
exec trunk build --release --offline "$@"
