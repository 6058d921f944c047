#!/usr/bin/env bash
# Champion load benchmark (issue 14): serves Réplique over a fresh SQLite database, uploads
# the largest transcript the limits allow (2,000 turns, just under 512 KiB), then for 30 s
# runs two analyses of it in a loop, in parallel, and four parallel fetches of it, while
# wrk measures /health. Prints upload and analysis times, the fetched size, /health
# p50/p99/max and the server's peak RSS.
#
#   scripts/champion_load.sh
#   DURATION=10 REPLIQUE_BIN=path/to/replique scripts/champion_load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${DURATION:-30}"
turns="${TURNS:-2000}"
command -v wrk >/dev/null 2>&1 || { echo "champion_load: wrk is required (apt-get install wrk)" >&2; exit 1; }
if [ -z "${REPLIQUE_BIN:-}" ]; then
  cargo build --locked -p replique >&2
  REPLIQUE_BIN="${CARGO_TARGET_DIR:-target}/debug/replique"
fi

work="$(mktemp -d)"
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
  jobs -p | xargs -r kill 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export DATABASE_URL="sqlite://$work/replique.db" REPLIQUE_DATA_DIR="$work" RUST_LOG=warn REPLIQUE_TTS_PROVIDER=none
"$REPLIQUE_BIN" migrate >/dev/null
"$REPLIQUE_BIN" user add chef@exemple.fr --password 'un mot de passe' --name Chef --plan enterprise >/dev/null
"$REPLIQUE_BIN" org add "Banc d'essai" >/dev/null
"$REPLIQUE_BIN" org add-member "Banc d'essai" chef@exemple.fr --role manager >/dev/null

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
base="http://127.0.0.1:$port"
"$REPLIQUE_BIN" serve --addr "127.0.0.1:$port" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "$base/health" >/dev/null 2>&1 && break; sleep 0.1; done

# The largest call the limits allow: 2,000 turns of about 260 bytes.
python3 - "$work/call.txt" "$turns" <<'PY'
import sys
line = "Je comprends tout à fait, et qu'est-ce qui compte le plus pour vous dans ce choix ? " * 12
with open(sys.argv[1], "w") as f:
    for i in range(int(sys.argv[2])):
        f.write(("Vendeur : " if i % 2 == 0 else "Client : ") + line[:245] + "\n")
PY
echo "transcript: $(wc -c <"$work/call.txt") bytes, $turns turns"

jar="$work/cookies"
curl -fs -c "$jar" -H 'content-type: application/json' \
  -d '{"email":"chef@exemple.fr","password":"un mot de passe"}' "$base/api/auth/login" >/dev/null
csrf="$(awk '$6 == "replique_csrf" {print $7}' "$jar")"
upload_time="$(curl -fs -b "$jar" -H "x-csrf-token: $csrf" -F name=Banc -F consent=true -F "file=@$work/call.txt" \
  -o "$work/upload.json" -w '%{time_total}' "$base/api/champions/upload")"
id="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["id"])' "$work/upload.json")"
echo "upload: ${upload_time} s"

sample() { while kill -0 "$server" 2>/dev/null; do awk '/^VmRSS/ {print $2}' "/proc/$server/status"; sleep 0.2; done; }
sample >"$work/rss" &
end=$((SECONDS + duration))
analyse() {
  while [ "$SECONDS" -lt "$end" ]; do
    curl -s -b "$jar" -H "x-csrf-token: $csrf" -H 'content-type: application/json' -o /dev/null \
      -w '%{http_code} %{time_total}\n' -X POST "$base/api/champions/$id/analyze"
  done
}
fetch() {
  while [ "$SECONDS" -lt "$end" ]; do
    curl -s -b "$jar" -o /dev/null -w '%{http_code} %{size_download}\n' "$base/api/champions/$id"
  done
}
pids=()
analyse >"$work/analyse1" & pids+=($!)
analyse >"$work/analyse2" & pids+=($!)
for i in 1 2 3 4; do fetch >"$work/fetch$i" & pids+=($!); done
wrk -t1 -c1 -d"${duration}s" --timeout 10s --latency "$base/health" >"$work/health.out" 2>&1
wait "${pids[@]}"
cat "$work"/analyse1 "$work"/analyse2 | awk '{n++; s+=$2; if ($2>m) m=$2; c[$1]++} END {printf "analyses: %d, mean %.2f s, max %.2f s, statuses:", n, s/n, m; for (k in c) printf " %s×%d", k, c[k]; print ""}'
cat "$work"/fetch* | awk '{n++; if ($2>m) m=$2; c[$1]++} END {printf "fetches: %d, largest body %d bytes, statuses:", n, m; for (k in c) printf " %s×%d", k, c[k]; print ""}'
awk '/^  Latency Distribution/ {on=1; next} on && /%/ {printf "health p%s %s\n", $1, $2}' "$work/health.out"
grep -E "^\s+Latency" "$work/health.out" | head -1 | awk '{print "health max " $4}'
sort -n "$work/rss" | tail -1 | awk '{printf "rss peak %d MB\n", $1/1024}'
