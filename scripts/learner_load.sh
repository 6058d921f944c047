#!/usr/bin/env bash
# Capacity (issue 19). Serves Réplique on a fresh database and plays an open-loop learner
# load against it (crates/app/examples/learner_load/): Poisson arrivals at each rate of
# RATES, think times of 5-20 s, 8-15 turns, the end and the report; a share in voice mode
# over the WebSocket. Per level: turn latency p50/p95/p99, voice figures, errors, the
# server's RSS and CPU; then the knee (the first level whose p95 is twice the lowest's).
#
#   scripts/learner_load.sh                 SQLite, then PostgreSQL when one answers
#   DB=sqlite scripts/learner_load.sh       one database only (sqlite or postgres)
#   RATES=1,2,4,8 SECONDS_PER_LEVEL=120 WARMUP=60 THINK_SCALE=1 VOICE_SHARE=0.2 scripts/learner_load.sh
#   TTS=none scripts/learner_load.sh        the server without a voice (no audio fetched)
#   PROFILE=debug ...                       a debug build (the CI's quick run)
#   scripts/learner_load.sh idle            SOCKETS=10000 idle voice WebSockets held: the
#                                           server's RSS before and with them, per socket
#   PG_URL=postgres://postgres@127.0.0.1:5432/test   the server used to create (and drop) a
#                                           fresh database
#
# Exits non-zero when a request failed; timings never fail it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-learners}"
profile="${PROFILE:-release}"
pg_url="${PG_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}"
databases="${DB:-sqlite postgres}"
case "$mode" in
  learners | idle) ;;
  *) echo "usage: $0 [learners|idle]" >&2; exit 2 ;;
esac
[ "$mode" = idle ] && databases="${DB:-sqlite}"

flag=(--release)
[ "$profile" = debug ] && flag=()
cargo build "${flag[@]}" --locked -p replique --bin replique --example learner_load --example idle_sockets >&2
target="${CARGO_TARGET_DIR:-target}/$profile"
REPLIQUE_BIN="${REPLIQUE_BIN:-$target/replique}"

work="$(mktemp -d)"
server=""
pg_db=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$pg_db" ] && psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
# The server and the idle client each hold a descriptor per socket.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

run() { # run NAME DATABASE_URL
  local name="$1" url="$2" port status=0
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local seats="${MAX_VOICE_SESSIONS:-0}"
  [ "$mode" = idle ] && seats="$((${SOCKETS:-10000} + 10))"
  RUST_LOG=warn DATABASE_URL="$url" REPLIQUE_DATA_DIR="$work/data" REPLIQUE_TTS_PROVIDER="${TTS:-espeak}" \
    REPLIQUE_MAX_VOICE_SESSIONS="$seats" "$REPLIQUE_BIN" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== $name ($profile build)"
  if [ "$mode" = idle ]; then
    "$target/examples/idle_sockets" --base "http://127.0.0.1:$port" --server-pid "$server" \
      --sockets "${SOCKETS:-10000}" || status=$?
  else
    "$target/examples/learner_load" --base "http://127.0.0.1:$port" --server-pid "$server" \
      --rates "${RATES:-0.5,1,2,4,8}" --seconds "${SECONDS_PER_LEVEL:-120}" --warmup "${WARMUP:-60}" \
      --think-scale "${THINK_SCALE:-1}" --voice-share "${VOICE_SHARE:-0.2}" || status=$?
  fi
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=""
  if [ "$status" -ne 0 ]; then
    echo "== $name: the load client failed; the server's last lines:" >&2
    tail -n 20 "$work/server.log" >&2
    return "$status"
  fi
}

for db in $databases; do
  case "$db" in
    sqlite)
      rm -rf "$work/data"
      run "SQLite" "sqlite://$work/data/replique.db"
      ;;
    postgres)
      if ! psql "$pg_url" -qc "select 1" >/dev/null 2>&1; then
        if [ "${CI:-false}" = true ]; then
          echo "== PostgreSQL: nothing answers at $pg_url, required in CI" >&2
          exit 1
        fi
        echo "== PostgreSQL: nothing answers at $pg_url (set PG_URL): skipped" >&2
        continue
      fi
      pg_db="replique_learners_$$"
      psql "$pg_url" -qc "create database $pg_db" >/dev/null
      run "PostgreSQL" "${pg_url%/*}/$pg_db"
      psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null
      pg_db=""
      ;;
    *) echo "unknown database $db (sqlite or postgres)" >&2; exit 1 ;;
  esac
done
