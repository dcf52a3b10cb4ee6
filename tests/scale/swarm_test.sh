#!/usr/bin/env bash
# The platform past one machine, on a real orchestrator: Docker's swarm mode
# (a single-node swarm), deployed by ./deploy/up --swarm from this tree.
#   swarm_test.sh up              deploys the stack (the fixture of the rest)
#   swarm_test.sh spread          every core and auth replica takes its share
#   swarm_test.sh rolling-update  core updated under load: no error at all
#   swarm_test.sh core-killed     a core container killed under load
#   swarm_test.sh redis-failover  the Redis primary killed under load
#   swarm_test.sh connectors      connectors 1 -> 5 under a backlog
#   swarm_test.sh down            ./deploy/down --swarm leaves nothing
# Each prints its figures. CTest label "scale" (tests/CMakeLists.txt); it
# builds images and runs minutes, so ./deploy/test leaves it out unless
# asked (-L scale); .ci/run asks.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
source "$ROOT/tests/scale/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Splits a pay_many file: the ids answered 200 (ids), the count of each
# other status.
answered_ids() { awk '$2 == 200 && $3 != "" { print $3 }' "$1"; }
not_2xx() { awk '$2 !~ /^2/' "$1" | wc -l; }
statuses() { awk '{ print $2 }' "$1" | sort | uniq -c | awk '{ printf "%s×%s ", $2, $1 }'; }
# What the answers other than 2xx in a pay_many file said, each once with its count.
error_bodies() { awk '$2 !~ /^2/ { $1 = ""; print }' "$1" | sort | uniq -c | tr -s ' ' | tr '\n' ';'; }
# last_error_after FILE TIME: seconds from TIME to the last answer other
# than 2xx in FILE (0.00 when there is none).
last_error_after() {
  awk -v k="$2" '$2 !~ /^2/ { d = $1 - k; if (d > w) w = d } END { printf "%.2f", w + 0 }' "$1"
}
# The Redis server the Sentinels name as the primary: the service (redis-1,
# redis-2 or redis-3) whose running container has the address they name
# (they know the servers by address: deploy/docker/redis-start).
sentinel_primary() {
  local address n container
  address=$(docker exec "$(containers_of sentinel | head -n 1)" redis-cli -p 26379 --no-auth-warning \
    -a "$REDIS_PASSWORD" SENTINEL get-master-addr-by-name platform | head -n 1)
  for n in 1 2 3; do
    for container in $(containers_of "redis-$n"); do
      docker inspect --format '{{range .NetworkSettings.Networks}}{{println .IPAddress}}{{end}}' "$container" |
        grep -qxF "$address" && { echo "redis-$n"; return 0; }
    done
  done
  echo "${address:-none} (no running server)"
}

scale_up() {
  source "$ROOT/tests/support/native_stack_ports.sh"
  mkdir -p "$(dirname "$STATE")"
  echo "HTTP_PORT=$HTTP_PORT" > "$STATE"
  local started=$SECONDS
  STALE_LOCK="${STALE_LOCK:-warn}" "$ROOT/deploy/up" --swarm > "$work/up.log" 2>&1 ||
    { tail -n 30 "$work/up.log" >&2; fail "deploy/up --swarm"; }
  load_state
  local expected
  for expected in edge=1 gateway=2 auth=2 core=3 psp-mock=1 connector=3 redis-1=1 redis-2=1 redis-3=1 sentinel=3; do
    grep -qx "${expected%=*} ${expected#*=}/${expected#*=}" <(swarm_replicas) ||
      fail "${expected%=*} does not run ${expected#*=} replicas: $(swarm_replicas | tr '\n' ' ')"
  done
  # Whatever resolves the Redis servers' names asks one query at a time
  # with a second's timeout (deploy/swarm/stack.yaml says why).
  for service in redis-1 redis-2 redis-3 sentinel auth core connector; do
    docker service inspect "$(service "$service")" --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' |
      grep -q '"RES_OPTIONS=single-request-reopen timeout:1' ||
      fail "$service resolves with glibc's 5-s retry (no RES_OPTIONS)"
  done
  # The secrets are files, in no service's environment.
  local service
  for service in auth core connector redis-1 sentinel; do
    docker service inspect "$(service "$service")" --format '{{json .Spec.TaskTemplate.ContainerSpec.Env}}' |
      grep -qE 'JWT_SECRET=|REDIS_PASSWORD=|scale-test' && fail "$service has a secret in its environment"
  done
  # The Sentinels name a running server as the primary, and the two others
  # replicate it (they found it by the address the Sentinels gave).
  local primary replicas=0 deadline=$((SECONDS + 30))
  primary=$(sentinel_primary)
  case "$primary" in redis-[123]) ;; *) fail "the Sentinels name no running primary: $primary" ;; esac
  while [ "$replicas" -lt 2 ] && [ "$SECONDS" -lt "$deadline" ]; do
    sleep 1
    replicas=$(docker exec "$(containers_of "$primary")" redis-cli --no-auth-warning -a "$REDIS_PASSWORD" \
      INFO replication | tr -d '\r' | awk -F: '$1 == "connected_slaves" { print $2 + 0 }')
  done
  [ "$replicas" -ge 2 ] || fail "the primary ($primary) has ${replicas:-no} replicas, not 2"
  local token id
  token=$(merchant_token "$BASE")
  [ -n "$token" ] || fail "no token through the swarm's gateway"
  id=$(merchant_pay "$BASE" "$token")
  [ -n "$id" ] || fail "no transaction through the swarm's gateway"
  merchant_wait_approved "$BASE" "$token" "$id" || fail "$id not approved"
  echo "scale | deploy/up --swarm: up in $((SECONDS - started)) s (gateway×2 auth×2 core×3 connector×3 psp redis+2 replicas sentinel×3; primary $primary, replicated twice); a payment approved; secrets only as files"
}

