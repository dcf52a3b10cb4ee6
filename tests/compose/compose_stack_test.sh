#!/usr/bin/env bash
# The compose stack for real: ./deploy/up --compose builds the images and
# brings the stack up; a merchant's flow through the gateway ends approved;
# with three connectors, every transaction is charged exactly once and all
# three share the work; ./deploy/down --compose leaves no container, and no
# dockerd that deploy/up started, behind.
#
# Label "compose": it builds images (minutes), so ./deploy/test leaves it
# out unless asked (-L compose); .ci/run asks.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/deploy/lib/common.sh"
source "$root/deploy/lib/compose.sh"

# Its own project, so a developer's own compose stack and volume are safe.
export COMPOSE_PROJECT_NAME=payment-platform-test
COMPOSE_PROJECT=$COMPOSE_PROJECT_NAME
export HTTP_PORT="${HTTP_PORT:-8080}" JWT_SECRET=compose-test-secret-of-at-least-32-bytes
export REDIS_PASSWORD=compose-test-redis-password
# Slow charges and few at a time per connector, so three connectors share.
export PSP_LATENCY_MS=100 MAX_IN_FLIGHT=8
base="http://127.0.0.1:$HTTP_PORT"

fail() {
  echo "FAIL: $*" >&2
  compose ps >&2 2>/dev/null || true
  compose logs --tail 10 >&2 2>/dev/null || true
  exit 1
}
cleanup() { "$root/deploy/down" --compose --volumes >/dev/null 2>&1 || true; }
trap cleanup EXIT

source "$root/tests/support/merchant.sh"

# Waits until every id given is approved (60 s at most).
wait_approved() {
  local token="$1"; shift
  local pending=("$@") still token_at=$SECONDS
  for _ in $(seq 1 120); do
    if [ $((SECONDS - token_at)) -ge 20 ]; then  # tokens live 30 s
      token=$(merchant_token "$base"); token_at=$SECONDS
    fi
    still=()
    for id in "${pending[@]}"; do
      [ "$(merchant_status "$base" "$token" "$id")" = approved ] || still+=("$id")
    done
    [ ${#still[@]} -eq 0 ] && return 0
    pending=("${still[@]}")
    sleep 0.5
  done
  fail "${#pending[@]} transactions not approved, e.g. ${pending[0]}: $(merchant_status "$base" "$(merchant_token "$base")" "${pending[0]}")"
}

started=$SECONDS
"$root/deploy/up" --compose || fail "deploy/up --compose"
echo "stack up after $((SECONDS - started)) s"

# The README's flow: a token, a transaction, its status until approved.
t=$(merchant_token "$base"); [ -n "$t" ] || fail "no token from the gateway"
first=$(merchant_pay "$base" "$t"); [ -n "$first" ] || fail "the transaction was not queued"
wait_approved "$t" "$first"
echo "one transaction approved through the gateway"

# Redis takes no command without its password.
noauth=$(compose exec -T redis env -u REDISCLI_AUTH redis-cli ping 2>&1 || true)
grep -q NOAUTH <<<"$noauth" || fail "Redis answered without its password: $noauth"
echo "Redis refuses a client without the password"

# Three connectors on the one consumer group.
compose up -d --no-recreate --scale connector=3 >/dev/null 2>&1 || fail "scale connector=3"
for _ in $(seq 1 60); do [ -z "$(unhealthy_containers)" ] && break; sleep 1; done
[ -z "$(unhealthy_containers)" ] || fail "not healthy after scaling"
connectors=$(compose ps -q connector | wc -l)
[ "$connectors" -eq 3 ] || fail "$connectors connectors run, not 3"

t=$(merchant_token "$base")
ids=()
for _ in $(seq 1 60); do
  id=$(merchant_pay "$base" "$t"); [ -n "$id" ] || fail "a transaction was not queued"
  ids+=("$id")
done
wait_approved "$t" "${ids[@]}"
echo "60 more transactions approved with three connectors"

# The PSP's own log has a line for every Charge call: one call per
# transaction, and it was not a repeat (the ledger answers a repeated key
# without charging again, so a count of charges alone could not fail).
psp_log=$(compose logs --no-color psp-mock)
for id in "$first" "${ids[@]}"; do
  calls=$(grep -F "\"idempotency_key\":\"$id\"" <<<"$psp_log" | grep -c '"repeat":' || true)
  first_calls=$(grep -F "\"idempotency_key\":\"$id\"" <<<"$psp_log" | grep -c '"repeat":false' || true)
  [ "$first_calls" -eq 1 ] || fail "$id charged $first_calls times at the PSP"
  [ "$calls" -eq 1 ] || fail "$id sent to the PSP $calls times (repeats: $((calls - 1)))"
done
# Which connector containers made those charges: all three took a share.
sharing=$(compose logs --no-color connector | grep -F 'Making transaction with PSP' |
  grep -F -f <(printf '%s\n' "${ids[@]}") | cut -d'|' -f1 | sort -u | wc -l)
[ "$sharing" -eq 3 ] || fail "only $sharing of 3 connectors charged anything"
echo "each transaction charged once; three connectors shared the work"

engine_ours=false
[ -f "$PID_DIR/dockerd.pid" ] && engine_ours=true
# As a user runs it in a new shell: without the secret, which down needs not.
env -u JWT_SECRET -u REDIS_PASSWORD "$root/deploy/down" --compose --volumes ||
  fail "deploy/down --compose"
trap - EXIT
if $engine_ours; then
  pgrep -x dockerd >/dev/null && fail "the dockerd deploy/up started is still running"
else
  left=$(docker ps -aq --filter "label=com.docker.compose.project=$COMPOSE_PROJECT_NAME" | wc -l)
  [ "$left" -eq 0 ] || fail "$left containers left behind"
fi
echo "PASS after $((SECONDS - started)) s"
