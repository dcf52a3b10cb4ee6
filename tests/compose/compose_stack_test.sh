#!/usr/bin/env bash
# The compose stack for real: ./deploy/up --compose --plan names every
# service and its published ports; ./deploy/up --compose builds the images and
# brings the stack up, with its monitoring and debug profiles; a merchant's
# flow through the gateway ends approved; the programs in the images are
# the native build's bytes; Prometheus scrapes every program
# and Redis; the gRPC ports answer buf curl from the host; with three
# connectors, every transaction is charged exactly once, all three share
# the work and each is scraped; ./deploy/down --compose leaves no
# container, and no dockerd that deploy/up started, behind.
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
export COMPOSE_PROFILES=monitoring,debug PROMETHEUS_PORT="${PROMETHEUS_PORT:-9090}"
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

# The plan first: every service of the active profiles with its published
# ports, and nothing started.
plan=$("$root/deploy/up" --compose --plan) || fail "deploy/up --compose --plan"
echo "$plan"
grep -Eq "^  gateway +payment-platform/gateway:local +published on $HTTP_PORT;" <<<"$plan" ||
  fail "the plan does not publish the gateway on $HTTP_PORT"
grep -Eq "^  grpc-ports +.* published on 50051 50052 50053;" <<<"$plan" ||
  fail "the plan leaves out the debug profile's gRPC ports"
[ -z "$(compose ps -q 2>/dev/null)" ] || fail "--plan started containers"

started=$SECONDS
"$root/deploy/up" --compose || fail "deploy/up --compose"
echo "stack up after $((SECONDS - started)) s"

# The programs in the images are the bytes of this build folder's (the
# same commit and preset), as `cmake --install --strip` puts them, when
# they were built with the same package versions as here (the image says
# which: /opt/platform/build-packages); else the versions that differ are
# shown and the bytes not compared.
image_packages=$(docker run --rm --entrypoint cat payment-platform/gateway:local /opt/platform/build-packages)
host_packages=$(cut -d= -f1 <<<"$image_packages" |
  { xargs dpkg-query -W -f='${Package}=${Version}\n' 2>/dev/null || true; } | LC_ALL=C sort)
if [ "$image_packages" = "$host_packages" ]; then
  native=$(mktemp -d)
  cmake --install "$root/build/release" --prefix "$native" --strip >/dev/null ||
    fail "cmake --install of the native build"
  for file in bin/auth bin/core bin/psp_mock bin/connector bin/gateway bin/health_probe \
              lib/libplatform_proto.so; do
    in_image=$(docker run --rm --entrypoint sha256sum payment-platform/gateway:local "/opt/platform/$file" |
      cut -d' ' -f1)
    built_here=$(sha256sum "$native/$file" | cut -d' ' -f1)
    [ "$in_image" = "$built_here" ] ||
      fail "$file differs: $in_image in the image, $built_here built here (SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-unset})"
  done
  rm -rf "$native"
  echo "the images hold the native build's programs, byte for byte"
else
  echo "the images were built with other package versions than this machine has, so their"
  echo "programs are not compared with the native build's (./deploy/doctor shows this machine's drift):"
  diff <(echo "$image_packages") <(echo "$host_packages") | grep '^[<>]' || true
fi

# The README's flow: a token, a transaction, its status until approved.
t=$(merchant_token "$base"); [ -n "$t" ] || fail "no token from the gateway"
first=$(merchant_pay "$base" "$t"); [ -n "$first" ] || fail "the transaction was not queued"
wait_approved "$t" "$first"
echo "one transaction approved through the gateway"

# Prometheus' targets, up: "<job> <health>" per target, one per line.
targets() {
  curl -fsS "http://127.0.0.1:$PROMETHEUS_PORT/api/v1/targets?state=active" 2>/dev/null |
    python3 -c 'import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    print(t["labels"]["job"], t["health"])' 2>/dev/null || true
}
# Waits until Prometheus scrapes every job, `connectors` connector targets
# among them, and every target is up.
wait_scraped() {
  local connectors="$1" now=""
  for _ in $(seq 1 60); do
    now=$(targets | sort)
    if [ "$(grep -c ' up$' <<<"$now")" -eq "$(grep -c . <<<"$now")" ] &&
       [ "$(grep -c '^connector ' <<<"$now")" -eq "$connectors" ] &&
       [ "$(cut -d' ' -f1 <<<"$now" | sort -u | tr '\n' ' ')" = \
         "auth connector core gateway prometheus psp_mock redis " ]; then
      return 0
    fi
    sleep 1
  done
  fail "Prometheus does not scrape everything; its targets: $(tr '\n' ',' <<<"$now")"
}
wait_scraped 1
echo "Prometheus scrapes gateway, auth, core, psp_mock, connector and Redis: all up"

# The debug profile: grpcurl's commands, as buf curl, against the host's ports.
buf="$root/tests/clients/node_modules/.bin/buf"
[ -x "$buf" ] || fail "no buf in tests/clients: ./deploy/test installs it"
for port in 50051 50052 50053; do
  # Read whole before grep: grep -q stopping early would fail buf on SIGPIPE.
  methods=$("$buf" curl --protocol grpc --http2-prior-knowledge --list-methods \
    "http://127.0.0.1:$port" 2>&1) || fail "buf curl --list-methods on $port: $methods"
  grep -qx 'grpc.health.v1.Health/Check' <<<"$methods" || fail "no Health/Check on $port: $methods"
  health=$("$buf" curl --protocol grpc --http2-prior-knowledge -d '{}' \
    "http://127.0.0.1:$port/grpc.health.v1.Health/Check" 2>&1) || fail "Health/Check on $port: $health"
  grep -q SERVING <<<"$health" || fail "Health/Check by reflection on $port: $health"
done
echo "buf curl lists and health-checks auth, core and the PSP on 50051-50053"

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
wait_scraped 3
echo "Prometheus found the three connectors by DNS and scrapes each"

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
