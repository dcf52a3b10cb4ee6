# The swarm stack (deploy/swarm/stack.yaml): a single-node swarm made on the
# spot when the engine is in none, the images of the compose stack plus the
# edge, the secrets, `docker stack deploy`, and the wait for every replica.
# Sourced by deploy/up and deploy/down after compose.sh.
# shellcheck shell=bash

STACK_FILE="$ROOT/deploy/swarm/stack.yaml"
STACK_NAME="${STACK_NAME:-payment-platform}"
# Written when deploy/up made the swarm: deploy/down then leaves it, and
# leaves a swarm it found alone.
SWARM_MADE_HERE="$RUN_DIR/swarm-made-here"

swarm_state() { docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }

# A single-node swarm, unless the engine is in one already.
ensure_swarm() {
  case "$(swarm_state)" in
    active) return 0 ;;
    inactive) ;;
    *) die "the Docker engine's swarm is '$(swarm_state)'; see docker info" ;;
  esac
  say "making a single-node swarm (docker swarm init; ./deploy/down --swarm leaves it)"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
  mkdir -p "$RUN_DIR"
  touch "$SWARM_MADE_HERE"
}

# "service replicas" per line: the running and wanted count of each service
# of the stack ("3/3").
swarm_replicas() {
  docker service ls --filter "label=com.docker.stack.namespace=$STACK_NAME" \
    --format '{{.Name}} {{.Replicas}}' | sed "s/^${STACK_NAME}_//"
}

# Each service whose tasks are not all running and healthy, with its count,
# or that is still rolling over to a new spec (a deploy over a running
# stack: its old tasks are all up until the update reaches them).
swarm_waiting() {
  local service replicas running wanted healthy update
  while read -r service replicas; do
    running=${replicas%%/*} wanted=${replicas#*/}
    wanted=${wanted%% *}
    if [ "$running" != "$wanted" ]; then echo "$service $replicas"; continue; fi
    update=$(docker service inspect "${STACK_NAME}_$service" \
      --format '{{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' 2>/dev/null || true)
    case "$update" in updating|rollback_started) echo "$service $update"; continue ;; esac
    healthy=$(docker ps --filter "label=com.docker.swarm.service.name=${STACK_NAME}_$service" \
      --filter health=healthy -q | wc -l)
    local with_check
    with_check=$(docker ps --filter "label=com.docker.swarm.service.name=${STACK_NAME}_$service" -q |
      xargs -r docker inspect -f '{{if .State.Health}}1{{end}}' | grep -c 1 || true)
    [ "$with_check" = 0 ] || [ "$healthy" -ge "$wanted" ] || echo "$service $healthy/$wanted healthy"
  done < <(swarm_replicas)
}

# The secrets as files for `docker stack deploy`, named after a hash of
# their content: a changed secret is a new Docker secret the services roll
# over to (a Docker secret cannot change).
swarm_secrets() {
  local directory="$RUN_DIR/swarm-secrets"
  mkdir -p "$directory"
  (umask 077
   printf '%s' "$JWT_SECRET" > "$directory/jwt_secret"
   printf '%s' "$REDIS_PASSWORD" > "$directory/redis_password")
  export SWARM_SECRETS_DIR="$directory"
  JWT_SECRET_ID=$(sha256sum < "$directory/jwt_secret" | cut -c1-12)
  REDIS_PASSWORD_ID=$(sha256sum < "$directory/redis_password" | cut -c1-12)
  export JWT_SECRET_ID REDIS_PASSWORD_ID
}

# ./deploy/up --swarm.
swarm_up() {
  mkdir -p "$LOG_DIR"
  ensure_compose_tools
  ensure_docker_engine
  ensure_base_image
  if [ -z "${JWT_SECRET:-}" ]; then ensure_jwt_secret; fi
  if [ -z "${REDIS_PASSWORD:-}" ]; then ensure_secret REDIS_PASSWORD redis_password; fi
  export SOURCE_DATE_EPOCH="${SOURCE_DATE_EPOCH:-$(source_date_epoch)}"
  say "building the images (log $LOG_DIR/compose-build.log; a cold build compiles the platform)"
  compose_build_with_progress "$LOG_DIR/compose-build.log" ||
    { tail -n 20 "$LOG_DIR/compose-build.log" >&2; die "the image build failed; see $LOG_DIR/compose-build.log"; }
  docker build -q -f "$ROOT/deploy/docker/Dockerfile" --target edge \
    --build-arg STALE_LOCK="${STALE_LOCK:-fail}" -t payment-platform/edge:local "$ROOT" \
    >>"$LOG_DIR/compose-build.log" 2>&1 ||
    { tail -n 20 "$LOG_DIR/compose-build.log" >&2; die "the edge image build failed"; }
  ensure_swarm
  swarm_secrets
  say "deploying the stack '$STACK_NAME' (deploy/swarm/stack.yaml)"
  docker stack deploy --prune -c "$STACK_FILE" "$STACK_NAME" 2>&1 | sed 's/^/  /'
  say "waiting for every replica to run and be healthy"
  local waiting
  for _ in $(seq 1 180); do
    waiting=$(swarm_waiting)
    if [ -z "$waiting" ] &&
       curl -fsS -m 2 "http://127.0.0.1:${HTTP_PORT:-8080}/health" >/dev/null 2>&1; then
      echo
      echo "The platform is up on a swarm. Gateway (through the edge): http://localhost:${HTTP_PORT:-8080}"
      print_http_examples "${HTTP_PORT:-8080}"
      cat <<DONE
  docker stack services $STACK_NAME          # replicas of each service
  docker service logs -f ${STACK_NAME}_core
  docker service scale ${STACK_NAME}_connector=5
  docker service update --force ${STACK_NAME}_core   # a rolling update, one task at a time

Stop it with ./deploy/down --swarm
DONE
      return 0
    fi
    sleep 1
  done
  echo "$waiting" >&2
  die "the stack was not running and healthy after 180 s; see docker stack ps $STACK_NAME --no-trunc"
}

# ./deploy/down --swarm [--volumes]: the stack (and its Redis volumes with
# --volumes), then a swarm and a dockerd we made.
swarm_down() {
  if docker info >/dev/null 2>&1 && [ "$(swarm_state)" = active ]; then
    docker stack rm "$STACK_NAME" 2>&1 | sed 's/^/  /'
    # Its network goes last, once every task has stopped.
    for _ in $(seq 1 60); do
      docker network ls --filter "label=com.docker.stack.namespace=$STACK_NAME" -q | grep -q . || break
      sleep 1
    done
    # And its containers, which hold the volumes until they have stopped.
    for _ in $(seq 1 60); do
      docker ps -aq --filter "label=com.docker.stack.namespace=$STACK_NAME" | grep -q . || break
      sleep 1
    done
    if [ "${1:-}" = --volumes ]; then
      docker volume ls -q --filter "label=com.docker.stack.namespace=$STACK_NAME" |
        xargs -r docker volume rm >/dev/null
    fi
    if [ -f "$SWARM_MADE_HERE" ]; then
      docker swarm leave --force >/dev/null
      say "left the swarm that deploy/up made"
    fi
  fi
  rm -f "$SWARM_MADE_HERE"
  rm -rf "$RUN_DIR/swarm-secrets"
  stop_our_dockerd
  say "the swarm stack is down"
}
