#!/usr/bin/env bash
# Builds the image `natsfault/tool:VERSION` (VERSION: natsfault's own) with the `natsfault`
# command and the nats-server binaries of SERVER_VERSIONS (default: 2.15.1), offline: a release
# build of this checkout, the shared libraries it links (read from ldd), and the cached,
# checksum-verified server binaries (scripts/fetch-nats-server.sh). Usage:
#   scripts/build-tool-image.sh [SERVER_VERSION...]
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${NATSFAULT_CACHE_DIR:-$root/.cache}"
versions=("$@")
[[ ${#versions[@]} -gt 0 ]] || versions=(2.15.1)
tool_version="$(sed -n 's/^version = "\(.*\)"/\1/p' "$root/harness/Cargo.toml" | head -1)"
image="natsfault/tool:$tool_version"

command -v docker >/dev/null 2>&1 || { echo "build-tool-image: docker is not installed" >&2; exit 3; }
"$root/scripts/fetch-nats-server.sh" "${versions[@]}"
cargo build --release --locked --manifest-path "$root/Cargo.toml" -p natsfault --features cli --bin natsfault
binary="$root/target/release/natsfault"

context="$(mktemp -d "${TMPDIR:-/tmp}/natsfault-tool-image-XXXXXX")"
trap 'rm -rf "$context"' EXIT
rootfs="$context/rootfs"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/tmp" "$rootfs/work" "$rootfs/etc"
chmod 1777 "$rootfs/tmp"
cp "$binary" "$rootfs/usr/local/bin/natsfault"
# The dynamic loader and every library the binary links, at the paths ldd names.
for lib in $(ldd "$binary" | grep -o '/[^ ]*'); do
  mkdir -p "$rootfs$(dirname "$lib")"
  cp -L "$lib" "$rootfs$lib"
done
echo "root:x:0:0:root:/work:/usr/local/bin/natsfault" > "$rootfs/etc/passwd"
for v in "${versions[@]}"; do
  mkdir -p "$rootfs/opt/natsfault/cache/nats-server/$v"
  cp "$cache/nats-server/$v/nats-server" "$rootfs/opt/natsfault/cache/nats-server/$v/nats-server"
done
cp "$root/docker/tool.Dockerfile" "$context/Dockerfile"
docker build --quiet --label io.natsfault=1 --tag "$image" "$context"
echo "build-tool-image: built $image (nats-server ${versions[*]})"
