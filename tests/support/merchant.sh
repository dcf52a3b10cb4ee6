# A merchant's flow through the gateway with curl, as the shell tests and
# CI's quick start drive it. Sourced, not run; BASE is the gateway's URL.
# shellcheck shell=bash

# merchant_token BASE: a token for alice (empty when the gateway refuses).
merchant_token() {
  curl -fsS -H 'Content-Type: application/json' \
    -d '{"username": "alice", "password": "password"}' "$1/auth/token" |
    sed -n 's/.*"token":"\([^"]*\)".*/\1/p'
}

# merchant_pay BASE TOKEN: queues 100 USD; prints the transaction's id.
merchant_pay() {
  curl -fsS -H 'Content-Type: application/json' \
    -d "{\"token\": \"$2\", \"amount\": 100, \"currency\": \"USD\"}" "$1/transaction" |
    sed -n 's/.*"id":"\([^"]*\)".*/\1/p'
}

# merchant_status BASE TOKEN ID: the transaction's status.
merchant_status() {
  curl -fsS -H "Authorization: Bearer $2" "$1/transaction/$3" |
    sed -n 's/.*"status":"\([^"]*\)".*/\1/p'
}

# merchant_wait_approved BASE TOKEN ID: succeeds once the transaction is
# approved, fails after 10 s.
merchant_wait_approved() {
  for _ in $(seq 1 100); do
    [ "$(merchant_status "$@")" = approved ] && return 0
    sleep 0.1
  done
  return 1
}
