#!/usr/bin/env bash
# Installs every tool the build and the tests need, idempotently: a tool whose
# version already matches is skipped. Called by `make run` and `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# wasm-bindgen-cli must equal the wasm-bindgen in Cargo.lock, exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/"/, "", $3); print $3; exit }' Cargo.lock)
WASM_SPLIT_VERSION=0.2.4  # wasm_split_cli_support: cuts lazy routes into chunks
WASM_OPT_VERSION=123   # binaryen from npm, pinned in package.json and Trunk.toml
APT_PACKAGES=(chromium chromium-driver brotli faketime)  # faketime: make test-dates

say() { printf 'setup: %s\n' "$*"; }
# The tools cargo installs run for seconds per build: compile them for a quick
# install (opt-level 1, no LTO, 16 units) rather than peak speed; on 2 cores
# that takes minutes off a fresh machine's first run.
export CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=false \
  CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 CARGO_PROFILE_RELEASE_DEBUG=false
export PATH="$HOME/.cargo/bin:$PWD/node_modules/.bin:$PATH"

# 1. The wasm32 target.
if rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "wasm32-unknown-unknown target present"
else
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# 2. Trunk. 0.22 needs a newer rustc than these machines have.
if [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  say "trunk $TRUNK_VERSION present"
else
  say "installing trunk $TRUNK_VERSION (about 9 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# 3. wasm-bindgen-cli (also provides wasm-bindgen-test-runner). No --locked:
#    its lockfile wants a crate version the registry lacks.
if [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "wasm-bindgen-cli $WASM_BINDGEN_VERSION present"
else
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# 3b. wasm-split-cli, for the Trunk post_build hook scripts/split-wasm.sh.
if cargo install --list | grep -qx "wasm_split_cli_support v$WASM_SPLIT_VERSION:"; then
  say "wasm-split-cli $WASM_SPLIT_VERSION present"
else
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (about 3 minutes)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked \
    || cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --force
fi

# 4. Chromium, chromedriver, brotli and libfaketime from Debian.
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  say "apt packages present: ${APT_PACKAGES[*]}"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  say "installing from apt: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# 5. npm packages: Playwright (no browser download), axe-core, binaryen's wasm-opt.
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ -f node_modules/.cuaso-lock-hash ] && [ "$(cat node_modules/.cuaso-lock-hash)" = "$lock_hash" ]; then
  say "npm packages present"
else
  say "installing npm packages"
  PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.cuaso-lock-hash
fi
if ! wasm-opt --version 2>/dev/null | grep -q "version_$WASM_OPT_VERSION"; then
  echo "setup: wasm-opt on PATH is not binaryen $WASM_OPT_VERSION: $(command -v wasm-opt)" >&2
  exit 1
fi

# 6. Crates, so that Trunk's offline build never touches the network.
cargo fetch --quiet
say "ready"
