#!/usr/bin/env bash
# System test: a running `sightline serve` follows PostgreSQL going away and coming back, without a restart.
# /healthz must answer 200, then 503 while the cluster is stopped, then 200 again once it is started.
# Called by scripts/test after the other suites (it stops the shared cluster): needs DATABASE_URL's cluster, the
# control script in SIGHTLINE_TEST_PG_CTL (stop|start) and a built .build/debug/sightline.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
: "${DATABASE_URL:?set by scripts/test}" "${SIGHTLINE_TEST_PG_CTL:?set by scripts/test}"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp /tmp/sightline-restart-serve.XXXXXX)
db=sightline_restart_$$
psql "$DATABASE_URL" -qAt -c "CREATE DATABASE $db" >/dev/null
url=${DATABASE_URL/\/sightline_test?//$db?}
SIGHTLINE_PORT=$port DATABASE_URL=$url SIGHTLINE_NO_DEMO=1 SIGHTLINE_BUILTIN_WORKER=0 \
    .build/debug/sightline serve >"$log" 2>&1 &
server=$!
health() { curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz"; }
# Polls /healthz (at most $2 times, half a second apart) until it answers $1.
wait_for() {
    local want=$1 tries=$2 got=""
    for _ in $(seq 1 "$tries"); do
        got=$(health)
        [ "$got" = "$want" ] && return 0
        sleep 0.5
    done
    echo "  /healthz answered $got, expected $want" >&2
    return 1
}
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); echo "  ok: $*"; else failed=$((failed + 1)); echo "  FAILED: $*"; fi; }
check wait_for 200 240
bash "$SIGHTLINE_TEST_PG_CTL" stop >/dev/null
check wait_for 503 60
bash "$SIGHTLINE_TEST_PG_CTL" start >/dev/null
check wait_for 200 240
check kill -0 "$server"   # the same server process answered throughout
kill "$server" 2>/dev/null
wait "$server" 2>/dev/null
psql "$DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS $db" >/dev/null
[ "$failed" -eq 0 ] || tail -30 "$log"
rm -f "$log"
echo "postgres-restart: $passed checks passed, $failed checks failed"
[ "$failed" -eq 0 ]
