#!/usr/bin/env bash
# trunk post_build hook: shortens the names linking the wasm and its JS glue
# and minifies the glue (build-tools/minify-glue.mjs), then writes the build's id and
# its exact file list into the staged sw.js, then stores a brotli (-q 11) and a gzip (-9) copy of each
# text and wasm file beside it, which the server sends to browsers that accept
# them. Run by trunk with TRUNK_STAGING_DIR set (see Trunk.toml).
set -euo pipefail

staging="${TRUNK_STAGING_DIR:?this script runs as a trunk post_build hook}"
tools="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/build-tools"
cd "$staging"

# The names shortened and the JS glue minified (and both integrity hashes
# in index.html updated) before anything below hashes or lists the files.
node "$tools/minify-glue.mjs" "$staging"

compress() {
  local file
  for file in "$@"; do
    case "$file" in
      *.js | *.wasm | *.css | *.html | *.webmanifest | *.json | *.svg)
        brotli -q 11 -f -o ".$file.br" ".$file"
        gzip -9 -n -c ".$file" > ".$file.gz"
        ;;
    esac
  done
}

# The staff console's build (staff/index.html, served under /staff/) and
# Learn's (learn/index.html, under /learn/) have no service worker of their own. Their
# files are only compressed here; the citizen app's build then lists
# Learn's files in its worker (below), never the staff console's.
case "${GREENWATCH_ENTRY:-app}" in
  staff | learn)
    mapfile -t files < <(find . -type f ! -name '*.br' ! -name '*.gz' | sed 's|^\./|/|' | LC_ALL=C sort)
    compress "${files[@]}"
    echo "sw-precache: ${GREENWATCH_ENTRY} build, ${#files[@]} files compressed"
    exit 0
    ;;
esac
[ -f sw.js ] || { echo "sw-precache: no sw.js in $staging" >&2; exit 1; }

# Every file of the build but the worker itself, as absolute URL paths.
mapfile -t files < <(find . -type f ! -path ./sw.js ! -name '*.br' ! -name '*.gz' | sed 's|^\./|/|' | LC_ALL=C sort)
[ "${#files[@]}" -gt 0 ] || { echo "sw-precache: empty build" >&2; exit 1; }
for file in "${files[@]}"; do
  case "$file" in
    *[!A-Za-z0-9._/-]*) echo "sw-precache: unexpected file name $file" >&2; exit 1 ;;
  esac
done

# Learn's build (under /learn/ once moved in), cached by the same worker.
learn_dir="${GREENWATCH_LEARN_DIST:-}"
learn_files=()
if [ -n "$learn_dir" ]; then
  [ -f "$learn_dir/index.html" ] || { echo "sw-precache: no Learn build in $learn_dir" >&2; exit 1; }
  mapfile -t learn_files < <(cd "$learn_dir" && find . -type f ! -name '*.br' ! -name '*.gz' | sed 's|^\./|/learn/|' | LC_ALL=C sort)
  for file in "${learn_files[@]}"; do
    case "$file" in
      *[!A-Za-z0-9._/-]*) echo "sw-precache: unexpected file name $file" >&2; exit 1 ;;
    esac
  done
fi

# The build id changes whenever any file's content or name does, Learn's too.
build_id=$( {
    for file in "${files[@]}"; do printf '%s  ' "$file"; sha256sum < ".$file"; done
    for file in "${learn_files[@]}"; do printf '%s  ' "$file"; sha256sum < "$learn_dir/${file#/learn/}"; done
  } | sha256sum | cut -c1-16)
list=$(printf "'%s', " "${files[@]}")
list="[${list%, }]"
learn_list="[]"
if [ "${#learn_files[@]}" -gt 0 ]; then
  learn_list=$(printf "'%s', " "${learn_files[@]}")
  learn_list="[${learn_list%, }]"
fi

grep -q "__GREENWATCH_PRECACHE__" sw.js || { echo "sw-precache: sw.js has no placeholder" >&2; exit 1; }
sed -i -e "s|__GREENWATCH_BUILD_ID__|${build_id}|" -e "s|__GREENWATCH_PRECACHE__|${list}|" \
  -e "s|__GREENWATCH_LEARN_PRECACHE__|${learn_list}|" sw.js

# Precompressed copies: alternate encodings of the same files, not files of
# their own, so they are not in the list above.
compress "${files[@]}" /sw.js
echo "sw-precache: build ${build_id}, ${#files[@]} files, ${#learn_files[@]} of Learn"
