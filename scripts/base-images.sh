#!/usr/bin/env bash
# Build the local base images the example tasks and tests start FROM, without a registry:
#   tb2-base/busybox:latest  - busybox-static only (seconds; tests that need no Python)
#   tb2-base/python:bookworm - Debian bookworm minbase + python3 + pytest (about a minute)
# Skips an image that already exists. On a runner that can pull, these are still built
# locally so the examples never depend on a registry.
set -euo pipefail

need_pkg() { command -v "$1" >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q >/dev/null; apt-get install -y -q "$2" >/dev/null; }; }
have_image() { docker image inspect "$1" >/dev/null 2>&1; }

if ! have_image tb2-base/busybox:latest; then
  [ -x /bin/busybox ] || need_pkg busybox busybox-static
  dir=$(mktemp -d)
  mkdir -p "$dir/bin" "$dir/tmp" "$dir/root" "$dir/etc"
  cp "$(command -v busybox)" "$dir/bin/busybox"
  for applet in $("$dir/bin/busybox" --list); do [ "$applet" = busybox ] || ln -sf busybox "$dir/bin/$applet"; done
  echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
  chmod 1777 "$dir/tmp"
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/bin' -c 'CMD ["/bin/sh"]' - tb2-base/busybox:latest >/dev/null
  rm -rf "$dir"
  echo "base-images: built tb2-base/busybox:latest" >&2
fi

if ! have_image tb2-base/python:bookworm; then
  need_pkg debootstrap debootstrap
  # On a non-Debian host (an Ubuntu runner) debootstrap needs Debian's archive key.
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || { export DEBIAN_FRONTEND=noninteractive; apt-get update -q >/dev/null; apt-get install -y -q debian-archive-keyring >/dev/null; }
  # The mirror this machine's apt already uses (deb822 or one-line sources).
  mirror=$( { grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null; grep -hE '^deb ' /etc/apt/sources.list 2>/dev/null; } \
    | grep -oE 'https?://[^ ]+' | grep -v -- '-security' | grep -E '/debian/?$' | head -n 1 || true)
  mirror=${mirror:-http://deb.debian.org/debian}
  dir=$(mktemp -d)
  debootstrap --variant=minbase --include=python3,python3-pytest,procps bookworm "$dir" "$mirror" >/tmp/debootstrap.log 2>&1 \
    || { tail -n 20 /tmp/debootstrap.log >&2; exit 1; }
  rm -rf "$dir"/var/cache/apt/archives/*.deb "$dir"/var/lib/apt/lists/*
  tar -C "$dir" -c . | docker import -c 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' -c 'CMD ["/bin/bash"]' - tb2-base/python:bookworm >/dev/null
  rm -rf "$dir"
  echo "base-images: built tb2-base/python:bookworm" >&2
fi