# Waits (30 s at most) until every replica of SERVICE has counted METRIC
# at least once more: the gateways have found them all. A gateway resolves
# a name when it starts and again when a connection ends (servers close
# theirs after 10 s), so a replica that joined the name after a gateway
# started gets calls only from then on. SEND sends a few calls.
until_every_replica_serves() {
  local service="$1" port="$2" metric="$3" send="$4" start deadline=$((SECONDS + 30))
  start=$(per_container "$service" "$port" "$metric")
  while [ "$SECONDS" -lt "$deadline" ]; do
    "$send"
    if ! join <(sort <<<"$start") <(per_container "$service" "$port" "$metric" | sort) |
        awk '{ if (int($3) <= int($2)) idle = 1 } END { exit idle }'; then
      sleep 1
      continue
    fi
    return 0
  done
  fail "a $service replica got no call in 30 s: $(per_container "$service" "$port" "$metric" | tr '\n' ' ')"
}

scale_spread() {
  load_state
  local before after token total=0 container value least=100 share
  token=$(merchant_token "$BASE")
  warm_up_creates() { pay_many 12 4 "$token" "$work/warm-up"; }
  warm_up_tokens() {
    seq 8 | xargs -P 4 -I{} curl -s -o /dev/null -H 'Content-Type: application/json' \
      -d '{"username": "alice", "password": "password"}' "$BASE/auth/token"
  }
  until_every_replica_serves core 9403 "$CREATED" warm_up_creates
  until_every_replica_serves auth 9402 "$ISSUED" warm_up_tokens
  before=$(per_container core 9403 "$CREATED")
  pay_many 600 4 "$token" "$work/paid"
  [ "$(not_2xx "$work/paid")" -eq 0 ] || fail "answers other than 2xx: $(statuses "$work/paid")($(error_bodies "$work/paid"))"
  after=$(per_container core 9403 "$CREATED")
  echo "$after" | wc -l | grep -qx 3 || fail "not 3 core replicas: $after"
  local -A counted=()
  while read -r container value; do
    counted[$container]=$(( ${value%.*} - $(awk -v c="$container" '$1 == c { print int($2) }' <<<"$before") ))
    total=$(( total + counted[$container] ))
  done <<<"$after"
  [ "$total" -eq 600 ] || fail "the core replicas count $total creates, not 600"
  local figures=""
  for container in "${!counted[@]}"; do
    share=$(( counted[$container] * 100 / 600 ))
    figures+="${counted[$container]} "
    [ "$share" -lt "$least" ] && least=$share
  done
  [ "$least" -ge 20 ] || fail "a core replica served only $least % (each: $figures)"
  echo "scale | spread: 600 transactions, the 3 core replicas served $figures(least $least %)"

  before=$(per_container auth 9402 "$ISSUED")
  seq 200 | xargs -P 4 -I{} curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
      -d '{"username": "alice", "password": "password"}' "$BASE/auth/token" > "$work/tokens"
  [ "$(grep -cx 200 "$work/tokens")" -eq 200 ] || fail "tokens: $(sort "$work/tokens" | uniq -c | tr '\n' ' ')"
  after=$(per_container auth 9402 "$ISSUED")
  least=100 figures="" total=0
  while read -r container value; do
    value=$(( ${value%.*} - $(awk -v c="$container" '$1 == c { print int($2) }' <<<"$before") ))
    total=$(( total + value ))
    figures+="$value "
    share=$(( value * 100 / 200 ))
    [ "$share" -lt "$least" ] && least=$share
  done <<<"$after"
  [ "$total" -eq 200 ] || fail "the auth replicas count $total tokens, not 200"
  [ "$least" -ge 25 ] || fail "an auth replica issued only $least % (each: $figures)"
  echo "scale | spread: 200 tokens, the 2 auth replicas issued $figures(least $least %)"
}

