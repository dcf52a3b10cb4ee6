# The native stack: each program a background process with its log and pid
# file under .run/. Sourced by deploy/up and deploy/down.
# shellcheck shell=bash

is_running() {
  local pid_file="$PID_DIR/$1.pid"
  [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null
}

# start_program NAME COMMAND [ARGS...]; the environment is the caller's.
start_program() {
  local name="$1"; shift
  mkdir -p "$LOG_DIR" "$PID_DIR"
  if is_running "$name"; then
    say "$name is already running (pid $(cat "$PID_DIR/$name.pid"))"
    return 0
  fi
  setsid "$@" >>"$LOG_DIR/$name.log" 2>&1 < /dev/null &
  echo $! > "$PID_DIR/$name.pid"
  say "started $name (pid $!, log $LOG_DIR/$name.log)"
}

stop_program() {
  local name="$1" pid
  local pid_file="$PID_DIR/$name.pid"
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && kill -KILL "$pid" 2>/dev/null || true
    say "stopped $name"
  fi
  rm -f "$pid_file"
}

# redis://[:password@]host:port/db -> REDIS_HOST, REDIS_PORT, REDIS_PASSWORD
parse_redis_url() {
  local rest="${1#redis://}"
  REDIS_PASSWORD=""
  if [[ "$rest" == *@* ]]; then
    REDIS_PASSWORD="${rest%%@*}"; REDIS_PASSWORD="${REDIS_PASSWORD#:}"
    rest="${rest#*@}"
  fi
  rest="${rest%%/*}"
  REDIS_HOST="${rest%:*}"
  REDIS_PORT="${rest##*:}"
  [ "$REDIS_HOST" = "$rest" ] && REDIS_PORT=6379
  [ -n "$REDIS_HOST" ] || REDIS_HOST=127.0.0.1
}

# The programs of the stack, in start order (stopped in reverse).
STACK_PROGRAMS=(redis auth core psp_mock connector gateway)

# The native stack's addresses: README.md's settings, else their defaults.
# Each program's metrics port (GET /metrics, GET /health) is on loopback:
# METRICS_PORT is per program, so deploy/up takes one variable for each.
native_settings() {
  export HTTP_PORT="${HTTP_PORT:-8080}" HTTP_HOST="${HTTP_HOST:-0.0.0.0}"
  export AUTH_ADDR="${AUTH_ADDR:-127.0.0.1:50051}" CORE_ADDR="${CORE_ADDR:-127.0.0.1:50052}"
  export PSP_ADDR="${PSP_ADDR:-127.0.0.1:50053}"
  export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379/0}"
  export USERS_FILE="${USERS_FILE:-$ROOT/actors/auth/users.json}"
  export METRICS_HOST="${METRICS_HOST:-127.0.0.1}"
  GATEWAY_METRICS_PORT="${GATEWAY_METRICS_PORT:-9401}"
  AUTH_METRICS_PORT="${AUTH_METRICS_PORT:-9402}"
  CORE_METRICS_PORT="${CORE_METRICS_PORT:-9403}"
  PSP_MOCK_METRICS_PORT="${PSP_MOCK_METRICS_PORT:-9404}"
  CONNECTOR_METRICS_PORT="${CONNECTOR_METRICS_PORT:-9405}"
  parse_redis_url "$REDIS_URL"
}

redis_ping() {
  REDISCLI_AUTH="$REDIS_PASSWORD" redis-cli -h "$REDIS_HOST" -p "$REDIS_PORT" ping 2>/dev/null |
    grep -q PONG
}

# The ports of each program of the native stack: "program port..." lines.
native_ports() {
  echo "redis $REDIS_PORT"
  echo "auth ${AUTH_ADDR##*:} $AUTH_METRICS_PORT"
  echo "core ${CORE_ADDR##*:} $CORE_METRICS_PORT"
  echo "psp_mock ${PSP_ADDR##*:} $PSP_MOCK_METRICS_PORT"
  echo "connector $CONNECTOR_METRICS_PORT"
  echo "gateway $HTTP_PORT $GATEWAY_METRICS_PORT"
}

# ./deploy/up --plan: what deploy/up would install, build and start.
native_plan() {
  echo "./deploy/up would do this (nothing is done now):"
  if [ -n "${PLATFORM_BIN:-}" ]; then
    echo "packages, build: nothing (the programs in PLATFORM_BIN=$PLATFORM_BIN)"
  else
    local comparison total missing drift
    comparison=$(compare_packages build stack)
    total=$(locked_packages build stack | wc -l)
    missing=$(awk '$1 == "missing" { printf " %s=%s", $2, $3 }' <<<"$comparison")
    drift=$(awk '$1 == "drift" { printf " %s (locked %s, installed %s)", $2, $3, $4 }' <<<"$comparison")
    if [ -n "$missing" ]; then
      echo "packages: install $(wc -w <<<"$missing") of the $total locked packages of [build] and [stack]:$missing"
    else
      echo "packages: none to install (the $total locked packages of [build] and [stack] are there)"
    fi
    [ -z "$drift" ] || echo "          and warn of those installed at another version than the lock's:$drift"
    echo "build:    $(programs_build_plan)"
  fi
  echo "start:    (logs in ${LOG_DIR#"$ROOT/"}/, pids in ${PID_DIR#"$ROOT/"}/)"
  local program
  for program in "${STACK_PROGRAMS[@]}"; do
    printf '  %-10s %-44s %s\n' "$program" "$(program_addresses "$program")" "$(program_plan "$program")"
  done
}

program_addresses() {
  case "$1" in
    redis) echo "$REDIS_HOST:$REDIS_PORT" ;;
    auth) echo "$AUTH_ADDR (gRPC), $METRICS_HOST:$AUTH_METRICS_PORT" ;;
    core) echo "$CORE_ADDR (gRPC), $METRICS_HOST:$CORE_METRICS_PORT" ;;
    psp_mock) echo "$PSP_ADDR (gRPC), $METRICS_HOST:$PSP_MOCK_METRICS_PORT" ;;
    connector) echo "$METRICS_HOST:$CONNECTOR_METRICS_PORT (metrics)" ;;
    gateway) echo "$HTTP_HOST:$HTTP_PORT (HTTP), $METRICS_HOST:$GATEWAY_METRICS_PORT" ;;
  esac
}

# What deploy/up would do with one program, and what stands in its way.
program_plan() {
  local program="$1" port taken=()
  if is_running "$program"; then echo "already running (pid $(cat "$PID_DIR/$program.pid"))"; return; fi
  if [ "$program" = redis ] && command -v redis-cli >/dev/null && redis_ping; then
    echo "not started: uses the Redis that answers there"; return
  fi
  for port in $(awk -v p="$program" '$1 == p { $1 = ""; print }' <(native_ports)); do
    port_in_use "$port" && taken+=("$port")
  done
  if [ ${#taken[@]} -gt 0 ]; then echo "start: BLOCKED, port ${taken[*]} taken (./deploy/doctor)"
  else echo "start"; fi
}
