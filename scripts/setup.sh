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

# The two other browser engines the citizen journey runs in (e2e/engines/):
# WebKit through Debian's WebKitGTK (WebKitWebDriver driving MiniBrowser
# under Xvfb: the engine of Safari and of every iPhone browser) and Gecko
# through Debian's Firefox ESR, driven by geckodriver built from crates.io
# (its prebuilt releases are not on a registry). GStreamer's libav and
# "bad" plugins give WebKitGTK what Safari has on a phone: an AAC encoder
# (voaacenc), so MediaRecorder records audio/mp4 (without it MediaRecorder
# refuses every type), and an AAC decoder, so WebKit and Firefox (through
# the same libavcodec) play audio/mp4 clips. Exports WEBKIT_WEBDRIVER,
# WEBKIT_MINIBROWSER, FIREFOX_BIN and GECKODRIVER for e2e/engines/ and for
# the wasm tests in Firefox.
GECKODRIVER_VERSION=0.37.1
setup_engines() {
  need_apt webkit2gtk-driver xvfb xauth firefox-esr gstreamer1.0-libav gstreamer1.0-plugins-bad
  if [ "$(geckodriver --version 2>/dev/null | head -n1)" != "geckodriver $GECKODRIVER_VERSION" ]; then
    log "Installing geckodriver $GECKODRIVER_VERSION from crates.io (a few minutes, once)"
    cargo install geckodriver --version "$GECKODRIVER_VERSION" --locked \
      || cargo install geckodriver --version "$GECKODRIVER_VERSION"
  fi
  export WEBKIT_WEBDRIVER=/usr/bin/WebKitWebDriver
  export WEBKIT_MINIBROWSER=/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser
  export FIREFOX_BIN=/usr/bin/firefox-esr
  GECKODRIVER=$(command -v geckodriver)
  export GECKODRIVER
}

# A throwaway PostgreSQL cluster for the server's tests (scripts/test runs
# them on it as well as on SQLite): Debian's postgresql package, a cluster in
# target/postgres (or, when running as root and user postgres cannot reach
# that folder, one under /tmp named for this checkout), owned by user
# postgres when running as root and by the current user otherwise, listening
# on 127.0.0.1 only (and a unix socket in its folder) on a free port, trust
# authentication for local connections only. Tuned for speed: fsync is off,
# nothing in it has to survive a crash. Reuses the cluster if it is already
# running. Exports GREENWATCH_TEST_POSTGRES_URL; stop_postgres stops it.
setup_postgres() {
  need_apt postgresql
  PG_BIN=$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n1)
  [ -n "$PG_BIN" ] && [ -x "$PG_BIN/initdb" ] \
    || { echo "PostgreSQL's initdb is not under /usr/lib/postgresql/*/bin" >&2; exit 1; }
  PG_AS=()
  PG_DIR="$ROOT/target/postgres"
  mkdir -p "$PG_DIR"
  if [ "$(id -u)" -eq 0 ]; then
    # PostgreSQL refuses to run as root.
    PG_AS=(runuser -u postgres --)
    chown postgres "$PG_DIR"
    if ! "${PG_AS[@]}" test -w "$PG_DIR"; then
      PG_DIR="/tmp/greenwatch-postgres-$(printf '%s' "$ROOT" | sha256sum | cut -c1-12)"
      mkdir -p "$PG_DIR"
      chown postgres "$PG_DIR"
      chmod 700 "$PG_DIR"
    fi
  fi
  PG_DATA="$PG_DIR/data"
  local port
  if [ -f "$PG_DIR/port" ] && (cd / && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" status >/dev/null 2>&1); then
    port=$(cat "$PG_DIR/port")
  else
    if [ ! -f "$PG_DATA/PG_VERSION" ]; then
      log "Creating a throwaway PostgreSQL cluster in $PG_DATA"
      (cd / && "${PG_AS[@]}" "$PG_BIN/initdb" -D "$PG_DATA" -A trust -U greenwatch --no-sync >/dev/null)
    fi
    # A unix socket path must stay under about 100 bytes.
    local socket=""
    [ "${#PG_DIR}" -lt 80 ] && socket="$PG_DIR"
    local started=""
    for port in $(seq 54330 54429); do
      # Taken if something answers there.
      if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
      if (cd / && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$PG_DIR/server.log" -w -t 60 \
            -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories='$socket' \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=500" \
            start >/dev/null); then
        started=1
        break
      fi
    done
    [ -n "$started" ] || { echo "PostgreSQL did not start; see $PG_DIR/server.log" >&2; exit 1; }
    echo "$port" > "$PG_DIR/port"
    log "PostgreSQL listening on 127.0.0.1:$port"
  fi
  export GREENWATCH_TEST_POSTGRES_URL="postgres://greenwatch@127.0.0.1:$port/postgres"
}

