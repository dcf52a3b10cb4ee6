# The Debian packages, pinned: deploy/packages.txt names them by section,
# deploy/packages.lock (made by deploy/lock) holds the exact version of each
# and of everything it depends on, and everything installs those versions.
# Sourced by common.sh.
# shellcheck shell=bash

PACKAGES_LIST="$ROOT/deploy/packages.txt"
PACKAGES_LOCK="$ROOT/deploy/packages.lock"

# locked_packages SECTION...: name=version lines of these sections of the lock.
locked_packages() {
  [ -f "$PACKAGES_LOCK" ] || die "deploy/packages.lock is missing: run ./deploy/lock"
  "$ROOT/deploy/lib/package-section" "$PACKAGES_LOCK" "$@"
}

# name=version of every package dpkg has installed.
installed_packages() {
  dpkg-query -W -f='${db:Status-Abbrev} ${Package}=${Version}\n' 2>/dev/null |
    awk '$1 ~ /^ii/ { print $2 }'
}

# compare_packages SECTION...: one line per locked package of these sections
# that is not installed as locked: "missing NAME LOCKED" or
# "drift NAME LOCKED INSTALLED".
compare_packages() {
  awk -F= '
    NR == FNR { installed[$1] = $2; next }
    !($1 in installed) { print "missing", $1, $2; next }
    installed[$1] != $2 { print "drift", $1, $2, installed[$1] }
  ' <(installed_packages) <(locked_packages "$@")
}

# report_drift LINES: says which installed packages differ from the lock.
# A drift is not an error (the programs still build and run), but the
# build is then not the one the lock describes, byte for byte.
report_drift() {
  local drift
  drift=$(grep '^drift ' <<<"$1" || true)
  [ -n "$drift" ] || return 0
  printf 'warning: %d installed packages differ from deploy/packages.lock, so this build may not be byte-identical to others of this commit:\n' \
    "$(wc -l <<<"$drift")" >&2
  awk '{ printf "  %s: locked %s, installed %s\n", $2, $3, $4 }' <<<"$drift" >&2
  printf '  to record this machine'"'"'s versions instead: ./deploy/lock\n' >&2
}

# install_locked NAME=VERSION...: exactly these versions (deploy/lib/install-locked).
install_locked() {
  [ $# -gt 0 ] || return 0
  say "installing $# packages at their locked versions"
  # (sudo drops the environment: STALE_LOCK is passed on by hand)
  as_root env STALE_LOCK="${STALE_LOCK:-fail}" "$ROOT/deploy/lib/install-locked" "$@" ||
    die "the packages were not installed"
}

# ensure_packages SECTION...: the locked packages of these sections, the
# missing ones installed; a drift from the lock is reported first.
ensure_packages() {
  local comparison missing=()
  comparison=$(compare_packages "$@")
  report_drift "$comparison"
  while read -r state name version _; do
    [ "$state" = missing ] && missing+=("$name=$version")
  done <<<"$comparison"
  install_locked "${missing[@]}"
}

# ensure_named_packages NAME...: these packages, at their locked versions
# (any section), when they are missing; for tools installed only where the
# machine lacks them (Docker, debootstrap).
ensure_named_packages() {
  local entries=() name entry
  for name in "$@"; do
    [[ $(dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null) == ii* ]] && continue
    entry=$(locked_packages build runtime stack redis edge test compose bench | grep -m1 "^$name=" || true)
    [ -n "$entry" ] || die "$name is not in deploy/packages.lock: add it to deploy/packages.txt and run ./deploy/lock"
    entries+=("$entry")
  done
  install_locked "${entries[@]}"
}
