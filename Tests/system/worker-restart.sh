#!/usr/bin/env bash
# System test: a `sightline serve` killed (SIGKILL) in the middle of a job loses nothing; after a restart the job is
# claimed again and finished, and two servers on one database share the remaining work without doing any twice.
#
# The work is the demo project's: six built-in Grad-CAM jobs queued at first start, then one scoring job per run.
# "In the middle of a job" is made deterministic with a test-only trigger in this test's own database that stalls
# the job's final INSERT (pg_sleep): the worker has claimed the job, computed it and opened the transaction that
# stores it when the server is killed.
#   phase A: stall on INSERT INTO runs (a built-in job), kill -9 the server, check nothing of that job was stored;
#   phase B: stall on INSERT INTO run_scores (a scoring job), restart, kill -9 again once the built-in jobs are done;
#   phase C: two servers on the same database finish everything; every job done, each exactly once.
# Called by scripts/test: needs DATABASE_URL's cluster, SIGHTLINE_MODEL_WEIGHTS and a built .build/debug/sightline.
set -uo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$REPO"
: "${DATABASE_URL:?set by scripts/test}" "${SIGHTLINE_MODEL_WEIGHTS:?set by scripts/test}"
BIN=.build/debug/sightline
db=sightline_worker_restart_$$
psql "$DATABASE_URL" -qAt -c "CREATE DATABASE $db" >/dev/null
url=${DATABASE_URL/\/sightline_test?//$db?}
logdir=$(mktemp -d /tmp/sightline-worker-restart.XXXXXX)
servers=()
passed=0 failed=0
check() { if "$@"; then passed=$((passed + 1)); echo "  ok: $*"; else failed=$((failed + 1)); echo "  FAILED: $*"; fi; }
sql() { psql "$url" -qAtX -c "$1"; }
cleanup() {
    for pid in "${servers[@]}"; do kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; done
    psql "$url" -qAtX -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '$db' AND pid <> pg_backend_pid()" >/dev/null 2>&1
    psql "$DATABASE_URL" -qAt -c "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1
    rm -rf "$logdir"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# start_server NAME: a server on a free port with short leases; its pid is appended to `servers`.
start_server() {
    local port
    port=$(free_port)
    SIGHTLINE_PORT=$port DATABASE_URL=$url SIGHTLINE_BUILTIN_LEASE_S=3 SIGHTLINE_SCORING_LEASE_S=3 \
        SIGHTLINE_BUILTIN_POLL_MS=100 SIGHTLINE_SCORING_POLL_MS=100 \
        "$BIN" serve >"$logdir/$1.log" 2>&1 &
    servers+=("$!")
    echo "$port" >"$logdir/$1.port"
}
# wait_until CONDITION TRIES: polls (0.5 s apart) until `SELECT CONDITION` is true.
wait_until() {
    local tries=$2
    for _ in $(seq 1 "$tries"); do
        [ "$(sql "SELECT $1")" = "t" ] && return 0
        sleep 0.5
    done
    echo "  waited in vain for: $1" >&2
    return 1
}
stall() {  # stall TABLE: the next INSERT into TABLE sleeps (test database only)
    sql "CREATE OR REPLACE FUNCTION test_stall() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN PERFORM pg_sleep(600); RETURN NEW; END \$\$" >/dev/null
    sql "CREATE TRIGGER test_stall BEFORE INSERT ON $1 FOR EACH ROW EXECUTE FUNCTION test_stall()" >/dev/null
}
unstall() {  # ends the sleeping transactions (their server is dead) and removes the trigger
    sql "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '$db' AND wait_event = 'PgSleep'" >/dev/null
    sql "DROP TRIGGER IF EXISTS test_stall ON $1" >/dev/null
}
stalled="EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = '$db' AND wait_event = 'PgSleep')"

DATABASE_URL=$url "$BIN" migrate >"$logdir/migrate.log" 2>&1
DATABASE_URL=$url "$BIN" user add --email admin@localhost --role admin </dev/null >"$logdir/user.log" 2>&1

echo "phase A: kill -9 while a built-in Grad-CAM job is being stored" >&2
stall runs
start_server a
check wait_until "$stalled" 600
a_job=$(sql "SELECT id FROM builtin_heatmap_jobs WHERE status = 'running' ORDER BY id LIMIT 1")
{ kill -9 "${servers[0]}"; wait "${servers[0]}"; } 2>/dev/null
unstall runs
check test -n "$a_job"
check test "$(sql "SELECT count(*) FROM builtin_heatmap_jobs")" = 6
check test "$(sql "SELECT count(*) FROM runs")" = 0               # the interrupted transaction stored nothing
check test "$(sql "SELECT status FROM builtin_heatmap_jobs WHERE id = ${a_job:-0}")" = running

echo "phase B: restart; kill -9 while a scoring job is being stored" >&2
stall run_scores
start_server b
check wait_until "(SELECT count(*) = 6 FROM builtin_heatmap_jobs WHERE status = 'done') AND $stalled" 900
b_job=$(sql "SELECT id FROM scoring_jobs WHERE status = 'running' ORDER BY id LIMIT 1")
{ kill -9 "${servers[1]}"; wait "${servers[1]}"; } 2>/dev/null
unstall run_scores
check test -n "$b_job"
check test "$(sql "SELECT attempts >= 2 AND run_id IS NOT NULL FROM builtin_heatmap_jobs WHERE id = ${a_job:-0}")" = t
check test "$(sql "SELECT count(*) FROM runs")" = 6
check test "$(sql "SELECT count(*) FROM run_scores")" = 0
check test "$(sql "SELECT status FROM scoring_jobs WHERE id = ${b_job:-0}")" = running

echo "phase C: two servers on the same database finish the work" >&2
start_server c1
start_server c2
check wait_until "NOT EXISTS (SELECT 1 FROM scoring_jobs WHERE status <> 'done') AND (SELECT count(*) = 6 FROM scoring_jobs)" 900
check test "$(sql "SELECT attempts >= 2 FROM scoring_jobs WHERE id = ${b_job:-0}")" = t
check test "$(sql "SELECT count(*) FROM run_scores")" = 6           # each run scored exactly once
check test "$(sql "SELECT count(DISTINCT run_id) FROM run_scores")" = 6
check test "$(sql "SELECT count(*) FROM builtin_heatmap_jobs WHERE status = 'done'")" = 6
check test "$(sql "SELECT count(DISTINCT run_id) FROM builtin_heatmap_jobs")" = 6
for name in c1 c2; do
    check test "$(curl -s -m 10 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(cat "$logdir/$name.port")/healthz")" = 200
done

if [ "$failed" -ne 0 ]; then
    for log in "$logdir"/*.log; do echo "--- $log" >&2; tail -20 "$log" >&2; done
fi
echo "  scoring jobs finished per server in phase C: $(sql "SELECT string_agg(n::text, ' + ') FROM (SELECT count(*) AS n FROM scoring_jobs GROUP BY locked_by) s")"
echo "worker-restart: $passed checks passed, $failed checks failed"
[ "$failed" -eq 0 ]
