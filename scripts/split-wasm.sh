#!/usr/bin/env bash
# Trunk post_build hook: cuts the lazy routes (`#[lazy_route]`) out of the main
# wasm into chunks that load on demand, so a first visit downloads only the
# shell and the home page.
#
# Trunk has already built the crate (with --emit-relocs, see .cargo/config.toml)
# and staged `cuaso-<hash>.js` + `cuaso-<hash>_bg.wasm`. This script splits the
# linker's output, runs wasm-bindgen on the split main module under the same
# name, and (in release) wasm-opt on every piece, replacing the staged files.
set -euo pipefail
cd "$(dirname "$0")/.."

staging=${TRUNK_STAGING_DIR:?run by trunk as a post_build hook}
profile=${TRUNK_PROFILE:-release}
input="target/wasm32-unknown-unknown/$profile/cuaso.wasm"

# Trunk no longer runs wasm-opt itself (index.html: data-wasm-opt="0"), so
# its pins do not guard this script: check the tools here. Debian's wasm-opt
# 108 silently breaks the app.
wasm-opt --version | grep -q "version_123" \
  || { echo "split-wasm: need binaryen 123's wasm-opt (make setup), found: $(wasm-opt --version)" >&2; exit 1; }
bindgen_want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
[ "$(wasm-bindgen --version)" = "wasm-bindgen $bindgen_want" ] \
  || { echo "split-wasm: need wasm-bindgen $bindgen_want (make setup), found: $(wasm-bindgen --version)" >&2; exit 1; }

js=$(find "$staging" -maxdepth 1 -name 'cuaso-*.js' ! -name '*_loader.js' | head -n 1)
[ -n "$js" ] || { echo "split-wasm: no staged cuaso-*.js in $staging" >&2; exit 1; }
name=$(basename "$js" .js)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

wasm-split-cli "$input" "$work/split" --out-name "$name" --target web
wasm-bindgen --target web --keep-lld-exports --no-typescript \
  --out-dir "$work/bindgen" --out-name "$name" "$work/split/$name.wasm"

cp "$work/bindgen/$name.js" "$staging/$name.js"
cp "$work/bindgen/${name}_bg.wasm" "$staging/${name}_bg.wasm"
cp "$work/split/__wasm_split.js" "$staging/"
find "$work/split" -maxdepth 1 -name '*.wasm' ! -name "$name.wasm" -exec cp {} "$staging/" \;

if [ "$profile" = release ]; then
  features="--enable-bulk-memory --enable-nontrapping-float-to-int --enable-reference-types \
    --enable-sign-ext --enable-mutable-globals --enable-multivalue"
  # qrworker_bg.wasm: the QR decoder's worker (qr/), which Trunk built beside the app.
  for w in "$staging/${name}_bg.wasm" "$staging"/chunk_*.wasm "$staging"/split_*.wasm "$staging"/qrworker_bg.wasm; do
    [ -f "$w" ] || continue
    # shellcheck disable=SC2086
    wasm-opt -Oz $features --strip-debug --strip-producers "$w" -o "$w.tmp" 2>/dev/null
    mv "$w.tmp" "$w"
  done
  # The first visit's module, once more: merging the look-alike functions
  # that generic views leave, then -Oz again (measured: ~300 bytes brotli).
  w="$staging/${name}_bg.wasm"
  # shellcheck disable=SC2086
  wasm-opt --merge-similar-functions -Oz $features "$w" -o "$w.tmp" 2>/dev/null
  mv "$w.tmp" "$w"
fi
# The stylesheet, minified (index.html loads it without an integrity hash).
node scripts/minify-css.mjs "$staging"/main-*.css "$staging"/pages.css
# The lazy pages' stylesheet takes its version into its name, as the app asks
# for it (src/stylesheet.rs load_hashed: FNV-1a 64 of style/pages.css).
pages_v=$(node -e '
  let h = 0xcbf29ce484222325n;
  for (const b of require("fs").readFileSync(process.argv[1])) h = ((h ^ BigInt(b)) * 0x100000001b3n) & 0xffffffffffffffffn;
  console.log(h.toString(16).padStart(16, "0"));' style/pages.css)
rm -f "$staging"/pages-*.css
mv "$staging/pages.css" "$staging/pages-$pages_v.css"
# The shell, without its comments, indentation and blank lines: a first
# visit downloads it (the script's text is unchanged where it matters: the
# server hashes whatever it serves for the CSP).
# Trunk's two lines after init (a global and an event) serve nothing here.
sed -i -e 's/^[[:space:]]*//' -e '/^<!--.*-->$/d' -e '/^$/d' \
  -e '/^window\.wasmBindings = bindings;$/d' -e '/^dispatchEvent(new CustomEvent("TrunkApplicationStarted"/d' \
  -e 's/ data-integrity="none"//' "$staging/index.html"

# The lazy pages' strings (build.rs writes one bundle per language).
cp target/i18n/strings-*.txt "$staging/"

echo "split-wasm: $(find "$staging" -maxdepth 1 \( -name 'chunk_*.wasm' -o -name 'split_*.wasm' \) | wc -l) lazy chunks beside $name"

# The service worker, with its precache list from this build's file names.
bash scripts/make-sw.sh "$staging"
