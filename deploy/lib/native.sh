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
