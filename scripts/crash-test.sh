#!/usr/bin/env bash
# Crash test (issue 9, item 5): concurrent submissions with attachments, the
# release server killed with SIGKILL mid-storm and restarted, retries under the
# same Idempotency-Key, then the orphan-upload sweeper. See scripts/crash-test.mjs.
#   bash scripts/crash-test.sh            bounded (CI, `make test-crash`): 60 clients, 1 kill
#   bash scripts/crash-test.sh --full     `make crash`: 200 clients, 2 kills
# Other options (--seed N, --clients N, --kills N, --port P, --officer-token T,
# --keep) go to the Node script. Needs Node 20 (fetch, FormData, Blob); no npm package.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=${CUASO_SERVER_BIN:-target/server/cuaso-server}
# Built only when missing, or too old to have the sweeper.
if [ ! -x "$bin" ] || ! "$bin" --help 2>/dev/null | grep -q -- '--upload-orphan-window-secs'; then
  echo "building the release server…"
  cargo build --profile server -p cuaso-server
fi
exec node scripts/crash-test.mjs "$@"
