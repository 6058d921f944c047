#!/usr/bin/env bash
# Turn throughput benchmark (issue 14, durability): serves Réplique (release build) over a
# fresh database and plays 50 training sessions at once for 20 s with the load client
# (crates/app/examples/turn_load.rs), which prints acknowledged turns/s and their latency;
# then the server's CPU time per turn (steadier than turns/s when other work shares the
# machine) and its peak memory.
#
#   scripts/turn_load.sh                    SQLite, then PostgreSQL when one answers
#   DB=sqlite scripts/turn_load.sh          one database only (sqlite or postgres)
#   SESSIONS=50 DURATION=20 scripts/turn_load.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432/test scripts/turn_load.sh   the server used to
#                                           create (and drop) a fresh database
#   REPLIQUE_BIN=path/to/replique scripts/turn_load.sh   another build (e.g. an older one)
#
# A turn counts once its 200 answer is in: the server stored it before answering.
set -euo pipefail
cd "$(dirname "$0")/.."
sessions="${SESSIONS:-50}"
seconds="${DURATION:-20}"
pg_url="${PG_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}"
databases="${DB:-sqlite postgres}"

cargo build --release --locked -p replique --bin replique --example turn_load >&2
target="${CARGO_TARGET_DIR:-target}/release"
REPLIQUE_BIN="${REPLIQUE_BIN:-$target/replique}"
client="$target/examples/turn_load"

work="$(mktemp -d)"
server=""
pg_db=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  [ -n "$pg_db" ] && psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT

# User and system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

run() { # run NAME DATABASE_URL
  local name="$1" url="$2" port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  RUST_LOG=warn DATABASE_URL="$url" REPLIQUE_DATA_DIR="$work/data" REPLIQUE_TTS_PROVIDER=none \
    "$REPLIQUE_BIN" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 300); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  echo "== $name"
  local before after
  before="$(cpu_ticks "$server")"
  "$client" --base "http://127.0.0.1:$port" --sessions "$sessions" --seconds "$seconds" | tee "$work/client.out" | grep -v '^turns_total='
  after="$(cpu_ticks "$server")"
  # CPU time per turn is steadier than turns/s on a machine shared with other work.
  awk -v ticks="$((after - before))" -v hz="$(getconf CLK_TCK)" -F= '/^turns_total=/ && $2 > 0 {
    printf "server CPU %.2f ms per turn (%d turns, warm-up included)\n", ticks * 1000 / hz / $2, $2 }' "$work/client.out"
  awk '/^VmHWM/ {printf "server peak RSS %d MB\n", $2 / 1024}' "/proc/$server/status" 2>/dev/null || true
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=""
}

for db in $databases; do
  case "$db" in
    sqlite)
      rm -rf "$work/data"
      run "SQLite ($(basename "$REPLIQUE_BIN"))" "sqlite://$work/data/replique.db"
      ;;
    postgres)
      if ! psql "$pg_url" -qc "select 1" >/dev/null 2>&1; then
        echo "== PostgreSQL: nothing answers at $pg_url (set PG_URL): skipped" >&2
        continue
      fi
      pg_db="replique_load_$$"
      psql "$pg_url" -qc "create database $pg_db" >/dev/null
      run "PostgreSQL" "${pg_url%/*}/$pg_db"
      psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null
      pg_db=""
      ;;
    *) echo "unknown database $db (sqlite or postgres)" >&2; exit 1 ;;
  esac
done
