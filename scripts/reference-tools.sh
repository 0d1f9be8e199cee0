#!/usr/bin/env bash
# Reference tools the tests compare our output with, from Debian's packages:
# python3-dirhash (Harbor's task_checksum is dirhash(task_dir, "sha256")). Idempotent.
set -euo pipefail

if /usr/bin/python3 -c 'import dirhash' >/dev/null 2>&1; then exit 0; fi
echo "reference-tools: installing python3-dirhash (Debian's package)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q python3-dirhash >/dev/null
/usr/bin/python3 -c 'import dirhash' >/dev/null
