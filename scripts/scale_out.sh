#!/usr/bin/env bash
# Scale-out (issue 19): Réplique instances on one fresh PostgreSQL database behind HAProxy
# (the Debian package), with a generated configuration: round-robin HTTP, WebSockets passed
# through (`timeout tunnel`), instances checked on /health. Everything it starts is stopped
# and the database dropped on exit.
#
#   scripts/scale_out.sh             the kill test: first that a login cookie and a CSRF
#                                    token from one instance are taken by the others; then
#                                    the open-loop learners (crates/app/examples/learner_load)
#                                    play through HAProxy while instance 2 is killed
#                                    (SIGKILL) and restarted. Fails when an acknowledged turn
#                                    is missing from the database or stored twice, when a
#                                    learner's session failed (requests are sent again past a
#                                    dead instance, at most 8 times), or when the voice
#                                    sockets of the killed instance were not reopened.
#   scripts/scale_out.sh throughput  closed-loop turns/s through HAProxy with 1, 2 and 3
#                                    instances (crates/app/examples/turn_load), with the CPU
#                                    of each instance, HAProxy, the client and the machine
#
#   INSTANCES=3 RATE=4 DURATION=24 KILL_AT=8 DOWN=4 VOICE_SHARE=0.3 THINK_SCALE=0.05
#                                    the kill test's size (DURATION: seconds of arrivals)
#   SESSIONS=64 DURATION=20          the throughput run's size, per instance count
#   PROFILE=debug|release            the build (debug for the kill test, release for throughput)
#   SKIP_BUILD=1                     use the binaries already built for that profile
#   PG_URL=postgres://postgres@127.0.0.1:5432/test   the server used to create (and drop)
#                                    a fresh database
#
# Outside CI a missing haproxy or PostgreSQL skips the run with a message; in CI (CI=true)
# both are required. Timings never fail it.
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-kill}"
case "$mode" in
  kill) profile="${PROFILE:-debug}" ;;
  throughput) profile="${PROFILE:-release}" ;;
  *) echo "usage: $0 [kill|throughput]" >&2; exit 2 ;;
esac
pg_url="${PG_URL:-${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test}}"
ci="${CI:-false}"

skip() { # skip WHY: a failure in CI, a message elsewhere
  if [ "$ci" = true ]; then
    echo "scale-out: $1, required in CI (scripts/setup.sh test installs haproxy)" >&2
    exit 1
  fi
  echo "scale-out: $1: skipped" >&2
  exit 0
}
haproxy="$(command -v haproxy || true)"
[ -z "$haproxy" ] && [ -x /usr/sbin/haproxy ] && haproxy=/usr/sbin/haproxy
[ -n "$haproxy" ] || skip "haproxy is not installed (apt-get install haproxy)"
psql "$pg_url" -qc "select 1" >/dev/null 2>&1 || skip "no PostgreSQL answers at $pg_url (set PG_URL)"

flag=(--release)
[ "$profile" = debug ] && flag=()
[ "${SKIP_BUILD:-0}" = 1 ] ||
  cargo build "${flag[@]}" --locked -p replique --bin replique --example learner_load --example turn_load >&2
target="${CARGO_TARGET_DIR:-target}/$profile"
REPLIQUE_BIN="${REPLIQUE_BIN:-$target/replique}"

work="$(mktemp -d)"
declare -A pids=() ports=()
balancer=""
load=""
pg_db=""
cleanup() {
  [ -n "$load" ] && kill "$load" 2>/dev/null
  for i in "${!pids[@]}"; do kill "${pids[$i]}" 2>/dev/null || true; done
  [ -n "$balancer" ] && kill "$balancer" 2>/dev/null
  wait 2>/dev/null || true
  [ -n "$pg_db" ] && psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null 2>&1
  rm -rf "$work"
}
trap cleanup EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# User and system CPU time of a process so far, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# CPU of PostgreSQL's processes (the server's user), with the backends that exited since.
pg_ticks() {
  ps -u "${PG_USER:-postgres}" -o pid= 2>/dev/null | while read -r p; do awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null; done |
    awk '{s += $1} END {print s + 0}'
}
# Busy and total ticks of the whole machine.
machine_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8}' /proc/stat; }
healthy() { curl -fs -o /dev/null --max-time 2 "http://127.0.0.1:$1/health"; }
wait_healthy() { # wait_healthy PORT NAME
  for _ in $(seq 1 300); do healthy "$1" && return 0; sleep 0.1; done
  echo "scale-out: $2 did not come up; its last lines:" >&2
  tail -n 20 "$work/$2.log" >&2
  exit 1
}

new_database() {
  [ -n "$pg_db" ] && psql "$pg_url" -qc "drop database if exists $pg_db with (force)" >/dev/null
  pg_db="replique_scale_$$_$1"
  psql "$pg_url" -qc "create database $pg_db" >/dev/null
  db_url="${pg_url%/*}/$pg_db"
}

