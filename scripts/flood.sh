#!/usr/bin/env bash
# Login flood benchmark (issue 14): serves Réplique over a fresh SQLite database, floods
# POST /api/auth/login with wrk (200 connections, a new e-mail for every try) and, at the
# same time, measures /health latency and the server's memory.
#
#   scripts/flood.sh                 two 30 s phases: one client address (the per-address
#                                    limit answers), then a new address per try through
#                                    X-Forwarded-For with REPLIQUE_TRUST_PROXY=true (the
#                                    bounded hashing pool answers)
#   DURATION=10 CONNECTIONS=100 scripts/flood.sh
#   REPLIQUE_BIN=path/to/replique scripts/flood.sh   another build (e.g. an older one)
#
# Needs wrk (apt-get install wrk: installed here when missing and possible). Prints, per
# phase: login requests/s and their statuses, /health p50/p99/max, peak and final RSS,
# peak threads. Builds the debug binary unless REPLIQUE_BIN is given (RELEASE=1: release).
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-30}"
connections="${CONNECTIONS:-200}"

if ! command -v wrk >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
    apt-get install -y -qq wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
  else
    echo "flood: wrk is required (apt-get install wrk)" >&2
    exit 1
  fi
fi

if [ -z "${REPLIQUE_BIN:-}" ]; then
  if [ "${RELEASE:-0}" = 1 ]; then
    cargo build --release --locked -p replique >&2
    REPLIQUE_BIN="${CARGO_TARGET_DIR:-target}/release/replique"
  else
    cargo build --locked -p replique >&2
    REPLIQUE_BIN="${CARGO_TARGET_DIR:-target}/debug/replique"
  fi
fi

work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

cat >"$work/login.lua" <<'LUA'
-- A new e-mail for every try; with SPOOF=1 a new client address too.
local spoof = os.getenv("SPOOF") == "1"
local counter = 0
math.randomseed(os.time())
request = function()
  counter = counter + 1
  local email = string.format("flood%d-%d@exemple.fr", math.random(1, 1e9), counter)
  local headers = { ["Content-Type"] = "application/json" }
  if spoof then
    headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  end
  return wrk.format("POST", "/api/auth/login", headers, '{"email":"' .. email .. '","password":"mot-de-passe-faux"}')
end
-- Answers by status, per thread, added up at the end.
local threads = {}
setup = function(thread) table.insert(threads, thread) end
statuses = {}
response = function(status) statuses[status] = (statuses[status] or 0) + 1 end
done = function()
  local total = {}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do table.insert(parts, status .. ": " .. n) end
  table.sort(parts)
  io.write("Statuses " .. table.concat(parts, ", ") .. "\n")
end
LUA

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
# The kernel's high-water mark of the resident set: the true peak, which 0.2 s samples miss.
hwm_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }

phase() { # phase NAME SPOOF TRUST_PROXY
  local name="$1" spoof="$2" trust="$3"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  rm -rf "$work/data"
  RUST_LOG=warn DATABASE_URL="sqlite://$work/data/replique.db" REPLIQUE_DATA_DIR="$work/data" \
    REPLIQUE_TRUST_PROXY="$trust" REPLIQUE_TTS_PROVIDER=none "$REPLIQUE_BIN" serve --addr "127.0.0.1:$port" \
    >"$work/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break; sleep 0.1; done
  local start_rss
  start_rss="$(rss_kb "$server")"
  (
    peak=0; peak_threads=0
    while kill -0 "$server" 2>/dev/null; do
      r="$(rss_kb "$server")"; t="$(threads "$server")"
      [ "$r" -gt "$peak" ] && peak="$r"
      [ "$t" -gt "$peak_threads" ] && peak_threads="$t"
      echo "$peak $peak_threads" >"$work/peak"
      sleep 0.2
    done
  ) &
  local sampler=$!
  SPOOF="$spoof" wrk -t2 -c"$connections" -d"${duration}s" --timeout 10s -s "$work/login.lua" \
    "http://127.0.0.1:$port" >"$work/login.out" 2>&1 &
  local flood=$!
  wrk -t1 -c1 -d"${duration}s" --timeout 10s --latency "http://127.0.0.1:$port/health" >"$work/health.out" 2>&1
  wait "$flood" || true
  local end_rss hwm
  end_rss="$(rss_kb "$server")"
  hwm="$(hwm_kb "$server")"
  kill "$server" 2>/dev/null; wait "$server" 2>/dev/null || true
  server=""
  wait "$sampler" 2>/dev/null || true
  read -r peak peak_threads <"$work/peak"
  [ "$hwm" -gt "$peak" ] && peak="$hwm"
  echo "== $name (${connections} connections, ${duration} s)"
  grep -E "Requests/sec|Non-2xx|Socket errors|^Statuses" "$work/login.out" | sed 's/^/login  /'
  awk '/^  Latency Distribution/ {on=1; next} on && /%/ {printf "health p%s %s\n", $1, $2} /requests in/ {print "health " $0}' "$work/health.out"
  grep -E "^\s+Latency" "$work/health.out" | head -1 | awk '{print "health max " $4}'
  echo "rss    start $((start_rss / 1024)) MB, peak $((peak / 1024)) MB, end $((end_rss / 1024)) MB; peak threads $peak_threads"
}

phase "one address, new e-mails" 0 false
phase "new address and e-mail per try (X-Forwarded-For, trusted proxy)" 1 true
