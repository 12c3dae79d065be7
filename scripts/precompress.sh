#!/usr/bin/env bash
# Writes .br and .gz beside each static asset in dist/, for the server to send
# as is. index.html is left out: the server inlines the branding into it and
# compresses it per request.
set -euo pipefail
dist=${1:-dist}
find "$dist" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' -o -name '*.txt' -o -name '*.webmanifest' \) -print0 |
  while IFS= read -r -d '' f; do
    brotli -f -q 11 -o "$f.br" "$f"
    gzip -f -9 -k -n "$f"
  done
