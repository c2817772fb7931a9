# natsfault: reproduce NATS auth failures on real nats-server processes and containers.
SERVER_VERSION ?= 2.15.1
CARGO ?= cargo
NATSFAULT = target/debug/natsfault

.PHONY: setup build run test lint fmt clean

## setup: install the pinned nats-server binary (checksum verified) into .cache/
setup:
	@scripts/fetch-nats-server.sh $(SERVER_VERSION)

build:
	$(CARGO) build --workspace --locked

## run: play every scenario on the local-process backend and print the report
run: setup build
	$(NATSFAULT) run scenarios --server-version $(SERVER_VERSION)

## test: the whole test suite (every scenario is a test, plus the harness's own tests)
test: setup
	$(CARGO) test --workspace --locked

## lint: formatting and clippy, warnings are errors
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf .cache
