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

# The staff console's build (staff/index.html, served under /staff/),
# Learn's (learn/index.html, under /learn/) and the citizen app's other two
# builds (src/bin/report.html under /report/, src/bin/follow.html under
# /follow/) have no service worker of their own. Their files are only
# compressed here; the citizen app's Home build then lists the files of
# Learn, report, follow and sync in its worker (below), never the staff
# console's.
# The sync engine's build (src/bin/sync.html, under /sync/) is no page: Home
# starts it with a module script of a name that stays, start.js, written
# here from the build's index.html (the hashed names of its glue and wasm).
if [ "${GREENWATCH_ENTRY:-app}" = sync ]; then
  glue=$(grep -o "from '/sync/[A-Za-z0-9._-]*\.js'" index.html | sed "s/^from '//; s/'\$//")
  wasm=$(grep -o "module_or_path: '/sync/[A-Za-z0-9._-]*\.wasm'" index.html | sed "s/^module_or_path: '//; s/'\$//")
  [ -n "$glue" ] && [ -n "$wasm" ] || { echo "sw-precache: no glue or wasm named in the sync build's index.html" >&2; exit 1; }
  printf "import init from '%s';\ninit({ module_or_path: '%s' });\n" "$glue" "$wasm" > start.js
fi
case "${GREENWATCH_ENTRY:-app}" in
  staff | learn | report | follow | sync)
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

# The other builds the worker caches with Home's, each moved in under
# /<name>/ afterwards: GREENWATCH_PRECACHED_BUILDS="learn=DIR report=DIR …".
extra_files=() extra_sources=()
for build in ${GREENWATCH_PRECACHED_BUILDS:-}; do
  name="${build%%=*}" dir="${build#*=}"
  [ -f "$dir/index.html" ] || { echo "sw-precache: no $name build in $dir" >&2; exit 1; }
  while IFS= read -r file; do
    case "$file" in
      *[!A-Za-z0-9._/-]*) echo "sw-precache: unexpected file name /$name/$file" >&2; exit 1 ;;
    esac
    extra_files+=("/$name/$file") extra_sources+=("$dir/$file")
  done < <(cd "$dir" && find . -type f ! -name '*.br' ! -name '*.gz' | sed 's|^\./||' | LC_ALL=C sort)
done

# The build id changes whenever any file's content or name does, the other
# builds' too.
build_id=$( {
    for file in "${files[@]}"; do printf '%s  ' "$file"; sha256sum < ".$file"; done
    for i in "${!extra_files[@]}"; do printf '%s  ' "${extra_files[$i]}"; sha256sum < "${extra_sources[$i]}"; done
  } | sha256sum | cut -c1-16)
list=$(printf "'%s', " "${files[@]}" "${extra_files[@]}")
list="[${list%, }]"

grep -q "__GREENWATCH_PRECACHE__" sw.js || { echo "sw-precache: sw.js has no placeholder" >&2; exit 1; }
sed -i -e "s|__GREENWATCH_BUILD_ID__|${build_id}|" -e "s|__GREENWATCH_PRECACHE__|${list}|" sw.js

# Precompressed copies: alternate encodings of the same files, not files of
# their own, so they are not in the list above.
compress "${files[@]}" /sw.js
echo "sw-precache: build ${build_id}, ${#files[@]} files, ${#extra_files[@]} of the other builds"
