# Shared by the scale tests (tests/scale/swarm_test.sh): the swarm stack's
# address, load through its published port, and what each replica says.
# Sourced; ROOT is the repository.
# shellcheck shell=bash

source "$ROOT/deploy/lib/common.sh"
source "$ROOT/deploy/lib/compose.sh"
source "$ROOT/deploy/lib/swarm.sh"
source "$ROOT/tests/support/merchant.sh"

# The stack of the tests, apart from a user's own.
export STACK_NAME=payment-platform-scale
export JWT_SECRET=scale-test-secret-of-at-least-32-bytes REDIS_PASSWORD=scale-test-redis-password
# Tokens outlive a test's load, so the load needs only one.
export TOKEN_LIFETIME_SECONDS=900
# Where the fixture's port is kept for the tests that follow it.
STATE="${SCALE_STATE:-$ROOT/.run/scale-state}"

fail() {
  echo "FAIL: $*" >&2
  docker stack ps "$STACK_NAME" --format '{{.Name}} {{.CurrentState}} {{.Error}}' 2>/dev/null |
    head -n 30 >&2 || true
  exit 1
}

load_state() {
  [ -f "$STATE" ] || fail "no swarm stack: the scale_up test sets it up"
  # shellcheck disable=SC1090
  source "$STATE"
  export HTTP_PORT
  BASE="http://127.0.0.1:$HTTP_PORT"
}

service() { echo "${STACK_NAME}_$1"; }

# The running containers of SERVICE, one id per line.
containers_of() {
  docker ps -q --filter "label=com.docker.swarm.service.name=$(service "$1")" \
    --filter status=running
}

# metric_of CONTAINER PORT SERIES: the value of the metric line that starts
# with SERIES, read from the program's metrics port inside its container
# (no port of theirs is published).
metric_of() {
  docker exec "$1" bash -c "exec 3<>/dev/tcp/127.0.0.1/$2 &&
    printf 'GET /metrics HTTP/1.0\r\n\r\n' >&3 && cat <&3" 2>/dev/null |
    awk -v series="$3" 'index($0, series) == 1 { value = $NF } END { print value + 0 }'
}

# per_container SERVICE PORT SERIES: "container value" for each replica.
per_container() {
  local container
  for container in $(containers_of "$1"); do
    echo "$container $(metric_of "$container" "$2" "$3")"
  done
}

# shellcheck disable=SC2034  # used by swarm_test.sh
CREATED='grpc_server_handled_total{grpc_code="OK",grpc_method="CreateTransaction",'
# shellcheck disable=SC2034
ISSUED='grpc_server_handled_total{grpc_code="OK",grpc_method="IssueToken",'
# shellcheck disable=SC2034
CHARGED='grpc_server_handled_total{grpc_code="OK",grpc_method="Charge",'

# pay_many COUNT PARALLEL TOKEN OUT: COUNT transactions, PARALLEL at a time;
# OUT gets "time status id" for each (time in seconds since the epoch, id
# empty unless 200).
pay_many() {
  local count="$1" parallel="$2" token="$3" out="$4"
  seq "$count" | xargs -P "$parallel" -n 1 "$ROOT/tests/scale/pay" "$BASE" "$token" > "$out"
}

# The PSP's log, of every container it has had (an update replaces it; the
# swarm keeps the old ones). docker logs, not docker service logs: that goes
# through the swarm's log broker and takes minutes on a long log.
psp_log() {
  local container
  for container in $(docker ps -aq --filter "label=com.docker.swarm.service.name=$(service psp-mock)"); do
    docker logs "$container" 2>&1
  done
}

# charged_once IDS...: waits (90 s at most) until the PSP has charged each
# id, and fails when one was charged more than once. The PSP logs each
# Charge call with its idempotency key and whether it was a repeat (a
# repeat is answered from its ledger, not charged again).
charged_once() {
  local missing=0 log
  for _ in $(seq 1 90); do
    log=$(psp_log | grep -F '"repeat":false' || true)
    missing=$(printf '%s\n' "$@" | sed 's/.*/"idempotency_key":"&"/' | grep -cvF -f <(
      grep -oE '"idempotency_key":"[^"]*"' <<<"$log") || true)
    [ "$missing" -eq 0 ] && break
    sleep 1
  done
  [ "$missing" -eq 0 ] || fail "$missing transactions answered 200 were never charged"
  local twice
  twice=$(grep -oE '"idempotency_key":"[^"]*"' <<<"$log" | sort | uniq -d | wc -l)
  [ "$twice" -eq 0 ] || fail "$twice transactions charged more than once"
}
