#!/usr/bin/env bash
# The physical floor: the same docker operations a `tb2 run` trial needs, as a plain shell
# script (no harness): start the container with the same flags, exec the agent with its
# output redirected to /logs/agent, copy tests/ in, exec test.sh redirected to
# /logs/verifier, read the reward, remove the container. The benchmark compares against it.
#   floor.sh trial TASK_DIR AGENT_CMD          one trial
#   floor.sh trials N P TASK_DIR AGENT_CMD     N trials, P at a time (xargs -P)
#   floor.sh compose TASK_DIR AGENT_CMD        one trial in a compose project: up (main
#                                              as start() runs it, the task's sidecars),
#                                              exec, cp, exec, down
#   floor.sh stream BYTES                      an agent printing BYTES of lines, piped out
#                                              by `docker exec` to /dev/null (only that exec
#                                              is timed; printed as seconds on stdout)
set -euo pipefail
IMAGE=${BENCH_IMAGE:-tb2-base/busybox:latest}
LINE=${BENCH_LINE:-$(printf 'tb2 benchmark line %081d' 0)}
here=$(cd "$(dirname "$0")" && pwd)

start() { # name logdir -> a running container like runArgs() starts it
  docker run --detach --init --name "$1" --label dev.tb2.bench=floor \
    --cpus 1 --memory 512m --memory-swap 512m --pids-limit 4096 \
    --volume "$2/agent:/logs/agent" --volume "$2/verifier:/logs/verifier" \
    --entrypoint sh "$IMAGE" -c 'trap "exit 0" TERM; while :; do sleep 86400 & wait $!; done' >/dev/null
}

trial() { # task_dir agent_cmd
  local name logs
  name="tb2-floor-$$-${RANDOM}${RANDOM}"
  logs=$(mktemp -d "${TMPDIR:-/tmp}/tb2-floor-XXXXXX")
  mkdir -p "$logs/agent" "$logs/verifier" && chmod 777 "$logs/agent" "$logs/verifier"
  start "$name" "$logs"
  docker exec --interactive "$name" sh -c "$2 >> /logs/agent/command.txt 2>&1" <"$1/instruction.md"
  docker cp "$1/tests/." "$name:/tests"
  docker exec "$name" sh -c '/tests/test.sh >> /logs/verifier/test-stdout.txt 2>&1'
  read -r reward <"$logs/verifier/reward.txt"
  docker rm --force --volumes "$name" >/dev/null
  rm -rf "$logs"
  [ "$reward" = 1 ]
}

# The compose command this machine has: the v2 plugin, else the standalone v1.
compose() { if docker compose version >/dev/null 2>&1; then docker compose "$@"; else docker-compose "$@"; fi; }

compose_trial() { # task_dir agent_cmd
  local name logs base
  name="tb2-floor-$$-${RANDOM}${RANDOM}"
  logs=$(mktemp -d "${TMPDIR:-/tmp}/tb2-floor-XXXXXX")
  mkdir -p "$logs/agent" "$logs/verifier" && chmod 777 "$logs/agent" "$logs/verifier"
  base="$logs/base.json"
  cat >"$base" <<JSON
{"services": {"main": {"image": "$IMAGE", "container_name": "$name-main", "init": true,
  "entrypoint": ["sh", "-c", "trap \"exit 0\" TERM; while :; do sleep 86400 & wait \$\$!; done"],
  "cpus": 1, "mem_limit": "512m", "memswap_limit": "512m", "pids_limit": 4096,
  "labels": {"dev.tb2.bench": "floor"},
  "volumes": ["$logs/agent:/logs/agent", "$logs/verifier:/logs/verifier"]}}}
JSON
  local files=(--project-name "$name" --project-directory "$1/environment" --file "$base" --file "$1/environment/docker-compose.yaml")
  compose "${files[@]}" up --detach --no-color >/dev/null 2>&1
  docker exec --interactive "$name-main" sh -c "$2 >> /logs/agent/command.txt 2>&1" <"$1/instruction.md"
  docker cp "$1/tests/." "$name-main:/tests"
  docker exec "$name-main" sh -c '/tests/test.sh >> /logs/verifier/test-stdout.txt 2>&1'
  read -r reward <"$logs/verifier/reward.txt"
  compose "${files[@]}" down --timeout 0 --volumes --remove-orphans --rmi local >/dev/null 2>&1
  rm -rf "$logs"
  [ "$reward" = 1 ]
}

case "${1:-}" in
  compose) compose_trial "$2" "$3" ;;
  trial) trial "$2" "$3" ;;
  trials)
    # shellcheck disable=SC2016
    seq "$2" | xargs -P "$3" -I{} "$here/floor.sh" trial "$4" "$5" ;;
  stream)
    name="tb2-floor-$$-stream"
    logs=$(mktemp -d "${TMPDIR:-/tmp}/tb2-floor-XXXXXX")
    mkdir -p "$logs/agent" "$logs/verifier"
    start "$name" "$logs"
    t0=$(date +%s.%N)
    docker exec "$name" sh -c "yes '$LINE' | head -c $2" >/dev/null
    t1=$(date +%s.%N)
    docker rm --force --volumes "$name" >/dev/null
    rm -rf "$logs"
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", b - a }' ;;
  *) echo "usage: floor.sh trial|trials|stream ..." >&2; exit 2 ;;
esac
