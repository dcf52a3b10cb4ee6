# The compose stack: a Docker engine, the debian:bookworm-slim base image and
# a compose command, each found or made here. Sourced by deploy/up and
# deploy/down.
# shellcheck shell=bash

COMPOSE_FILE_PATH="$ROOT/deploy/compose.yaml"
COMPOSE_PROJECT="${COMPOSE_PROJECT_NAME:-payment-platform}"
BASE_IMAGE=debian:bookworm-slim

# compose ARGS...: `docker compose` (v2) where it exists, else docker-compose
# (asked once: the stack's wait loop calls this every second).
compose() {
  if [ -z "${COMPOSE_COMMAND:-}" ]; then
    if docker compose version >/dev/null 2>&1; then COMPOSE_COMMAND="docker compose"
    else COMPOSE_COMMAND=docker-compose; fi
  fi
  $COMPOSE_COMMAND -f "$COMPOSE_FILE_PATH" -p "$COMPOSE_PROJECT" "$@"
}

# Installs from Debian what the machine lacks: an engine (docker.io) and a
# compose (docker-compose, v1). A machine with Docker's own packages, or
# with `docker compose` v2, keeps what it has.
ensure_compose_tools() {
  local missing
  missing=$(missing_compose_tools)
  # shellcheck disable=SC2086  # package names are words
  [ -z "$missing" ] || ensure_named_packages $missing
}

# The Debian packages of the Docker engine and compose this machine lacks.
missing_compose_tools() {
  { docker info >/dev/null 2>&1 || command -v dockerd >/dev/null; } || echo docker.io
  { docker compose version >/dev/null 2>&1 || command -v docker-compose >/dev/null; } ||
    echo docker-compose
}

# Starts dockerd when no engine answers (a machine without systemd, or one
# where it was never started); its pid goes where deploy/down finds it.
ensure_docker_engine() {
  docker info >/dev/null 2>&1 && return 0
  # A dockerd still on its way out (a deploy/down just before) holds its
  # pid file: let it finish first.
  for _ in $(seq 1 60); do pgrep -x dockerd >/dev/null || break; sleep 0.5; done
  docker info >/dev/null 2>&1 && return 0
  mkdir -p "$LOG_DIR" "$PID_DIR"
  say "starting dockerd (log $LOG_DIR/dockerd.log)"
  setsid dockerd >>"$LOG_DIR/dockerd.log" 2>&1 < /dev/null &
  echo $! > "$PID_DIR/dockerd.pid"
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && return 0
    kill -0 "$(cat "$PID_DIR/dockerd.pid")" 2>/dev/null ||
      { tail -n 5 "$LOG_DIR/dockerd.log" >&2; die "dockerd stopped at start"; }
    sleep 0.5
  done
  die "dockerd did not answer in 30 s; see $LOG_DIR/dockerd.log"
}

# The first Debian mirror the host's apt sources name for SUITE.
host_mirror() {
  local suite="$1"
  # deb822 files: a URIs: line and a Suites: line in one paragraph.
  awk -v suite="$suite" '
    /^[[:space:]]*$/ { if (uri != "" && found) { print uri; exit } uri = ""; found = 0; next }
    /^URIs:/ { uri = $2 }
    /^Suites:/ { for (i = 2; i <= NF; i++) if ($i == suite) found = 1 }
    END { if (uri != "" && found) print uri }
  ' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n 1 | grep . && return 0
  # One-line format: deb [options] URI SUITE COMPONENTS...
  sed -E 's/\[[^]]*\]//' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk -v suite="$suite" '$1 == "deb" && $3 == suite { print $2; exit }' | grep .
}

