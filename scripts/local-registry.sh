#!/usr/bin/env bash
# A registry on 127.0.0.1:5000 (Debian's docker-registry, no auth) to test the pull path
# of pinned docker_image tasks without the internet (Debian's docker-registry package). 127.0.0.1:5000 is trusted
# without TLS by the engine's defaults. Idempotent.
set -euo pipefail
if curl -fsS -m 2 http://127.0.0.1:5000/v2/ >/dev/null 2>&1; then exit 0; fi
if ! command -v docker-registry >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q docker-registry >/dev/null
fi
dir=/var/lib/tb2-registry
mkdir -p "$dir"
cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:5000
YML
nohup docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
for _ in $(seq 1 40); do
  curl -fsS -m 2 http://127.0.0.1:5000/v2/ >/dev/null 2>&1 && exit 0
  sleep 0.25
done
echo "local-registry: no answer on 127.0.0.1:5000; see $dir/registry.log" >&2
exit 1