start_instance() { # start_instance N: serves on ports[N], over the shared database
  local n="$1"
  [ -n "${ports[$n]:-}" ] || ports[$n]="$(free_port)"
  RUST_LOG=warn DATABASE_URL="$db_url" REPLIQUE_DATA_DIR="$work/data$n" REPLIQUE_TRUST_PROXY=true \
    REPLIQUE_TTS_PROVIDER="${TTS:-espeak}" "$REPLIQUE_BIN" serve --addr "127.0.0.1:${ports[$n]}" >>"$work/instance$n.log" 2>&1 &
  pids[$n]=$!
  wait_healthy "${ports[$n]}" "instance$n"
}

start_balancer() { # start_balancer COUNT: HAProxy in front of instances 1..COUNT
  lb_port="$(free_port)"
  stats_port="$(free_port)"
  {
    cat <<EOF
global
    maxconn 4000

defaults
    mode http
    option forwardfor
    timeout connect 1s
    timeout client 60s
    timeout server 60s
    # A voice WebSocket, once upgraded, is a tunnel: it may stay quiet while the learner thinks.
    timeout tunnel 1h
    timeout client-fin 5s
    # A connection refused (an instance just died, not yet seen down) is tried again on
    # another instance; a request already sent is never replayed by HAProxy (the client
    # sends a turn again with its number).
    retries 3
    option redispatch 1

frontend learners
    bind 127.0.0.1:$lb_port
    default_backend replique

backend replique
    balance roundrobin
    option httpchk
    http-check send meth GET uri /health
    http-check expect status 200
    default-server check inter 500ms fall 2 rise 2
EOF
    for n in $(seq 1 "$1"); do echo "    server instance$n 127.0.0.1:${ports[$n]}"; done
    cat <<EOF

listen stats
    bind 127.0.0.1:$stats_port
    stats enable
    stats uri /
EOF
  } >"$work/haproxy.cfg"
  "$haproxy" -c -q -f "$work/haproxy.cfg"
  "$haproxy" -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
  balancer=$!
  for _ in $(seq 1 100); do healthy "$lb_port" && return 0; sleep 0.1; done
  echo "scale-out: HAProxy did not come up:" >&2
  cat "$work/haproxy.log" >&2
  exit 1
}

stop_all() {
  for i in "${!pids[@]}"; do kill "${pids[$i]}" 2>/dev/null || true; wait "${pids[$i]}" 2>/dev/null || true; done
  [ -n "$balancer" ] && { kill "$balancer" 2>/dev/null || true; wait "$balancer" 2>/dev/null || true; }
  pids=()
  ports=()
  balancer=""
}

# Each instance's state and the requests it was sent, as HAProxy saw them.
balancer_view() {
  curl -fs "http://127.0.0.1:$stats_port/;csv" |
    awk -F, '$1 == "replique" && $2 ~ /^instance/ { printf "  %s: %s, %s connections\n", $2, $18, $8 }'
}

# One login (a server-side session row) and one CSRF cookie, used across instances.
check_sessions_across_instances() {
  local jar="$work/jar" email="partout-$$@exemple.fr" token status
  curl -fs -c "$jar" -b "$jar" -o /dev/null -H 'content-type: application/json' \
    -d "{\"email\": \"$email\", \"password\": \"motdepasse-solide\", \"name\": \"Partout\"}" \
    "http://127.0.0.1:$lb_port/api/auth/register"
  for n in "${!ports[@]}"; do
    status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:${ports[$n]}/api/auth/me")"
    [ "$status" = 200 ] || { echo "scale-out: instance $n refused the login cookie made through HAProxy ($status)" >&2; exit 1; }
  done
  # A CSRF token from instance 1's login page, posted to instance 2's login form.
  rm -f "$jar"
  token="$(curl -fs -c "$jar" "http://127.0.0.1:${ports[1]}/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -n 1)"
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" -c "$jar" -H "origin: http://127.0.0.1:${ports[2]}" \
    --data-urlencode "email=$email" --data-urlencode "password=motdepasse-solide" --data-urlencode "csrf_token=$token" \
    "http://127.0.0.1:${ports[2]}/login")"
  [ "$status" = 303 ] || { echo "scale-out: instance 2 refused instance 1's CSRF token ($status)" >&2; exit 1; }
  status="$(curl -s -o /dev/null -w '%{http_code}' -b "$jar" "http://127.0.0.1:${ports[3]:-${ports[1]}}/api/auth/me")"
  [ "$status" = 200 ] || { echo "scale-out: the login made on instance 2 is unknown elsewhere ($status)" >&2; exit 1; }
  echo "sessions: a login cookie made through HAProxy and a CSRF token from instance 1 are taken by every instance"
}

