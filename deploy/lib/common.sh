# Shared by deploy/up, deploy/down, deploy/test and .ci/run. Sourced, not run.
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="${RUN_DIR:-$ROOT/.run}"
LOG_DIR="$RUN_DIR/logs"
PID_DIR="$RUN_DIR/pids"

say() { printf '\033[1m==>\033[0m %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# stage NAME starts a timed stage of a script; stages_done says how long
# each took, and the whole ("up in 2.1 s: packages 0.1 s, build 0.4 s, ...").
STAGE_NAME="" STAGE_STARTED="" STAGE_TIMES=() SCRIPT_STARTED=$EPOCHREALTIME
elapsed_since() { awk -v a="$1" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }'; }
stage() {
  [ -z "$STAGE_NAME" ] || STAGE_TIMES+=("$STAGE_NAME $(elapsed_since "$STAGE_STARTED") s")
  STAGE_NAME="$1" STAGE_STARTED=$EPOCHREALTIME
}
stages_done() {
  stage ""
  local IFS=,
  say "done in $(elapsed_since "$SCRIPT_STARTED") s:${STAGE_TIMES[*]/#/ }"
}

# Whether something accepts connections on 127.0.0.1:PORT.
port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

source "$ROOT/deploy/lib/packages.sh"

# The clients no one here wrote that the tests use on the platform (npm:
# buf curl, Redocly's OpenAPI linter), from tests/clients/package-lock.json,
# into its git-ignored node_modules: when missing or older than the lock.
ensure_test_clients() {
  local dir="$ROOT/tests/clients"
  command -v npm >/dev/null || install_npm
  if [ ! -x "$dir/node_modules/.bin/buf" ] ||
     [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the test clients (npm ci in tests/clients)"
    (cd "$dir" && npm ci --no-audit --no-fund --silent)
  fi
}

# npm for the test clients: the machine's own when it has one, else
# Debian's, unpinned (the clients themselves are pinned by their
# package-lock.json).
install_npm() {
  say "installing nodejs and npm"
  export DEBIAN_FRONTEND=noninteractive
  as_root apt-get update -qq
  as_root apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
}

# Every build runs with SOURCE_DATE_EPOCH, for any tool that would
# otherwise stamp the clock into what it makes: the time of the last commit
# that changed what the programs are built from (so that the images, which
# take it as a build argument, are not rebuilt for a change of the docs).
source_date_epoch() {
  local epoch
  epoch=$(git -C "$ROOT" log -1 --format=%ct -- CMakeLists.txt CMakePresets.json cmake proto \
    actors gateway tools 2>/dev/null || true)
  echo "${epoch:-0}"
}

# Configures and builds one CMake preset (release unless told).
build_preset() {
  local preset="${1:-release}"
  say "building ($preset)"
  SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(source_date_epoch)}" cmake --preset "$preset" -S "$ROOT" >/dev/null
  SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(source_date_epoch)}" cmake --build --preset "$preset"
}

# The programs only (no tests), in the release build folder. It is
# configured when new or when the presets changed (a build folder keeps the
# settings it was configured with), with the tests as they were there (off
# when new: a machine that has only run deploy/up need not have the test
# packages; deploy/test turns them on).
PROGRAMS=(auth core psp_mock connector gateway health_probe)
build_programs() {
  local build="$ROOT/build/release" tests=OFF
  export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(source_date_epoch)}"
  if [ ! -f "$build/build.ninja" ] || [ "$ROOT/CMakePresets.json" -nt "$build/CMakeCache.txt" ]; then
    grep -q '^PLATFORM_BUILD_TESTS:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null && tests=ON
    say "configuring build/release (tests $tests)"
    cmake --preset release -S "$ROOT" -DPLATFORM_BUILD_TESTS=$tests >/dev/null
  fi
  say "building the programs"
  cmake --build --preset release --target programs
}

# What build_programs would do, in one line.
programs_build_plan() {
  local build="$ROOT/build/release" steps
  if [ ! -f "$build/build.ninja" ] || ! command -v ninja >/dev/null; then
    echo "configure build/release (the programs only) and build ${#PROGRAMS[@]} programs from scratch: ${PROGRAMS[*]}"
    return
  fi
  if [ "$ROOT/CMakePresets.json" -nt "$build/CMakeCache.txt" ]; then
    echo "configure build/release again (the presets changed), then build the programs: ${PROGRAMS[*]}"
    return
  fi
  steps=$(ninja -C "$build" -n programs 2>/dev/null | grep -c '^\[' || true)
  if [ "$steps" = 0 ]; then echo "nothing: build/release has the programs of this source"
  else echo "$steps steps in build/release (the target 'programs': ${PROGRAMS[*]})"; fi
}

# The Debian packages that hold the shared libraries the built programs load.
programs_runtime_packages() {
  "$ROOT/deploy/docker/runtime-packages" "${PROGRAMS[@]/#/$ROOT/build/release/bin/}"
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
