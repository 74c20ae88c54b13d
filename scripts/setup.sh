#!/usr/bin/env bash
# Installs what GreenWatch needs to build, to test and to benchmark. Sourced
# by scripts/run, scripts/test, scripts/bench and scripts/bench-load; every
# step checks first, so a second run on a ready machine takes seconds.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TRUNK_VERSION=0.21.14
export PATH="$HOME/.cargo/bin:$ROOT/scripts/build-tools/node_modules/.bin:$PATH"

log() { printf '\n==> %s\n' "$*" >&2; }

# apt-get install the named Debian packages that are not installed yet.
need_apt() {
  local missing=() package
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
      || missing+=("$package")
  done
  [ "${#missing[@]}" -eq 0 ] && return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  log "Installing Debian packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# npm ci in a folder, unless its node_modules already match its lockfile.
npm_ci() {
  local dir="$1" stamp="$1/node_modules/.greenwatch-lock.sha256" want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "npm ci in ${dir#"$ROOT"/}"
  npm ci --prefix "$dir" --no-audit --no-fund
  echo "$want" > "$stamp"
}

# The wasm-bindgen version the app is locked to: the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' "$ROOT/Cargo.lock"
}

setup_build() {
  command -v cargo >/dev/null || { echo "GreenWatch needs Rust: install rustup first." >&2; exit 1; }
  command -v npm >/dev/null || need_apt nodejs npm
  command -v sha256sum >/dev/null || need_apt coreutils
  # The trunk hook stores brotli and gzip copies of the build.
  need_apt brotli gzip

  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    log "Adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi

  if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
    log "Installing trunk $TRUNK_VERSION (several minutes, once)"
    cargo install trunk --version "$TRUNK_VERSION" --locked
  fi

  local bindgen
  bindgen=$(locked_wasm_bindgen_version)
  [ -n "$bindgen" ] || { echo "Cargo.lock names no wasm-bindgen" >&2; exit 1; }
  if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $bindgen" ]; then
    log "Installing wasm-bindgen-cli $bindgen (a few minutes, once)"
    # No --locked: its lockfile names a crate release the registry does not serve.
    cargo install wasm-bindgen-cli --version "$bindgen" --force
  fi

  npm_ci "$ROOT/scripts/build-tools"
}

setup_test() {
  need_apt chromium chromium-driver
  npm_ci "$ROOT/e2e"
}

# wrk (HTTP load generator with Lua scripting) and curl for scripts/bench-load,
# curl also for the sync benchmark (e2e/bench/sync.bench.ts); only
# scripts/bench needs them.
setup_bench_load() {
  command -v cargo >/dev/null || { echo "GreenWatch needs Rust: install rustup first." >&2; exit 1; }
  need_apt wrk curl
}

# trunk build --release into a folder (default ./dist); trunk never downloads.
# Three entries: the staff console (staff.html, under /staff/, never
# precached) and Learn (learn.html, under /learn/) are built first, each on
# its own; then the citizen app (index.html), whose post_build hook writes
# the service worker's precache lists (the app's, and Learn's so that Learn
# works offline too); the two others are moved in afterwards.
build_app() {
  local dist="${1:-dist}"
  log "Building the app (release) into $dist"
  (
    cd "$ROOT"
    rm -rf "$dist.staff" "$dist.learn"
    GREENWATCH_ENTRY=staff trunk build --release --offline --dist "$dist.staff" --public-url /staff/ staff.html
    GREENWATCH_ENTRY=learn trunk build --release --offline --dist "$dist.learn" --public-url /learn/ learn.html
    GREENWATCH_LEARN_DIST="$(cd "$dist.learn" && pwd)" trunk build --release --offline --dist "$dist"
    rm -rf "$dist/staff" "$dist/learn"
    mv "$dist.staff" "$dist/staff"
    mv "$dist.learn" "$dist/learn"
  )
}
