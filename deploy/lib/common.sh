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

# Configures and builds one CMake preset (release unless told).
build_preset() {
  local preset="${1:-release}"
  say "building ($preset)"
  cmake --preset "$preset" -S "$ROOT" >/dev/null
  cmake --build --preset "$preset"
}
