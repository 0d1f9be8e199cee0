#!/usr/bin/env bash
# Make sure a docker compose answers: the v2 plugin (`docker compose`, what GitHub's runners
# have) or the standalone v1 (`docker-compose`, Debian's docker-compose package, installed
# here when neither is present). Idempotent.
set -euo pipefail

if docker compose version >/dev/null 2>&1 || docker-compose version >/dev/null 2>&1; then exit 0; fi
echo "compose-up: installing docker-compose (Debian's package)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q docker-compose >/dev/null
docker-compose version >/dev/null
