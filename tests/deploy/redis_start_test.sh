#!/usr/bin/env bash
# The Redis image's start script refuses, before Redis runs, a missing
# password and one that could smuggle a directive into the config it writes
# (a quote, a newline, a space).
set -uo pipefail
script="$(cd "$(dirname "$0")/../.." && pwd)/deploy/docker/redis-start"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_refused() {
  local output code
  output=$(env REDIS_PASSWORD="$1" sh "$script" 2>&1); code=$?
  [ "$code" -eq 2 ] || fail "password $(printf %q "$1"): exit $code, not 2 ($output)"
  grep -q "REDIS_PASSWORD" <<<"$output" || fail "no reason given: $output"
}
expect_refused ""
expect_refused $'pw"\nrename-command CONFIG ""'
expect_refused 'two words'
expect_refused 'pw$(id)'
echo "PASS"