# debian:bookworm-slim, pulled when a registry answers, else made here from
# the host's own Debian mirror (debootstrap minbase, trimmed as Debian's
# slim images are) and imported under the same name.
ensure_base_image() {
  docker image inspect "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  say "pulling $BASE_IMAGE"
  timeout 60 docker pull -q "$BASE_IMAGE" >/dev/null 2>&1 && return 0
  local mirror security rootfs
  mirror=$(host_mirror bookworm) || die "no bookworm mirror in the host's apt sources to build $BASE_IMAGE from"
  security=$(host_mirror bookworm-security || true)
  command -v debootstrap >/dev/null || ensure_named_packages debootstrap
  rootfs=$(mktemp -d)
  say "no registry answers: making $BASE_IMAGE with debootstrap from $mirror (about a minute)"
  as_root debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$LOG_DIR/debootstrap.log" 2>&1 ||
    { rm -rf "$rootfs"; die "debootstrap failed; see $LOG_DIR/debootstrap.log"; }
  {
    echo "deb $mirror bookworm main"
    echo "deb $mirror bookworm-updates main"
    [ -n "$security" ] && echo "deb $security bookworm-security main"
  } > "$rootfs/etc/apt/sources.list"
  # What Debian's slim variant leaves out, now and in every later install.
  cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'SLIM'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
path-exclude /usr/share/lintian/*
SLIM
  # And what apt keeps that an image does not need: downloaded packages,
  # its binary caches, translations.
  cat > "$rootfs/etc/apt/apt.conf.d/docker-clean" <<'CLEAN'
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Acquire::Languages "none";
APT::Install-Recommends "false";
CLEAN
  find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
  rm -rf "$rootfs"/usr/share/{man,info,locale,lintian}/* "$rootfs"/var/cache/apt/*.bin \
         "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/log/*.log
  as_root tar -C "$rootfs" -c . | docker import \
    --change 'CMD ["bash"]' \
    --change 'LABEL org.opencontainers.image.description="Debian 12 minbase, made locally by deploy/up"' \
    - "$BASE_IMAGE" >/dev/null
  as_root rm -rf "$rootfs"
  say "made $BASE_IMAGE ($(docker image inspect -f '{{.Size}}' "$BASE_IMAGE" | numfmt --to=iec))"
}

# The container ids of the stack that are not (yet) healthy, one per line.
unhealthy_containers() {
  local id
  for id in $(compose ps -q); do
    [ "$(docker inspect -f '{{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "$id")" = healthy ] ||
      echo "$id"
  done
}

# compose build, into LOG, with progress while it runs, so that a cold
# build (minutes) is not silent: the Dockerfile step or the compiler's
# [n/N] when it changed (looked at every 15 s), and at least once a minute.
# Returns the build's status.
compose_build_with_progress() {
  local log="$1" started=$SECONDS said=$SECONDS last="" now
  compose build >"$log" 2>&1 &
  local build=$!
  while kill -0 "$build" 2>/dev/null; do
    sleep 1
    [ $(( (SECONDS - started) % 15 )) -eq 0 ] || continue
    now=$(grep -aoE '^Step [0-9]+/[0-9]+ : .{0,48}|^\[[0-9]+/[0-9]+\] [A-Za-z]+ [A-Za-z+]+' "$log" |
      tail -n 1 || true)
    [ -n "$now" ] || continue
    [ "$now" != "$last" ] || [ $((SECONDS - said)) -ge 60 ] || continue
    echo "  ... $((SECONDS - started)) s: $now"
    last=$now said=$SECONDS
  done
  wait "$build"
}

# ./deploy/up --compose: engine, base image, images, stack, wait for health.
compose_up() {
  mkdir -p "$LOG_DIR"
  ensure_compose_tools
  ensure_docker_engine
  ensure_base_image
  # The secrets: the shell's, else deploy/.env's, else the development ones.
  if [ -z "${JWT_SECRET:-}" ] && ! grep -qs '^JWT_SECRET=.' "$ROOT/deploy/.env"; then
    ensure_jwt_secret
  fi
  if [ -z "${REDIS_PASSWORD:-}" ] && ! grep -qs '^REDIS_PASSWORD=.' "$ROOT/deploy/.env"; then
    ensure_secret REDIS_PASSWORD redis_password
  fi
  export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(source_date_epoch)}"
  say "building the images (log $LOG_DIR/compose-build.log; a cold build compiles the platform)"
  compose_build_with_progress "$LOG_DIR/compose-build.log" ||
    { tail -n 20 "$LOG_DIR/compose-build.log" >&2; die "the image build failed; see $LOG_DIR/compose-build.log"; }
  compose up -d --remove-orphans "$@" 2>&1 | sed 's/^/  /'
  say "waiting for every container to be healthy"
  local waiting
  for _ in $(seq 1 120); do
    waiting=$(unhealthy_containers)
    if [ -z "$waiting" ]; then
      echo
      echo "The platform is up in containers. Gateway: http://localhost:${HTTP_PORT:-8080}"
      print_http_examples "${HTTP_PORT:-8080}"
      cat <<DONE
  docker-compose -f deploy/compose.yaml -p $COMPOSE_PROJECT ps    # or logs -f
  COMPOSE_PROFILES=monitoring,debug ./deploy/up --compose   # Prometheus on :${PROMETHEUS_PORT:-9090}, gRPC on 50051-50053
  docker-compose -f deploy/compose.yaml -p $COMPOSE_PROJECT up -d --scale connector=3
                 # (these need JWT_SECRET and REDIS_PASSWORD as deploy/up had them: see README.md)

Stop it with ./deploy/down --compose
DONE
      return 0
    fi
    sleep 1
  done
  compose ps >&2
  die "the stack was not healthy after 120 s; see: docker-compose -f deploy/compose.yaml -p $COMPOSE_PROJECT logs"
}

# The services compose would start (those of the profiles in
# COMPOSE_PROFILES included), "service image published-ports" per line,
# read from compose.yaml as compose itself reads it (no secret is needed
# to read it).
compose_services() {
  JWT_SECRET=plan REDIS_PASSWORD=plan compose config |
    awk -v active=",${COMPOSE_PROFILES:-}," '
      /^[a-z]/ { in_services = ($0 == "services:"); next }
      !in_services { next }
      /^  [a-z_-]+:$/ { service = substr($1, 1, length($1) - 1); services[service] = 1; next }
      /^    [a-z_]+:/ { in_profiles = ($1 == "profiles:") }
      /^    image:/ { image[service] = $2 }
      /published:/ { ports[service] = ports[service] " " $NF }
      in_profiles && /^    - / { profiles[service] = profiles[service] " " $2 }
      END {
        for (service in services) {
          wanted = (profiles[service] == "")
          count = split(profiles[service], profile, " ")
          for (i = 1; i <= count; i++) if (index(active, "," profile[i] ",")) wanted = 1
          if (wanted) print service, image[service], (ports[service] == "" ? "-" : ports[service])
        }
      }' | sort
}

# ./deploy/up --compose --plan: what compose_up would do.
compose_plan() {
  echo "./deploy/up --compose would do this (nothing is done now):"
  local missing
  missing=$(missing_compose_tools)
  if [ -n "$missing" ]; then
    echo "packages: install $(echo $missing) (their locked versions), then plan again for the rest"
    return 0
  fi
  echo "packages: none to install (Docker and a compose are there)"
  local engine=0
  docker info >/dev/null 2>&1 && engine=1
  if [ "$engine" = 1 ]; then echo "engine:   use the Docker engine that answers"
  else echo "engine:   start dockerd (log ${LOG_DIR#"$ROOT/"}/dockerd.log), stopped by ./deploy/down --compose"; fi
  if [ "$engine" = 0 ]; then echo "base:     $BASE_IMAGE: present, pulled, or made with debootstrap from the host's Debian mirror"
  elif docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then echo "base:     $BASE_IMAGE, present"
  else echo "base:     pull $BASE_IMAGE, or make it with debootstrap from the host's Debian mirror"; fi
  echo "images:   build from deploy/docker/Dockerfile (the layers present are reused), then start:"
  local service image ports state
  while read -r service image ports; do
    if [ "$engine" = 0 ]; then state="image built unless the engine has it"
    elif docker image inspect "$image" >/dev/null 2>&1; then state="image present"
    else state="image to build"; fi
    [ "$ports" = - ] && ports="none published" || ports="published on $ports"
    printf '  %-15s %-40s %s\n' "$service" "$image" "$ports; $state"
  done < <(compose_services)
  echo "          (profiles: COMPOSE_PROFILES=${COMPOSE_PROFILES:-none}; monitoring and debug add services)"
}

# ./deploy/down --compose [--volumes]: the stack, then a dockerd we started.
compose_down() {
  if docker info >/dev/null 2>&1; then
    # compose reads the whole file, and the secrets are required there;
    # taking the stack down needs none.
    # Every profile: what any of them started goes down too.
    JWT_SECRET="${JWT_SECRET:-not-needed-to-stop}" REDIS_PASSWORD="${REDIS_PASSWORD:-not-needed-to-stop}" \
      COMPOSE_PROFILES=monitoring,debug compose down -t 1 --remove-orphans "$@" 2>&1 |
      sed 's/^/  /'
  fi
  stop_our_dockerd
  say "the compose stack is down${1:+ (volumes removed)}"
}

# Stops the dockerd that deploy/up started, if it did.
stop_our_dockerd() {
  local pid_file="$PID_DIR/dockerd.pid" pid
  if [ -f "$pid_file" ]; then
    pid=$(cat "$pid_file")
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid"
      for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      say "stopped the dockerd that deploy/up started"
    fi
    rm -f "$pid_file"
  fi
}
