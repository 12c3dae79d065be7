# Cửa Số: `make run` starts the app on an embedded database; `make test` runs every test.
SHELL := /bin/bash
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
export TRUNK_SKIP_VERSION_CHECK := true

DB ?= data/cuaso.db
LISTEN ?= 127.0.0.1:8080
WASM_RUNNER := CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner CHROMEDRIVER=/usr/bin/chromedriver

.PHONY: setup build app server run dev test test-native test-wasm test-budget test-e2e test-fuzz test-crash test-pg test-dated test-dates bench fuzz crash screenshots clean

setup:
	@bash scripts/setup.sh

app:
	trunk build --release
	bash scripts/precompress.sh dist

server:
	cargo build --profile server -p cuaso-server

build: setup app server

## Builds the app in release and serves it with the API on http://$(LISTEN)
run: build
	./target/server/cuaso-server --db $(DB) --dist dist --listen $(LISTEN)

## Live-reload loop: the API on :8080, trunk serve on :8081 proxying /api to it.
dev: setup server
	./target/server/cuaso-server --db $(DB) --dist dist --listen 127.0.0.1:8080 & pid=$$!; \
	trap "kill $$pid" EXIT; trunk serve --dist target/trunk-dev

## The date the date-sensitive suites run at in `make test`, with the machine's clock moved there
## (libfaketime): a test that takes a date from the machine fails. `make test-dates` runs three.
TEST_DATE ?= 2030-12-30

## Every test: native (domain + server, property tests included), wasm in Chromium, byte budget,
## the native suite again and Playwright e2e + axe with the machine's clock at TEST_DATE, bounded
## API fuzzing (schemathesis), bounded crash test, and the server's suite again on a real
## PostgreSQL on loopback.
test: build test-native test-wasm test-budget test-dated test-fuzz test-crash test-pg
	@echo "make test: all suites passed"

test-native:
	cargo test -p cuaso-domain -p cuaso-server -p cuaso-qr

test-wasm:
	$(WASM_RUNNER) cargo test --target wasm32-unknown-unknown -p cuaso --test components
	$(WASM_RUNNER) cargo test --target wasm32-unknown-unknown -p cuaso-qr --test worker

test-budget:
	node --test tests/budget.test.mjs

test-e2e:
	playwright test -c tests/e2e/playwright.config.mjs

## Bounded runs of the longer checks below, for CI.
test-fuzz:
	bash scripts/fuzz-api.sh

test-crash:
	bash scripts/crash-test.sh

test-pg:
	bash scripts/pg.sh test

## The date-sensitive suites (native, e2e) with the machine's clock at TEST_DATE.
test-dated:
	bash scripts/test-dates.sh $(TEST_DATE)

## The same at the real today, 2027-06-30 and 2030-12-30; DATES="2031-01-02 …" for others.
test-dates: build
	bash scripts/test-dates.sh $(DATES)

## Figures, not pass/fail: page journeys on an emulated Slow 4G phone (4x CPU), then the load test.
bench: build
	node scripts/bench.mjs
	node scripts/load.mjs

## Longer fuzzing: more schemathesis cases, more property-test cases.
fuzz: build
	bash scripts/fuzz-api.sh --long
	PROPTEST_CASES=20000 cargo test --release -p cuaso-domain --test props

## The full crash test: 200 concurrent submissions, SIGKILL, restart, check.
crash: server
	bash scripts/crash-test.sh --full

screenshots:
	@mkdir -p target/screenshots
	for p in / /services /services/1.001193 /khong-co; do \
	  n=$$(echo $$p | tr '/.' '__'); \
	  node scripts/screenshot.mjs "http://$(LISTEN)$$p" "target/screenshots/vi$$n.png" vi; \
	  node scripts/screenshot.mjs "http://$(LISTEN)$$p" "target/screenshots/en$$n.png" en; \
	done

clean:
	rm -rf dist target/screenshots test-results
