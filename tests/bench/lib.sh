# What the benchmark commands share (sourced, not run): the release build,
# a scratch folder, the native stack on free ports, wrk, and what /proc says
# of each program. Everything started here is stopped on exit.
source "$(dirname "${BASH_SOURCE[0]}")/../../deploy/lib/common.sh"

ensure_packages build stack test bench
# BENCH_BIN: another build's programs instead (the previous commit's, built
# in a worktree), to measure a change against its baseline in the same go.
if [ -n "${BENCH_BIN:-}" ]; then
  BIN="$BENCH_BIN"
else
  build_preset release >/dev/null
  BIN="$ROOT/build/release/bin"
fi
work=$(mktemp -d)
pids=()
declare -A pid_of
bench_cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] && echo "kept $work" || rm -rf "$work"
}
trap bench_cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 100); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done
  die "nothing on port $1"
}
# background NAME COMMAND...: started with its output in $work/NAME.log,
# its pid kept as ${pid_of[NAME]}.
background() {
  local name="$1"; shift
  "$@" > "$work/$name.log" 2>&1 & pids+=($!); pid_of[$name]=$!
}

# start_stack [connector]: redis-server with the shipped settings, auth,
# core and the gateway (and the PSP and a connector when asked), each on a
# free port; sets http_port, redis_port, metrics_port. Extra settings come
# from the caller's environment (e.g. TRANSACTION_RETENTION).
start_stack() {
  redis_port=$(free_port); local auth_port core_port psp_port
  auth_port=$(free_port); core_port=$(free_port); http_port=$(free_port)
  local redis_url="redis://127.0.0.1:$redis_port/0"
  export JWT_SECRET=bench-secret-of-at-least-thirty-two-bytes
  background redis redis-server "$ROOT/deploy/redis.conf" --port "$redis_port" --dir "$work"
  wait_port "$redis_port"
  # Every program's metrics port is picked by the kernel but the
  # connector's, which the bench reads.
  export METRICS_PORT=0 METRICS_HOST=127.0.0.1
  GRPC_HOST=127.0.0.1 GRPC_PORT=$auth_port USERS_FILE="$ROOT/actors/auth/users.json" \
    REDIS_URL=$redis_url background auth "$BIN/auth"
  GRPC_HOST=127.0.0.1 GRPC_PORT=$core_port REDIS_URL=$redis_url background core "$BIN/core"
  if [ "${1:-}" = connector ]; then
    psp_port=$(free_port); metrics_port=$(free_port)
    GRPC_HOST=127.0.0.1 GRPC_PORT=$psp_port background psp_mock "$BIN/psp_mock"
    wait_port "$psp_port"
    REDIS_URL=$redis_url PSP_ADDR=127.0.0.1:$psp_port METRICS_HOST=127.0.0.1 \
      METRICS_PORT=$metrics_port background connector "$BIN/connector"
  fi
  HTTP_HOST=127.0.0.1 HTTP_PORT=$http_port AUTH_ADDR=127.0.0.1:$auth_port \
    CORE_ADDR=127.0.0.1:$core_port background gateway "$BIN/gateway"
  wait_port "$auth_port"; wait_port "$core_port"; wait_port "$http_port"
  [ "${1:-}" != connector ] || wait_port "$metrics_port"
}

# start_nginx: the ceiling, a static 200 on nginx_port.
start_nginx() {
  nginx_port=$(free_port)
  sed -e "s#@DIR@#$work#g" -e "s#@PORT@#$nginx_port#g" -e "s#@WORKERS@#$(nproc)#g" \
    "$ROOT/tests/bench/nginx.conf.in" > "$work/nginx.conf"
  background nginx /usr/sbin/nginx -c "$work/nginx.conf"
  wait_port "$nginx_port"
}

token() {
  curl -fsS -H 'Content-Type: application/json' -d '{"username":"alice","password":"password"}' \
    "http://127.0.0.1:$http_port/auth/token" | sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# wrk_run URL CONNECTIONS SECONDS [wrk args...] -> "req/s p50_ms p99_ms requests errors"
# (errors: non-2xx answers and socket errors).
wrk_run() {
  local url="$1" connections="$2" seconds="$3"; shift 3
  wrk -t2 -c"$connections" -d"${seconds}s" --latency "$@" "$url" | awk '
    function ms(v) { if (v ~ /us$/) return v/1000; if (v ~ /ms$/) return v+0; if (v ~ /s$/) return v*1000; return v }
    /Requests\/sec/ {rps=$2}
    / 50%/ {p50=ms($2)} / 99%/ {p99=ms($2)}
    /requests in/ {n=$1}
    /Non-2xx/ {bad+=$NF}
    /Socket errors/ {gsub(",", ""); bad+=$4+$6+$8+$10}
    END {printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, n, bad}'
}

# What /proc says of a program: CPU seconds used so far (user + system),
# resident memory in MB, threads.
cpu_seconds() {
  awk -v hz="$(getconf CLK_TCK)" '{sub(/.*\) /, ""); print ($12 + $13) / hz}' "/proc/$1/stat"
}
rss_mb() { awk '/^VmRSS/ {printf "%.1f", $2/1024}' "/proc/$1/status"; }
threads() { awk '/^Threads/ {print $2}' "/proc/$1/status"; }

# The connector's count of approved charges (its metrics port; the name
# before and after the metrics moved to prometheus-cpp, so that BENCH_BIN
# may be an older build).
approved() {
  curl -fsS "http://127.0.0.1:$metrics_port/metrics" |
    awk '/^connector_charges_approved_total |^connector_charges_total\{outcome="approved"\} / {print $2}'
}

# transaction_cost CONNECTIONS SECONDS: every program's CPU (gateway, auth,
# core, redis, connector, psp_mock) from before a run of POST /transaction
# until the connector has charged and settled all it accepted, idle time
# until then included; prints the load's rate and p99 and the µs of CPU per
# transaction, per program and in all. Needs start_stack connector.
wait_idle() {  # until the connector's count stops moving
  local last=-1 now
  while now=$(approved) && [ "$now" != "$last" ]; do last=$now; sleep 1; done
}
transaction_cost() {
  local connections="$1" seconds="$2" name rps p99 sent errors accepted charged_before charged
  local programs=(gateway auth core redis connector psp_mock) split="" total=0 us
  local -A before
  wait_idle
  for name in "${programs[@]}"; do before[$name]=$(cpu_seconds "${pid_of[$name]}"); done
  charged_before=$(approved)
  read -r rps _ p99 sent errors < <(TOKEN=$(token) wrk_run "http://127.0.0.1:$http_port/transaction" \
    "$connections" "$seconds" -s "$ROOT/tests/bench/post_transaction.lua")
  accepted=$(( sent - errors ))
  for _ in $(seq 1 600); do
    [ "$(approved)" -ge $(( charged_before + accepted )) ] && break; sleep 0.1
  done
  wait_idle
  charged=$(( $(approved) - charged_before ))
  for name in "${programs[@]}"; do
    us=$(awk -v a="${before[$name]}" -v b="$(cpu_seconds "${pid_of[$name]}")" -v n="$charged" \
      'BEGIN {printf "%.0f", (b - a) * 1e6 / n}')
    total=$(( total + us )); split+="${split:+, }$name $us"
  done
  echo "POST /transaction @$connections: $rps req/s, p99 $p99 ms, $errors errors"
  echo "CPU per transaction ($accepted accepted, $charged charged), µs: $split; all $total (goal <= 150)"
}