scale_rolling_update() {
  load_state
  local token started updater
  token=$(merchant_token "$BASE")
  started=$EPOCHREALTIME
  docker service update --force --detach=false --quiet "$(service core)" > "$work/update.log" 2>&1 &
  updater=$!
  pay_many 2000 4 "$token" "$work/paid"
  wait "$updater" || { cat "$work/update.log" >&2; fail "docker service update --force core"; }
  local seconds
  seconds=$(elapsed_since "$started")
  [ "$(not_2xx "$work/paid")" -eq 0 ] || fail "answers other than 2xx during the update: $(statuses "$work/paid")($(error_bodies "$work/paid"))"
  # Every replica was replaced while the load ran.
  local replaced
  replaced=$(docker service ps "$(service core)" --filter desired-state=shutdown -q | wc -l)
  [ "$replaced" -ge 3 ] || fail "only $replaced core tasks were replaced"
  mapfile -t ids < <(answered_ids "$work/paid")
  [ "${#ids[@]}" -eq 2000 ] || fail "${#ids[@]} of 2000 answers carry an id"
  charged_once "${ids[@]}"
  echo "scale | rolling update of core (3 tasks, start-first) under 2000 transactions in $seconds s: $(statuses "$work/paid"); every one charged once"
}

scale_core_killed() {
  load_state
  local token victim killed_at
  token=$(merchant_token "$BASE")
  pay_many 1500 4 "$token" "$work/paid" &
  local load=$!
  sleep 3
  victim=$(containers_of core | head -n 1)
  killed_at=$EPOCHREALTIME
  docker kill "$victim" >/dev/null
  wait "$load"
  local errors window
  errors=$(not_2xx "$work/paid")
  # The errors are the calls the killed replica had in flight: all within
  # a second of the kill.
  window=$(last_error_after "$work/paid" "$killed_at")
  awk -v w="$window" 'BEGIN { exit !(w <= 1.0) }' || fail "errors went on $window s after the kill ($errors: $(statuses "$work/paid"))"
  for _ in $(seq 1 60); do
    [ "$(containers_of core | wc -l)" -eq 3 ] && break
    sleep 1
  done
  [ "$(containers_of core | wc -l)" -eq 3 ] || fail "the swarm did not replace the killed core"
  mapfile -t ids < <(answered_ids "$work/paid")
  charged_once "${ids[@]}"
  echo "scale | a core container killed under 1500 transactions: $errors errors, the last $window s after the kill; $(statuses "$work/paid"); replaced; every 200 charged once"
}

