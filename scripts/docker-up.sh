#!/usr/bin/env bash
# Make sure a Docker engine answers on the default socket: install Debian's docker.io if
# only the client is present, start dockerd in the background if it is not running, and
# wait for `docker info`. Idempotent; safe to run on a machine that already has Docker.
set -euo pipefail

if docker info >/dev/null 2>&1; then exit 0; fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "docker-up: installing the Docker engine (docker.io)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null
  apt-get install -y -q docker.io >/dev/null
fi

# iptables stays on so `docker build` can reach Debian's mirror.
echo "docker-up: starting dockerd" >&2
nohup dockerd >/var/log/dockerd.log 2>&1 &
for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then exit 0; fi
  sleep 0.5
done
echo "docker-up: dockerd did not answer within 30 s; see /var/log/dockerd.log" >&2
tail -n 20 /var/log/dockerd.log >&2 || true
exit 1
