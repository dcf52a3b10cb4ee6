#!/usr/bin/env bash
# The Redis image's start script refuses, before Redis runs, a missing
# password and one that could smuggle a directive into the config it writes
# (a quote, a newline, a space), whether it comes in REDIS_PASSWORD or in
# the file REDIS_PASSWORD_FILE names (a Docker secret), and a way of
# knowing the servers (REDIS_KNOWN_BY) it does not have.
set -uo pipefail
script="$(cd "$(dirname "$0")/../.." && pwd)/deploy/docker/redis-start"
fail() { echo "FAIL: $*" >&2; exit 1; }
expect_refused() {
  local output code
  output=$(env REDIS_PASSWORD="$1" sh "$script" 2>&1); code=$?
  [ "$code" -eq 2 ] || fail "password $(printf %q "$1"): exit $code, not 2 ($output)"
  grep -q "REDIS_PASSWORD" <<<"$output" || fail "no reason given: $output"
}
# expect_file_refused CONTENT: the same password as a secret file.
expect_file_refused() {
  local output code file
  file=$(mktemp)
  printf '%s' "$1" > "$file"
  output=$(env -u REDIS_PASSWORD REDIS_PASSWORD_FILE="$file" sh "$script" 2>&1); code=$?
  rm -f "$file"
  [ "$code" -eq 2 ] || fail "password file $(printf %q "$1"): exit $code, not 2 ($output)"
  grep -q "REDIS_PASSWORD" <<<"$output" || fail "no reason given: $output"
}
expect_refused ""
expect_refused $'pw"\nrename-command CONFIG ""'
expect_refused 'two words'
expect_refused 'pw$(id)'
expect_file_refused ""
expect_file_refused $'\n\n'
expect_file_refused $'pw"\nrename-command CONFIG ""\n'
expect_file_refused 'pw`id`'
output=$(env -u REDIS_PASSWORD REDIS_PASSWORD_FILE=/nonexistent/secret sh "$script" 2>&1)
[ $? -eq 2 ] && grep -q "REDIS_PASSWORD_FILE=/nonexistent/secret cannot be read" <<<"$output" ||
  fail "a missing password file: $output"
output=$(env REDIS_PASSWORD=pw REDIS_KNOWN_BY=ip sh "$script" 2>&1)
[ $? -eq 2 ] && [ "$output" = "redis: REDIS_KNOWN_BY must be address or name, not 'ip'" ] ||
  fail "an unknown REDIS_KNOWN_BY: $output"
echo "PASS"