scale_redis_failover() {
  load_state
  local token primary victim killed_at
  token=$(merchant_token "$BASE")
  primary=$(sentinel_primary)
  case "$primary" in redis-[123]) ;; *) fail "the Sentinels name no primary: '$primary'" ;; esac
  pay_many 3000 4 "$token" "$work/paid" &
  local load=$!
  sleep 3
  victim=$(containers_of "$primary")
  killed_at=$EPOCHREALTIME
  docker kill "$victim" >/dev/null
  wait "$load"
  local now_primary
  now_primary=$(sentinel_primary)
  case "$now_primary" in
    "$primary") fail "the Sentinels did not promote a replica" ;;
    redis-[123]) ;;
    *) fail "the Sentinels name no running server: $now_primary" ;;
  esac
  local errors outage served
  errors=$(not_2xx "$work/paid")
  # Serving again: the first 200 after the last error.
  outage=$(last_error_after "$work/paid" "$killed_at")
  served=$(awk -v k="$killed_at" '$1 > k && $2 == 200' "$work/paid" | wc -l)
  # Per second after the kill: "second:errors/answers" while errors come.
  local timeline
  timeline=$(awk -v k="$killed_at" '$1 > k { s = int($1 - k); n[s]++; if ($2 !~ /^2/) e[s]++; if (s > m) m = s }
    END { for (i = 0; i <= m; i++) if (e[i]) printf "%ds:%d/%d ", i, e[i], n[i] }' "$work/paid")
  awk -v o="$outage" 'BEGIN { exit !(o <= 10.0) }' ||
    fail "not serving again within 10 s ($outage s; errors by second after the kill: $timeline; $(error_bodies "$work/paid"))"
  [ "$served" -gt 0 ] || fail "nothing answered 200 after the kill"
  mapfile -t ids < <(answered_ids "$work/paid")
  charged_once "${ids[@]}"
  echo "scale | Redis primary ($primary) killed under 3000 transactions: $now_primary promoted; serving again $outage s after the kill; $errors errors ($(statuses "$work/paid"); by second after the kill: $timeline); $served answered 200 after the kill; every 200 charged exactly once"
}

scale_connectors() {
  load_state
  local token connector psp
  connector=$(service connector) psp=$(service psp-mock)
  # Slow charges, few at a time per connector: how many connectors there
  # are decides the drain rate, not the machine's two cores.
  docker service update --detach=false --quiet --env-add PSP_LATENCY_MS=100 "$psp" >/dev/null
  docker service update --detach=false --quiet --env-add MAX_IN_FLIGHT=2 --replicas 0 "$connector" >/dev/null
  token=$(merchant_token "$BASE")
  pay_many 2000 6 "$token" "$work/paid"
  [ "$(not_2xx "$work/paid")" -eq 0 ] || fail "backlog: $(statuses "$work/paid")($(error_bodies "$work/paid"))"
  # rate N: charges a second over 8 s with N connectors.
  rate() {
    docker service scale --detach=false "$connector=$1" >/dev/null 2>&1
    sleep 2
    local container a b
    container=$(containers_of psp-mock)
    a=$(metric_of "$container" 9404 "$CHARGED")
    sleep 8
    b=$(metric_of "$container" 9404 "$CHARGED")
    echo $(( (${b%.*} - ${a%.*}) / 8 ))
  }
  local one five
  one=$(rate 1)
  five=$(rate 5)
  [ "$one" -gt 0 ] || fail "one connector charged nothing"
  [ "$five" -ge $(( one * 2 )) ] || fail "five connectors drain $five/s, one $one/s: not twice as fast"
  mapfile -t ids < <(answered_ids "$work/paid")
  charged_once "${ids[@]}"
  docker service update --detach=false --quiet --env-rm PSP_LATENCY_MS "$psp" >/dev/null
  docker service update --detach=false --quiet --env-rm MAX_IN_FLIGHT --replicas 3 "$connector" >/dev/null
  echo "scale | a backlog of 2000 (PSP 100 ms, 2 charges in flight per connector): 1 connector drains $one/s, 5 drain $five/s ($(awk -v a="$five" -v b="$one" 'BEGIN { printf "%.1f", a / b }')×); every one charged once"
}

scale_down() {
  local engine_ours=false
  [ -f "$PID_DIR/dockerd.pid" ] && engine_ours=true
  env -u JWT_SECRET -u REDIS_PASSWORD "$ROOT/deploy/down" --swarm --volumes > "$work/down.log" 2>&1 ||
    { cat "$work/down.log" >&2; fail "deploy/down --swarm"; }
  rm -f "$STATE"
  if $engine_ours; then
    pgrep -x dockerd >/dev/null && fail "the dockerd deploy/up started is still running"
  else
    [ "$(swarm_replicas | wc -l)" -eq 0 ] || fail "services left behind"
  fi
  echo "scale | deploy/down --swarm: the stack, its volumes and the swarm it made are gone"
}

case "${1:-}" in
  up) scale_up ;;
  spread) scale_spread ;;
  rolling-update) scale_rolling_update ;;
  core-killed) scale_core_killed ;;
  redis-failover) scale_redis_failover ;;
  connectors) scale_connectors ;;
  down) scale_down ;;
  *) sed -n '2,13p' "$0" >&2; exit 2 ;;
esac
