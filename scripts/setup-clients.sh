#!/usr/bin/env bash
# Installs the client-library drivers under .cache/clients/ (called by `make setup`):
#   nats-py  a virtualenv with the pinned, hash-checked wheels of harness/drivers/nats-py/requirements.txt
#   nats.go  harness/drivers/nats.go/ built offline from Debian's golang-github-nats-io-go-nats-dev
#   nats.c   harness/drivers/nats.c/ built with cc against Debian's libnats-dev and libjansson-dev
# A driver that cannot be installed is one `skipped` line; under CI=true it is an error.
# NATSFAULT_CLIENTS=nats-py (comma-separated) installs only those.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=.cache/clients
mkdir -p "$dest"
wanted=",${NATSFAULT_CLIENTS:-nats-py,nats.go,nats.c},"
failed=0

skip() {
  echo "natsfault: skipped the $1 driver: $2"
  if [ "${CI:-}" = "true" ]; then failed=1; fi
}

# Installs Debian packages $@ when run as root with apt-get (refreshing the lists once if needed).
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get install -y -qq "$@" >/dev/null 2>&1 \
      || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq "$@" >/dev/null 2>&1; }) || true
  fi
}

setup_py() {
  local venv=$dest/nats-py/venv req=harness/drivers/nats-py/requirements.txt
  local stamp=$dest/nats-py/installed.sha256
  local want
  want=$(sha256sum "$req" | cut -d' ' -f1)
  if [ -x "$venv/bin/python" ] && [ "$(cat "$stamp" 2>/dev/null)" = "$want" ]; then return 0; fi
  local py
  py=$(command -v python3 || true)
  if [ -z "$py" ]; then skip nats-py "no python3"; return 0; fi
  rm -rf "$dest/nats-py" && mkdir -p "$dest/nats-py"
  if ! "$py" -m venv "$venv" >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get install -y -qq python3-venv >/dev/null 2>&1 || true
    fi
    "$py" -m venv "$venv" || { skip nats-py "python3 cannot make a virtualenv (python3-venv)"; return 0; }
  fi
  if "$venv/bin/pip" install -q --disable-pip-version-check --require-hashes --only-binary=:all: \
       --no-binary=nkeys -r "$req"; then
    echo "$want" > "$stamp"
    echo "natsfault: nats-py $("$venv/bin/python" -c 'from importlib.metadata import version; print(version("nats-py"))') installed in $venv"
  else
    rm -rf "$dest/nats-py"
    skip nats-py "pip could not install $req"
  fi
}

setup_go() {
  local bin=$dest/nats.go/natsfault-driver src=harness/drivers/nats.go
  local gocode=/usr/share/gocode
  if ! command -v go >/dev/null || [ ! -d $gocode/src/github.com/nats-io/nats.go ]; then
    apt_install golang-go golang-github-nats-io-go-nats-dev
  fi
  if ! command -v go >/dev/null || [ ! -d $gocode/src/github.com/nats-io/nats.go ]; then
    skip nats.go "needs Debian's golang-go and golang-github-nats-io-go-nats-dev (apt-get install -y golang-go golang-github-nats-io-go-nats-dev)"
    return 0
  fi
  if [ -x "$bin" ] && [ -z "$(find "$src" -newer "$bin" -type f)" ]; then return 0; fi
  mkdir -p "$dest/nats.go"
  if GO111MODULE=off GOPATH=$gocode GOFLAGS= GOCACHE="$PWD/$dest/go-build" go build -o "$bin" "./$src/"; then
    echo "natsfault: nats.go $(grep -oP 'Version\s*=\s*"\K[^"]+' $gocode/src/github.com/nats-io/nats.go/nats.go) driver built at $bin"
  else
    skip nats.go "the driver did not build"
  fi
}

# Whether the nats.c driver can be built: a C compiler and libnats and jansson for pkg-config.
have_c() {
  command -v cc >/dev/null && command -v pkg-config >/dev/null && pkg-config --exists libnats jansson
}

setup_c() {
  local bin=$dest/nats.c/natsfault-driver src=harness/drivers/nats.c
  if ! have_c; then apt_install gcc libc6-dev pkg-config libnats-dev libjansson-dev; fi
  if ! have_c; then
    skip nats.c "needs a C compiler, pkg-config and Debian's libnats-dev and libjansson-dev (apt-get install -y gcc pkg-config libnats-dev libjansson-dev)"
    return 0
  fi
  if [ -x "$bin" ] && [ -z "$(find "$src" -newer "$bin" -type f)" ]; then return 0; fi
  mkdir -p "$dest/nats.c"
  # shellcheck disable=SC2046 # pkg-config prints several flags
  if cc -std=gnu11 -O2 -Wall -Wextra -Werror -o "$bin.tmp" "$src/driver.c" $(pkg-config --cflags --libs libnats jansson) -lpthread \
    && mv "$bin.tmp" "$bin"; then
    echo "natsfault: nats.c $(pkg-config --modversion libnats) driver built at $bin"
  else
    rm -f "$bin.tmp"
    skip nats.c "the driver did not build"
  fi
}

case $wanted in *,nats-py,*) setup_py ;; esac
case $wanted in *,nats.go,*) setup_go ;; esac
case $wanted in *,nats.c,*) setup_c ;; esac
exit $failed
