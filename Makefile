# natsfault: reproduce NATS auth failures on real nats-server processes and containers.
SERVER_VERSION ?= 2.15.1
# Versions the upgrade matrix plays; `make test` plays three of them and the default.
MATRIX_VERSIONS ?= 2.10.26,2.11.11,2.12.8,2.14.6,2.15.0,2.15.1
TEST_VERSIONS = 2.10.26 2.12.8 2.15.0
# The releases the bisection tests play (offline): fetched before the tests run.
BISECT_VERSIONS = 2.11.9 2.11.11 2.12.0 2.12.1 2.12.2 2.12.3 2.12.4
CARGO ?= cargo
NATSFAULT = target/debug/natsfault

.PHONY: setup image image-tool build run run-containers clients matrix test lint fmt clean bench soak fuzz

## setup: install the pinned nats-server binary (checksum verified) into .cache/, and the
## client-library drivers (nats-py in a virtualenv, nats.go and nats.c from Debian) into .cache/clients/
setup:
	@scripts/fetch-nats-server.sh $(SERVER_VERSION)
	@scripts/setup-clients.sh

## image: build natsfault/nats-server:$(SERVER_VERSION) from the cached binary (FROM scratch, offline)
image: setup
	@if command -v docker >/dev/null 2>&1; then scripts/build-image.sh $(SERVER_VERSION); \
	else echo "natsfault: no docker command: container tests will be skipped (they fail under CI=true)"; fi

## image-tool: build natsfault/tool:VERSION, the natsfault command with the nats-server binaries of
## SERVER_VERSION (a release build, offline, FROM scratch), for CI jobs without a Rust toolchain
image-tool: setup
	@scripts/build-tool-image.sh $(SERVER_VERSION)

build:
	$(CARGO) build --workspace --locked --features natsfault/cli

## run: play every scenario on the local-process backend and print the report
run: setup build
	$(NATSFAULT) run scenarios --server-version $(SERVER_VERSION)

## run-containers: the same on nats-server containers
run-containers: image build
	$(NATSFAULT) run scenarios --backend container --server-version $(SERVER_VERSION)

## clients: every scenario asserted per library, played by async-nats, nats-py, nats.go and nats.c;
## prints what each library reported side by side and writes clients.md
clients: setup build
	$(NATSFAULT) run scenarios --clients async-nats,nats-py,nats.go,nats.c --clients-report clients.md --server-version $(SERVER_VERSION)

## matrix: every scenario on every MATRIX_VERSIONS version (and Debian's 2.9.10 where installed);
## writes matrix.md for an upgrade review
matrix: setup build
	$(NATSFAULT) matrix scenarios --versions $(MATRIX_VERSIONS) --with-debian --markdown matrix.md

## test: the whole test suite (every scenario is a test on both backends, plus the harness's own tests)
test: setup image
	@scripts/fetch-nats-server.sh $(TEST_VERSIONS) $(BISECT_VERSIONS)
	$(CARGO) test --workspace --locked --no-fail-fast
	@# A team's crate that depends on natsfault by path, built as a user would (its own lock, offline).
	CARGO_TARGET_DIR=$(CURDIR)/target $(CARGO) test --manifest-path examples/team-service/Cargo.toml --locked --offline
	@# natsfault's default features stay a light dev-dependency.
	@scripts/count-crates.sh 220
	@# Every crate documents without a broken or private link, and packages.
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --all-features --no-deps --locked --quiet
	@for p in natsfault natsfault-natsconf natsfault-credentials natsfault-owner-only; do \
	  $(CARGO) package --list --allow-dirty --locked -p $$p >/dev/null 2>&1 || { echo "cargo package --list -p $$p failed"; exit 1; }; done

## bench: the harness against bare nats-server and docker, measured in one run: the floor, the
## overhead of each scenario phase, container start, suite wall time per backend and per --jobs;
## prints the ratios and writes bench.json
BENCH_RUNS ?= 5
bench: setup image build
	$(NATSFAULT) bench scenarios --runs $(BENCH_RUNS) --output bench.json --server-version $(SERVER_VERSION)

## soak: play the whole suite RUNS times on BACKEND (process or container) and report every
## scenario whose status ever differs, with counts and the failures seen (record in soak-BACKEND.json)
RUNS ?= 100
BACKEND ?= process
soak: setup build $(if $(filter container,$(BACKEND)),image)
	python3 scripts/soak.py --runs $(RUNS) --backend $(BACKEND) --natsfault $(NATSFAULT) -- --server-version $(SERVER_VERSION)

## fuzz: the scenario loader, then the creds parser, each on arbitrary and mutated text for
## FUZZ_SECONDS (default 600); set NATSFAULT_FUZZ_CASES to stop after that many cases instead
FUZZ_SECONDS ?= 600
fuzz:
	NATSFAULT_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CARGO) test --locked --test fuzz_loader -- --nocapture
	NATSFAULT_FUZZ_SECONDS=$(FUZZ_SECONDS) $(CARGO) test --locked --test fuzz_creds -- --nocapture

## lint: formatting, clippy and rustdoc (warnings are errors), and `cargo package --list` of each crate
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy -p natsfault --lib --locked -- -D warnings
	RUSTDOCFLAGS="-D warnings" $(CARGO) doc --workspace --all-features --no-deps --locked
	@for p in natsfault natsfault-natsconf natsfault-credentials natsfault-owner-only; do \
	  $(CARGO) package --list --allow-dirty --locked -p $$p >/dev/null || exit 1; done

fmt:
	$(CARGO) fmt --all

clean:
	$(CARGO) clean
	rm -rf .cache
