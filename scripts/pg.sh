#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the server's tests, under target/pg.
#
#   scripts/pg.sh test    runs `cargo test -p cuaso-server` on PostgreSQL
#                         (a fresh cluster, stopped and removed at the end,
#                         even on failure); exits with the tests' status
#   scripts/pg.sh start   starts the cluster (kept between runs) and prints
#                         its URL, for manual use:
#                         DATABASE_URL=<url> cuaso-server ...
#   scripts/pg.sh stop    stops it
#
# PostgreSQL is installed from apt only when missing. As root the cluster
# runs as the `postgres` user (PostgreSQL refuses root). Trust
# authentication on 127.0.0.1 only, no Unix socket; port CUASO_PG_PORT
# (55432). A cluster left behind by a killed run is stopped or wiped.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${CUASO_PG_PORT:-55432}
BASE=$PWD/target/pg
DATA=$BASE/data
LOG=$BASE/server.log
URL="postgres://postgres@127.0.0.1:$PORT/postgres"

say() { printf 'pg: %s\n' "$*" >&2; }

bindir() {
  local d
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then
    pg_config --bindir
    return
  fi
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then
      echo "$d"
      return
    fi
  done
}

BIN=$(bindir || true)
if [ -z "$BIN" ]; then
  say "installing PostgreSQL from apt"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=
  [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get install -y postgresql >/dev/null 2>&1 || {
    $SUDO apt-get update >/dev/null
    $SUDO apt-get install -y postgresql >/dev/null
  }
  BIN=$(bindir)
fi

# Run as `postgres` when we are root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# The server in the lock file is alive: a killed one may linger as a zombie
# where nothing reaps it, which pg_ctl would take for a live server.
running() {
  local pid
  [ -f "$DATA/postmaster.pid" ] || return 1
  pid=$(head -n 1 "$DATA/postmaster.pid" 2>/dev/null || true)
  [ -n "$pid" ] && [ -d "/proc/$pid" ] || return 1
  ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

stop() {
  if running; then
    say "stopping the cluster in $DATA"
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast -w -t 30 stop >/dev/null ||
      as_pg "$BIN/pg_ctl" -D "$DATA" -m immediate -w stop >/dev/null || true
  fi
  # A killed run leaves its lock file: the server is gone, the file is not.
  rm -f "$DATA/postmaster.pid"
}

init() {
  mkdir -p "$BASE"
  rm -rf "$DATA"
  mkdir -p "$DATA"
  if [ "$(id -u)" = 0 ]; then
    chown -R postgres: "$BASE"
  fi
  as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null 2>&1 ||
    as_pg "$BIN/initdb" -D "$DATA" -U postgres -A trust -E UTF8 --locale=C >/dev/null
}

start() {
  if running; then
    say "already running: $URL"
    return
  fi
  rm -f "$DATA/postmaster.pid"
  [ -f "$DATA/PG_VERSION" ] || init
  # Tests only: no fsync (a lost cluster is rebuilt), room for every pool.
  as_pg "$BIN/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories= \
        -c max_connections=300 -c fsync=off -c synchronous_commit=off \
        -c full_page_writes=off" start >/dev/null || {
    say "could not start PostgreSQL; its log:"
    tail -n 30 "$LOG" >&2 || true
    exit 1
  }
  say "running: $URL"
}

case "${1:-}" in
  start)
    start
    echo "$URL"
    ;;
  stop)
    stop
    ;;
  test)
    shift
    stop
    init
    trap 'stop; rm -rf "$DATA"' EXIT
    start
    status=0
    CUASO_TEST_DATABASE_URL=$URL cargo test -p cuaso-server "$@" || status=$?
    exit "$status"
    ;;
  *)
    echo "usage: $0 test [cargo test args] | start | stop" >&2
    exit 2
    ;;
esac