# Stops the cluster setup_postgres started (nothing if there is none).
stop_postgres() {
  [ -n "${PG_DATA:-}" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
  (cd / && "${PG_AS[@]}" "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null) || true
}

# A throwaway S3-compatible server for the media tests (scripts/test runs the
# server's tests on PostgreSQL with their media in it): moto's server from
# PyPI (pinned in server/tests/s3/requirements.txt) in a venv in
# target/s3-venv, listening on 127.0.0.1 on a free port, everything in its
# memory, with one bucket `greenwatch-test`. Exports GREENWATCH_TEST_S3_URL
# and the AWS_* variables object_store reads (endpoint, region, a dummy key,
# plain http allowed); stop_s3 stops it. Reuses a running one.
setup_s3() {
  command -v python3 >/dev/null || need_apt python3
  python3 -c 'import ensurepip, venv' 2>/dev/null || need_apt python3-venv
  need_apt curl
  local requirements="$ROOT/server/tests/s3/requirements.txt"
  local venv="$ROOT/target/s3-venv" stamp want
  stamp="$venv/.greenwatch-requirements.sha256"
  want=$(sha256sum "$requirements" | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    log "S3 test server venv ($venv)"
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    echo "$want" > "$stamp"
  fi
  local dir="$ROOT/target/s3" port=""
  mkdir -p "$dir"
  if [ -f "$dir/port" ] && [ -f "$dir/pid" ] && kill -0 "$(cat "$dir/pid")" 2>/dev/null \
      && curl -s -o /dev/null "http://127.0.0.1:$(cat "$dir/port")/"; then
    port=$(cat "$dir/port")
  else
    local candidate
    for candidate in $(seq 54530 54629); do
      if (exec 3<>"/dev/tcp/127.0.0.1/$candidate") 2>/dev/null; then continue; fi
      port=$candidate
      break
    done
    [ -n "$port" ] || { echo "no free port for the S3 test server" >&2; exit 1; }
    "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" > "$dir/server.log" 2>&1 &
    echo $! > "$dir/pid"
    local up=""
    for _ in $(seq 1 150); do
      if curl -s -o /dev/null "http://127.0.0.1:$port/"; then up=1; break; fi
      kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
      sleep 0.2
    done
    [ -n "$up" ] || { echo "the S3 test server did not start; see $dir/server.log" >&2; exit 1; }
    echo "$port" > "$dir/port"
    log "S3 test server (moto) listening on 127.0.0.1:$port"
  fi
  # moto accepts any key; the bucket is made once per server.
  curl -s -o /dev/null -X PUT "http://127.0.0.1:$port/greenwatch-test"
  export AWS_ENDPOINT="http://127.0.0.1:$port" AWS_ALLOW_HTTP=true AWS_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=greenwatch-test AWS_SECRET_ACCESS_KEY=greenwatch-test
  export GREENWATCH_TEST_S3_URL="s3://greenwatch-test"
}

# Stops the S3 test server setup_s3 started (nothing if there is none).
stop_s3() {
  local pidfile="$ROOT/target/s3/pid"
  [ -f "$pidfile" ] || return 0
  kill "$(cat "$pidfile")" 2>/dev/null || true
  rm -f "$pidfile"
}

# wrk (HTTP load generator with Lua scripting) and curl for scripts/bench-load,
# curl also for the sync benchmark (e2e/bench/sync.bench.ts); only
# scripts/bench needs them.
setup_bench_load() {
  command -v cargo >/dev/null || { echo "GreenWatch needs Rust: install rustup first." >&2; exit 1; }
  need_apt wrk curl
}

# The first load's map (scripts/bench-size): twiggy, pinned, from crates.io.
TWIGGY_VERSION=0.8.0
setup_bench_size() {
  command -v cargo >/dev/null || { echo "GreenWatch needs Rust: install rustup first." >&2; exit 1; }
  if [ "$(twiggy --version 2>/dev/null)" != "twiggy-opt $TWIGGY_VERSION" ]; then
    log "Installing twiggy $TWIGGY_VERSION (a few minutes, once)"
    cargo install twiggy --version "$TWIGGY_VERSION" --locked
  fi
}

# Lighthouse (scripts/bench-lighthouse), pinned in scripts/bench-tools, run
# with Debian's Chromium.
setup_lighthouse() {
  command -v npm >/dev/null || need_apt nodejs npm
  need_apt chromium
  npm_ci "$ROOT/scripts/bench-tools"
  export PATH="$ROOT/scripts/bench-tools/node_modules/.bin:$PATH"
}

# trunk build --release into a folder (default ./dist); trunk never downloads.
# Five entries: the staff console (staff/index.html, under /staff/, never
# precached), Learn (learn/index.html, under /learn/) and the citizen app's
# report form and follow-up pages (src/bin/report.html under /report/,
# src/bin/follow.html under /follow/; see src/router.rs, `Entry`) and the
# sync engine Home starts when it has something to send (src/bin/sync.html
# under /sync/; see src/sync/deferred.rs) are built first, each on its own;
# then the citizen app's Home (index.html, the first load), whose post_build
# hook writes the service worker's precache list (Home's files, and those of
# Learn, report, follow and sync, so every page works offline); the others
# are moved in afterwards.
build_app() {
  local dist="${1:-dist}"
  log "Building the app (release) into $dist"
  (
    cd "$ROOT"
    local sub
    for sub in staff learn report follow sync; do rm -rf "$dist.$sub"; done
    GREENWATCH_ENTRY=staff trunk build --release --offline --dist "$dist.staff" --public-url /staff/ staff/index.html
    GREENWATCH_ENTRY=learn trunk build --release --offline --dist "$dist.learn" --public-url /learn/ learn/index.html
    GREENWATCH_ENTRY=report trunk build --release --offline --dist "$dist.report" --public-url /report/ src/bin/report.html
    GREENWATCH_ENTRY=follow trunk build --release --offline --dist "$dist.follow" --public-url /follow/ src/bin/follow.html
    GREENWATCH_ENTRY=sync trunk build --release --offline --dist "$dist.sync" --public-url /sync/ src/bin/sync.html
    GREENWATCH_PRECACHED_BUILDS="learn=$(cd "$dist.learn" && pwd) report=$(cd "$dist.report" && pwd) follow=$(cd "$dist.follow" && pwd) sync=$(cd "$dist.sync" && pwd)" \
      trunk build --release --offline --dist "$dist"
    for sub in staff learn report follow sync; do
      rm -rf "${dist:?}/$sub"
      mv "$dist.$sub" "$dist/$sub"
    done
  )
}
