#!/usr/bin/env bash
# Writes the service worker, <dir>/sw.js, from the template sw/sw.js and the
# built files in <dir> (Trunk's staging dir; called at the end of
# scripts/split-wasm.sh, after wasm-opt, so the hashes are of the final bytes):
#   PRECACHE  "/", the files the staged index.html loads (hashed JS, wasm, CSS,
#             the emblem) and the chunk loader /__wasm_split.js
#   HASH      every lazy code file (chunk_*, split_*, __wasm_split.js,
#             qrworker*, strings-*) -> first 16 hex digits of its SHA-256
#   DEPS      each lazy wasm file -> the chunks it loads with it
#   UPDATE    the update prompt, sw/update.js copied to <dir>/sw-update-HASH.js
#             (precached; sw.js adds it to the pages it serves)
#   VERSION   a hash of the template, the lists and the precached bytes, so
#             any change to the build changes sw.js
# Deterministic: the same build gives the same sw.js.
set -euo pipefail
cd "$(dirname "$0")/.."
export LC_ALL=C

dir=${1:-${TRUNK_STAGING_DIR:?usage: make-sw.sh DIR}}
template=sw/sw.js
html="$dir/index.html"
[ -f "$html" ] || { echo "make-sw: no $html" >&2; exit 1; }
[ -f "$dir/__wasm_split.js" ] || { echo "make-sw: no $dir/__wasm_split.js" >&2; exit 1; }

sha16() { sha256sum "$1" | cut -c1-16; }

# Same-origin files the shell loads: href="/…", src="/…", and the module
# script's '/….js' and '/….wasm'.
mapfile -t refs < <(grep -oE "(href|src)=\"/[^\"/][^\"]*\"|'/[^']+\.(js|wasm)'" "$html" |
  sed -E "s/^(href|src)=//; s/^[\"']//; s/[\"']$//" | sort -u)
for ext in js wasm css; do
  printf '%s\n' "${refs[@]}" | grep -q "\.$ext\$" || { echo "make-sw: $html loads no .$ext" >&2; exit 1; }
done
precache=("/" "${refs[@]}")
printf '%s\n' "${refs[@]}" | grep -qx '/__wasm_split.js' || precache+=("/__wasm_split.js")
# The lazy pages' stylesheet (pages-<hash>.css), fetched with the first chunk.
for f in "$dir"/pages-*.css; do
  if [ -f "$f" ]; then precache+=("/${f##*/}"); fi
done
rm -f "$dir"/sw-update-*.js*
UPDATE="/sw-update-$(sha16 sw/update.js).js"
cp sw/update.js "$dir$UPDATE"
precache+=("$UPDATE")
for p in "${precache[@]:1}"; do
  [ -f "$dir$p" ] || { echo "make-sw: $html loads $p, which is not in $dir" >&2; exit 1; }
done

json_list() { local sep="" s; printf '['; for s in "$@"; do printf '%s"%s"' "$sep" "$s"; sep=","; done; printf ']'; }

PRECACHE=$(json_list "${precache[@]}")

HASH="{"
sep=""
while IFS= read -r f; do
  HASH+="$sep\"/$f\":\"$(sha16 "$dir/$f")\""
  sep=","
done < <(cd "$dir" && find . -maxdepth 1 -type f \( -name 'chunk_*.wasm' -o -name 'split_*.wasm' \
  -o -name '__wasm_split.js' -o -name 'qrworker*.js' -o -name 'qrworker*.wasm' -o -name 'strings-*.txt' \
  -o -name 'pages-*.css' \) | sed 's|^\./||' | sort)
HASH+="}"

# __wasm_split.js: `fetch(new URL("./split_x.wasm", …)` … `, [__chunk_7, __chunk_8]));`
DEPS=$(awk '
  match($0, /"\.\/[A-Za-z0-9_]+\.wasm"/) { cur = substr($0, RSTART + 3, RLENGTH - 4) }
  /^, \[/ && cur != "" {
    list = ""; s = $0
    while (match(s, /__chunk_[0-9]+/)) {
      list = list (list == "" ? "" : ",") "\"/chunk_" substr(s, RSTART + 8, RLENGTH - 8) ".wasm\""
      s = substr(s, RSTART + RLENGTH)
    }
    if (list != "") out = out (out == "" ? "" : ",") "\"/" cur "\":[" list "]"
    cur = ""
  }
  END { printf "{%s}", out }' "$dir/__wasm_split.js")

VERSION=$({
  sha16 "$template"
  echo "$PRECACHE" "$HASH" "$DEPS"
  for p in "${precache[@]:1}"; do sha16 "$dir$p"; done
  sha16 "$html"
} | sha256sum | cut -c1-16)

# Fill the placeholders (ENVIRON: awk -v would interpret backslashes).
export PRECACHE HASH DEPS VERSION UPDATE
awk '{
  gsub(/\/\*PRECACHE\*\/\[\]/, ENVIRON["PRECACHE"])
  gsub(/\/\*HASH\*\/\{\}/, ENVIRON["HASH"])
  gsub(/\/\*DEPS\*\/\{\}/, ENVIRON["DEPS"])
  gsub(/\/\*VERSION\*\//, ENVIRON["VERSION"])
  gsub(/\/\*UPDATE\*\//, ENVIRON["UPDATE"])
  print
}' "$template" > "$dir/sw.js"

for p in PRECACHE VERSION HASH DEPS UPDATE; do
  grep -q "/\*$p\*/" "$dir/sw.js" && { echo "make-sw: $p placeholder left in sw.js" >&2; exit 1; }
done
echo "make-sw: sw.js $VERSION, ${#precache[@]} precached, $(grep -o '"/[^"]*":"' <<<"$HASH" | wc -l) lazy files"