kill_test() {
  local count="${INSTANCES:-3}" victim=2 status=0 voice_sockets
  [ "$count" -ge 2 ] || { echo "INSTANCES must be at least 2" >&2; exit 2; }
  new_database kill
  for n in $(seq 1 "$count"); do start_instance "$n"; done
  start_balancer "$count"
  echo "== $count instances ($profile build) on PostgreSQL behind HAProxy $("$haproxy" -v | awk 'NR == 1 {print $3}')"
  check_sessions_across_instances
  "$target/examples/learner_load" --base "http://127.0.0.1:$lb_port" --rates "${RATE:-4}" --warmup 0 \
    --seconds "${DURATION:-24}" --think-scale "${THINK_SCALE:-0.05}" --voice-share "${VOICE_SHARE:-0.3}" \
    --summary "$work/summary.json" --check-database "$db_url" >"$work/load.out" 2>&1 &
  load=$!
  sleep "${KILL_AT:-8}"
  voice_sockets="$(curl -fs "http://127.0.0.1:${ports[$victim]}/health" | python3 -c 'import json,sys; print(json.load(sys.stdin)["voice_sessions"]["active"])' || echo 0)"
  kill -KILL "${pids[$victim]}"
  wait "${pids[$victim]}" 2>/dev/null || true
  echo "killed instance $victim (SIGKILL) at ${KILL_AT:-8} s, with $voice_sockets voice sockets open on it"
  sleep "${DOWN:-4}"
  balancer_view
  start_instance "$victim"
  echo "restarted instance $victim after ${DOWN:-4} s"
  wait "$load" || status=$?
  load=""
  cat "$work/load.out"
  balancer_view
  if [ "$status" -ne 0 ]; then
    echo "scale-out: the learners failed (above); the instances' last lines:" >&2
    for n in "${!pids[@]}"; do tail -n 5 "$work/instance$n.log" >&2; done
    exit "$status"
  fi
  python3 - "$work/summary.json" "$voice_sockets" <<'EOF'
import json, sys
summary, sockets = json.load(open(sys.argv[1])), int(sys.argv[2])
checked = summary["checked"]
failures = []
if checked["lost_turns"] or checked["duplicated_turns"]:
    failures.append(f'{checked["lost_turns"]} acknowledged turns lost, {checked["duplicated_turns"]} stored twice')
if summary["failed_sessions"]:
    failures.append(f'{summary["failed_sessions"]} sessions failed')
if sockets and not summary["voice_reconnects"]:
    failures.append(f"{sockets} voice sockets were open on the killed instance, none reopened")
print(f'scale-out: {summary["acknowledged_turns"]} turns acknowledged, all stored once; '
      f'{summary["retried_turns"]} sent again, {summary["voice_reconnects"]} voice sockets reopened')
if failures:
    sys.exit("scale-out: " + "; ".join(failures))
EOF
  stop_all
}

throughput() {
  local sessions="${SESSIONS:-64}" seconds="${DURATION:-20}" hz
  hz="$(getconf CLK_TCK)"
  echo "== closed loop through HAProxy: $sessions sessions at once, ${seconds} s per run ($profile build, $(nproc) cores)"
  for count in 1 2 3; do
    new_database "t$count"
    for n in $(seq 1 "$count"); do start_instance "$n"; done
    start_balancer "$count"
    local before=() machine_before haproxy_before pg_before
    for n in $(seq 1 "$count"); do before[n]="$(cpu_ticks "${pids[$n]}")"; done
    haproxy_before="$(cpu_ticks "$balancer")"
    pg_before="$(pg_ticks)"
    machine_before="$(machine_ticks)"
    # The client's own CPU time (user, system), from the shell's `time`.
    { TIMEFORMAT='%U %S'; time "$target/examples/turn_load" --base "http://127.0.0.1:$lb_port" \
      --sessions "$sessions" --seconds "$seconds" >"$work/turns.out"; } 2>"$work/client.time"
    local machine_after line per_instance="" total_ticks=0 turns
    machine_after="$(machine_ticks)"
    for n in $(seq 1 "$count"); do
      local used=$(($(cpu_ticks "${pids[$n]}") - before[n]))
      total_ticks=$((total_ticks + used))
      per_instance="$per_instance $used"
    done
    turns="$(sed -n 's/^turns_total=//p' "$work/turns.out")"
    line="$(grep 'turns/s' "$work/turns.out")"
    echo "-- $count instance(s): $line"
    awk -v hz="$hz" -v turns="$turns" -v per="$per_instance" -v total="$total_ticks" \
      -v lb="$(($(cpu_ticks "$balancer") - haproxy_before))" -v client="$(cat "$work/client.time")" \
      -v pg="$(($(pg_ticks) - pg_before))" \
      -v mb="$machine_before" -v ma="$machine_after" 'BEGIN {
        n = split(per, t, " "); split(client, c, " "); split(mb, b, " "); split(ma, a, " ")
        wall = (a[2] - b[2]) / hz / ENVIRON["CORES"]
        printf "   CPU over the run (%% of one core):"
        for (i = 1; i <= n; i++) printf " instance%d %.0f,", i, t[i] * 100 / hz / wall
        printf " HAProxy %.0f, PostgreSQL %.0f, load client %.0f; machine busy %.0f %% of its %d cores\n", lb * 100 / hz / wall, pg * 100 / hz / wall, (c[1] + c[2]) * 100 / wall, (a[1] - b[1]) * 100 / (a[2] - b[2]), ENVIRON["CORES"]
        if (turns > 0) printf "   instances CPU per turn %.2f ms (warm-up included)\n", total * 1000 / hz / turns
      }'
    stop_all
  done
}

export CORES="$(nproc)"
case "$mode" in
  kill) kill_test ;;
  throughput) throughput ;;
esac
