#!/usr/bin/env bash
# The date-sensitive suites with the machine's clock moved to other dates
# (Debian's libfaketime): the native tests (domain, server, QR) and the
# Playwright e2e suite. Green at every date proves that no test takes a date
# from the machine where the system under test uses another clock: the
# server's tests run on clocks of their own, the e2e world on one clock that
# the server, the browser and the tests share (tests/e2e/clock.mjs).
#
# Usage: scripts/test-dates.sh [YYYY-MM-DD ...]
#   default: the real today, 2027-06-30 and 2030-12-30 (the holiday table's
#   last year), each at 09:00 in Vietnam. Needs the release build (make build).
# Doc tests are not run under the moved clock: rustdoc hangs under libfaketime,
# and no doc test reads a clock.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

dates=("$@")
[ ${#dates[@]} -gt 0 ] || dates=("$(TZ=Asia/Ho_Chi_Minh date +%F)" 2027-06-30 2030-12-30)

command -v faketime >/dev/null || { echo "test-dates: no faketime: run scripts/setup.sh" >&2; exit 1; }

# Built on the real clock, run on the moved one.
cargo test --no-run --tests -p cuaso-domain -p cuaso-server -p cuaso-qr 2>&1 | tail -n 1

for d in "${dates[@]}"; do
  target=$(date -d "$d 09:00 +07:00" +%s)
  offset=$(( target - $(date +%s) ))
  spec=$([ "$offset" -ge 0 ] && echo "+$offset" || echo "$offset")
  echo "test-dates: $d 09:00 +07:00 (machine clock $spec s)"
  faketime -f "$spec" bash -c 'echo "test-dates: the machine now says $(date -u +%FT%TZ)"'
  faketime -f "$spec" cargo test --tests -p cuaso-domain -p cuaso-server -p cuaso-qr
  faketime -f "$spec" playwright test -c tests/e2e/playwright.config.mjs ${CUASO_DATES_E2E:-}
  echo "test-dates: $d green"
done
echo "test-dates: green at ${dates[*]}"
