#!/usr/bin/env bash
# Builds the image `natsfault/nats-server:VERSION` from the cached static binary
# `.cache/nats-server/VERSION/nats-server`, offline (FROM scratch: nothing is pulled).
# A no-op when the image already exists. Usage: scripts/build-image.sh [VERSION]
set -euo pipefail

version="${1:-2.15.1}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${NATSFAULT_CACHE_DIR:-$root/.cache}"
binary="$cache/nats-server/$version/nats-server"
image="natsfault/nats-server:$version"

if ! command -v docker >/dev/null 2>&1; then
  echo "build-image: docker is not installed" >&2
  exit 3
fi
if docker image inspect "$image" >/dev/null 2>&1; then
  echo "build-image: $image exists"
  exit 0
fi
if [[ ! -x "$binary" ]]; then
  echo "build-image: no nats-server $version at \`$binary\`; run scripts/fetch-nats-server.sh $version" >&2
  exit 3
fi

context="$(mktemp -d "${TMPDIR:-/tmp}/natsfault-image-XXXXXX")"
trap 'rm -rf "$context"' EXIT
cp "$binary" "$context/nats-server"
cp "$root/docker/nats-server.conf" "$context/nats-server.conf"
cp "$root/docker/Dockerfile" "$context/Dockerfile"

docker build --quiet \
  --label io.natsfault=1 \
  --label "io.natsfault.version=$version" \
  --tag "$image" \
  "$context"
echo "build-image: built $image"
