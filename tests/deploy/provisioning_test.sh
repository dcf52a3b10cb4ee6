#!/usr/bin/env bash
# What the provisioning scripts tell a user, on this machine:
# - deploy/packages.lock names every package deploy/packages.txt does, and
#   every locked package of [build], [stack] and [test] is installed
#   (deploy/test installed the missing ones at their locked versions);
#   packages installed at another version are listed as figures;
# - with the stack's ports free, ./deploy/doctor finds nothing to fix and
#   ./deploy/up --plan would start each program on the ports given it, and
#   (run from the release build) would build nothing;
# - with the gateway's port taken, --plan says the gateway is blocked and
#   doctor exits 1 naming the port, who holds it and the variable that
#   moves it;
# - a locked version the mirror does not offer: the installer names the
#   package, the locked version, what the mirror offers and the command
#   that moves the lock, and installs nothing; with STALE_LOCK=warn (CI) it
#   warns the same and installs the mirror's version.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/deploy/lib/common.sh"
RUN_DIR=$(mktemp -d)
export RUN_DIR
holder=""
cleanup() {
  [ -z "$holder" ] || kill "$holder" 2>/dev/null || true
  rm -rf "$RUN_DIR"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$root/tests/support/native_stack_ports.sh"
unset PLATFORM_BIN

# The lock against deploy/packages.txt and this machine.
unlocked=$(comm -23 <("$root/deploy/lib/package-section" "$PACKAGES_LIST" build stack test | sort -u) \
  <(locked_packages build stack test | cut -d= -f1 | sort -u))
[ -z "$unlocked" ] || fail "named in deploy/packages.txt but not in the lock: $unlocked"
comparison=$(compare_packages build stack test)
missing=$(awk '$1 == "missing" { printf " %s=%s", $2, $3 }' <<<"$comparison")
[ -z "$missing" ] || fail "locked but not installed (./deploy/test installs them):$missing"
echo "provisioning | locked packages of [build] [stack] [test]: $(locked_packages build stack test | wc -l), installed at another version: $(grep -c '^drift' <<<"$comparison" || true)"
grep '^drift' <<<"$comparison" | sed 's/^/provisioning | /' || true

# Everything free: nothing to fix, and the plan names the ports it was given.
"$root/deploy/doctor" >"$RUN_DIR/doctor.out" 2>&1 || { cat "$RUN_DIR/doctor.out"; fail "doctor found something to fix"; }
grep -q "ok    $HTTP_PORT (gateway HTTP) is free" "$RUN_DIR/doctor.out" || fail "doctor did not check the gateway's port"
"$root/deploy/up" --plan >"$RUN_DIR/plan.out" 2>&1 || { cat "$RUN_DIR/plan.out"; fail "deploy/up --plan"; }
cat "$RUN_DIR/plan.out"
grep -Eq "^  gateway +127.0.0.1:$HTTP_PORT \(HTTP\), 127.0.0.1:$GATEWAY_METRICS_PORT +start$" "$RUN_DIR/plan.out" ||
  fail "the plan does not start the gateway on $HTTP_PORT"
grep -Eq "^  auth +$AUTH_ADDR \(gRPC\), 127.0.0.1:$AUTH_METRICS_PORT +start$" "$RUN_DIR/plan.out" ||
  fail "the plan does not start auth on $AUTH_ADDR"
grep -q "^packages: none to install" "$RUN_DIR/plan.out" || fail "the plan would install packages"
if [ "${PLATFORM_BUILD_DIR:-}" = "$root/build/release" ]; then
  grep -q "^build:    nothing" "$RUN_DIR/plan.out" || fail "the plan would build, in a built release folder"
fi
[ ! -e "$RUN_DIR/pids" ] || fail "--plan started something"

# The gateway's port taken by another program.
/usr/bin/python3 -m http.server --bind 127.0.0.1 "$HTTP_PORT" >/dev/null 2>&1 &
holder=$!
for _ in $(seq 1 50); do port_in_use "$HTTP_PORT" && break; sleep 0.1; done
port_in_use "$HTTP_PORT" || fail "the port holder did not listen"
"$root/deploy/up" --plan >"$RUN_DIR/plan.out" 2>&1 || fail "deploy/up --plan with a port taken"
grep -Eq "^  gateway .*BLOCKED, port $HTTP_PORT taken" "$RUN_DIR/plan.out" ||
  { cat "$RUN_DIR/plan.out"; fail "the plan does not say the gateway's port is taken"; }
if "$root/deploy/doctor" >"$RUN_DIR/doctor.out" 2>&1; then
  cat "$RUN_DIR/doctor.out"; fail "doctor exited 0 with the gateway's port taken"
fi
grep -Eq "FIX   $HTTP_PORT \(gateway HTTP\) is taken.*give deploy/up another port with HTTP_PORT" "$RUN_DIR/doctor.out" ||
  { cat "$RUN_DIR/doctor.out"; fail "doctor does not say how to free the gateway's port"; }
grep "FIX" "$RUN_DIR/doctor.out"
kill "$holder"; holder=""

# A version the mirror does not offer (root only: apt-get update needs it).
if [ "$(id -u)" -eq 0 ]; then
  if STALE_LOCK=fail "$root/deploy/lib/install-locked" jq=0.0-not-a-version >"$RUN_DIR/install.out" 2>&1; then
    fail "install-locked accepted a version the mirror does not have"
  fi
  cat "$RUN_DIR/install.out"
  grep -Eq "the mirror no longer offers jq 0.0-not-a-version \(deploy/packages.lock\); it offers [0-9]" "$RUN_DIR/install.out" ||
    fail "no message naming the package, its locked and its offered version"
  grep -q "./deploy/lock --update" "$RUN_DIR/install.out" || fail "no command to move the lock"
  # CI's setting: the same said as a warning, and the mirror's version installed.
  STALE_LOCK=warn "$root/deploy/lib/install-locked" jq=0.0-not-a-version >"$RUN_DIR/install.out" 2>&1 ||
    { cat "$RUN_DIR/install.out"; fail "STALE_LOCK=warn did not install the mirror's jq"; }
  grep -q "^warning: the mirror no longer offers jq 0.0-not-a-version" "$RUN_DIR/install.out" ||
    fail "STALE_LOCK=warn did not warn"
  [ "$(dpkg-query -W -f='${Version}' jq)" != 0.0-not-a-version ] || fail "jq changed"
fi
echo "PASS"
