# The `natsfault` command with the pinned nats-server binaries, for a CI job that has no Rust
# toolchain: built offline by scripts/build-tool-image.sh (`make image-tool`) from a release
# build, the shared libraries it links (it is not static) and the cached server binaries.
# Nothing is pulled. Run it with a writable /tmp and the team's files mounted at /work:
#   docker run --rm --tmpfs /tmp -v "$PWD:/work:ro" natsfault/tool:VERSION verify --contract nats-contract.toml
FROM scratch
COPY rootfs/ /
ENV NATSFAULT_CACHE_DIR=/opt/natsfault/cache TMPDIR=/tmp NATSFAULT_CONFINE=auto
WORKDIR /work
LABEL io.natsfault=1
ENTRYPOINT ["/usr/local/bin/natsfault"]
CMD ["--help"]
