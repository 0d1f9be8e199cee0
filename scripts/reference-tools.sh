#!/usr/bin/env bash
# Reference tools the tests compare our output with, from Debian's packages:
# python3-dirhash (Harbor's task_checksum is dirhash(task_dir, "sha256")) and chromium (the
# HTML report is opened in a real headless browser: screenshot, DOM, console). Idempotent.
set -euo pipefail

missing=()
/usr/bin/python3 -c 'import dirhash' >/dev/null 2>&1 || missing+=(python3-dirhash)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ ${#missing[@]} -eq 0 ] && exit 0
echo "reference-tools: installing ${missing[*]} (Debian's packages)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -q >/dev/null
apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
/usr/bin/python3 -c 'import dirhash' >/dev/null
chromium --version >/dev/null
