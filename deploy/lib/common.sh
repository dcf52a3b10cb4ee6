# Shared by deploy/up, deploy/down, deploy/test and .ci/run. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs the Debian packages of a list (deploy/packages.txt unless told)
# that are missing.
ensure_packages() {
  local list="${1:-$ROOT/deploy/packages.txt}" wanted missing=()
  wanted=$(grep -Ev '^\s*(#|$)' "$list")
  for package in $wanted; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# The clients no one here wrote that the tests use on the platform (npm:
# buf curl, Redocly's OpenAPI linter), from tests/clients/package-lock.json,
# into its git-ignored node_modules: when missing or older than the lock.
ensure_test_clients() {
  local dir="$ROOT/tests/clients"
  command -v npm >/dev/null || ensure_packages <(printf 'nodejs\nnpm\n')
  if [ ! -x "$dir/node_modules/.bin/buf" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the test clients (npm ci in tests/clients)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
  fi
}

# Configures and builds one CMake preset (release unless told).
build_preset() {
  local preset="${1:-release}"
  say "building ($preset)"
  cmake --preset "$preset" -S "$ROOT" >/dev/null
  cmake --build --preset "$preset"
}

# VARIABLE from the environment, else a development secret (32 random
# bytes, hex) made once in deploy/.secrets/FILE (git-ignored); exported.
ensure_secret() {
  local variable="$1" file="$2"
  if [ -z "${!variable:-}" ]; then
    local secret_file="$ROOT/deploy/.secrets/$file"
    if [ ! -s "$secret_file" ]; then
      mkdir -p "$(dirname "$secret_file")"
      (umask 077; od -An -tx1 -N32 /dev/urandom | tr -d ' \n' > "$secret_file")
      say "made a development $variable in deploy/.secrets/$file"
    fi
    printf -v "$variable" '%s' "$(cat "$secret_file")"
  fi
  export "${variable?}"
}

ensure_jwt_secret() { ensure_secret JWT_SECRET jwt_secret; }

# How to call the gateway on PORT, as the native and compose paths print it.
print_http_examples() {
  cat <<EXAMPLES

  token=\$(http --print=b POST :$1/auth/token username=alice password=password | jq -r .token)
  id=\$(http --print=b POST :$1/transaction amount=100 currency=USD token=\$token | jq -r .id)
  http :$1/transaction/\$id "Authorization:Bearer \$token"     # queued, then approved
  http :$1/health
  http :$1/openapi.json                                         # the whole API (OpenAPI 3)
EXAMPLES
}
