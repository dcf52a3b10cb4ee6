#!/usr/bin/env bash
# ./deploy/up run again while the stack is up starts what is not running
# (a connector killed with -9 comes back) and leaves the rest alone; the
# stack still takes a transaction to "approved"; ./deploy/down stops it all.
#
# Runs the real deploy scripts on the built programs (PLATFORM_BIN), with
# its own run folder and ports, so it can run beside the other tests.
set -euo pipefail
: "${PLATFORM_BIN:?set PLATFORM_BIN to the folder of built programs}"
root="$(cd "$(dirname "$0")/../.." && pwd)"

RUN_DIR=$(mktemp -d)
export RUN_DIR
cleanup() {
  "$root/deploy/down" >/dev/null 2>&1 || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$RUN_DIR"/logs/*.log; do echo "--- $f" >&2; tail -n 5 "$f" >&2; done; exit 1; }

source "$root/tests/support/native_stack_ports.sh"
export JWT_SECRET=deploy-test-secret-of-at-least-32-bytes

pid_of() { cat "$RUN_DIR/pids/$1.pid"; }
programs=(redis auth core psp_mock connector gateway)

"$root/deploy/up" >"$RUN_DIR/up1.out" 2>&1 || { cat "$RUN_DIR/up1.out" >&2; fail "first deploy/up"; }
declare -A before
for p in "${programs[@]}"; do before[$p]=$(pid_of "$p"); done

old_connector=${before[connector]}
kill -KILL "$old_connector"
for _ in $(seq 1 50); do kill -0 "$old_connector" 2>/dev/null || break; sleep 0.1; done
kill -0 "$old_connector" 2>/dev/null && fail "the connector survived kill -9"

"$root/deploy/up" >"$RUN_DIR/up2.out" 2>&1 || { cat "$RUN_DIR/up2.out" >&2; fail "second deploy/up"; }
grep -q "started connector" "$RUN_DIR/up2.out" || fail "the second deploy/up did not start the connector"
new_connector=$(pid_of connector)
[ "$new_connector" != "$old_connector" ] && kill -0 "$new_connector" \
  || fail "no new connector is running"
for p in redis auth core psp_mock gateway; do
  [ "$(pid_of "$p")" = "${before[$p]}" ] || fail "$p was restarted although it was running"
  grep -q "$p is already running" "$RUN_DIR/up2.out" || fail "deploy/up did not say $p runs"
done
curl -fsS "http://127.0.0.1:$CONNECTOR_METRICS_PORT/health" >/dev/null || fail "the new connector's health port"

# The stack with its new connector still settles a transaction.
source "$root/tests/support/merchant.sh"
base="http://127.0.0.1:$HTTP_PORT"
token=$(merchant_token "$base")
[ -n "$token" ] || fail "no token"
id=$(merchant_pay "$base" "$token")
[ -n "$id" ] || fail "the transaction was not queued"
merchant_wait_approved "$base" "$token" "$id" ||
  fail "transaction $id ended '$(merchant_status "$base" "$token" "$id")', not approved"

"$root/deploy/down" >/dev/null
for p in "${programs[@]}"; do
  [ -f "$RUN_DIR/pids/$p.pid" ] && fail "deploy/down left $p's pid file"
done
for pid in "${before[@]}" "$new_connector"; do
  kill -0 "$pid" 2>/dev/null && fail "deploy/down left pid $pid running"
done
echo "PASS: a killed connector came back, the rest ran on, down stopped all"
