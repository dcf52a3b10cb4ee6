#!/usr/bin/env bash
# The shipped deploy/redis.conf, loaded by a real redis-server as deploy/up,
# compose and Kubernetes load it: the settings the guarantees rest on are
# the ones in force (the AOF on and synced before each reply, the memory
# ceiling, no eviction, no RDB snapshots).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }
work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
redis-server "$root/deploy/redis.conf" --port "$port" --dir "$work" >"$work/log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
setting() { redis-cli -p "$port" config get "$1" | sed -n 2p; }
expect() {
  local actual
  actual=$(setting "$1")
  [ "$actual" = "$2" ] || fail "$1 is '$actual', not '$2' ($(cat "$work/log" | tail -3))"
}
expect appendonly yes
expect appendfsync always
expect maxmemory $(( 512 * 1024 * 1024 ))
expect maxmemory-policy noeviction
expect save ""
echo "PASS"
