# Shoppable: `make demo` builds and serves the demo; `make test` runs every test.
# Both install what they need first (skipping what is there) and are safe to repeat.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PORT ?= 8080
# Must equal the `wasm-bindgen` pin ("=…") in Cargo.toml.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = .*"=\([0-9.]*\)".*/\1/p' Cargo.toml)
WASM_TARGET := wasm32-unknown-unknown
WASM_OUT := target/$(WASM_TARGET)/release/shoppable.wasm
CARGO_BIN := $(or $(CARGO_HOME),$(HOME)/.cargo)/bin
export PATH := $(CARGO_BIN):$(PATH)
export CHROMEDRIVER := /usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT := 120
# `--converge` repeats -Oz until it stops shrinking (−0.4 KB brotli, +5 s). `--low-memory-unused`
# lets wasm-opt fold constant offsets into loads and stores: Rust's wasm32 layout puts the 1 MiB
# stack first, growing down towards address 0, and the data above it, so addresses below 1024
# are only reached by a stack nearly 1 MiB deep; the widget's deepest recursion is the JSON
# reader's, capped at 64 levels (−0.4 KB).
WASM_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
	--enable-mutable-globals --enable-reference-types --enable-multivalue
# `--always-inline-max-function-size=6` (binaryen's default is 2) inlines the smallest
# functions everywhere: 630 → 561 functions for +9 B brotli (noise: 3 gives −16 B, 4 +102 B,
# 8 +642 B). Chrome compiles wasm lazily, one function at its first call, and most of that
# cost is per function: a cold start compiled 233 functions instead of 277 (traced), and
# instantiation → first tag was 1.5 ms faster in four interleaved runs of 60 cold loads
# (medians 21.5/22.1/23.2/21.8 against 23.3/21.9/24.9/24.6 ms).
WASM_OPT_FLAGS := -Oz --converge --low-memory-unused --always-inline-max-function-size=6 \
	$(WASM_FEATURES)
TERSER_FLAGS := --ecma 2020 --compress passes=3,unsafe_arrows=true --mangle --comments false

.PHONY: demo test build size size-check size-core bench tools lint unit browser-test e2e clean

demo: build
	cargo build --release -p checkout-server
	target/release/checkout-server --addr 127.0.0.1:$(PORT) --www www --dist dist --db target/demo-orders.sqlite

test: tools lint types unit browser-test build size-check e2e

build: tools
	cargo build --release --lib --target $(WASM_TARGET) --no-default-features
	rm -rf dist && mkdir -p dist
	@# Names kept for scripts/stub-dead.mjs, which finds functions that can never run by name;
	@# wasm-opt strips them.
	wasm-bindgen $(WASM_OUT) --target web --no-typescript --keep-debug --out-dir dist --out-name shoppable-core
	node scripts/stub-dead.mjs dist/shoppable-core_bg.wasm
	@# Short import/export names in the wasm, and the glue rewritten to match (see the script);
	@# the producers and target-features sections only serve tools (−111 B brotli).
	node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) --strip-debug --strip-producers --strip-target-features \
		dist/shoppable-core_bg.wasm -o dist/shoppable-core_bg.wasm
	@# A run of its own: `--converge` would repeat the renaming and print a second name map.
	node_modules/.bin/wasm-opt $(WASM_FEATURES) --minify-imports-and-exports-and-modules \
		dist/shoppable-core_bg.wasm -o dist/shoppable-core_bg.wasm > target/wasm-names.json
	node scripts/minify-names.mjs dist/shoppable-core.js dist/shoppable-core_bg.wasm target/wasm-names.json
	@# Shipped JS is minified (terser); the sources stay plain, commented and runnable.
	@# `unsafe_arrows` turns function expressions that use no `this` or `arguments` into
	@# arrows; unsafe only for a function something `new`s, and neither file does that to
	@# one (the loader −10 B brotli, the glue's import shims −42 B).
	node_modules/.bin/terser www/shoppable.js $(TERSER_FLAGS) -o dist/shoppable.js
	node_modules/.bin/terser dist/shoppable-core.js --module $(TERSER_FLAGS) -o dist/shoppable-core.min.js
	mv dist/shoppable-core.min.js dist/shoppable-core.js
	@# The wasm's functions grouped by type and number of locals, smallest first, and the
	@# glue's import shims by shape: orders brotli compresses better (−0.8 KB).
	node scripts/order-functions.mjs dist/shoppable-core_bg.wasm dist/shoppable-core.js
	cp www/shoppable.d.ts dist/
	@# Every UI language but English, as packs the loader fetches (src/core/i18n.rs).
	cargo run -q --example lang_packs -- dist/i18n
	@node scripts/size.mjs

size:
	@node scripts/size.mjs

# An experiment, not a test: the pure core alone, built like the widget (bench/core-only).
size-core: tools build
	CARGO_TARGET_DIR=target/core-only-build cargo build --release --target $(WASM_TARGET) \
		--manifest-path bench/core-only/Cargo.toml
	rm -rf target/core-only
	wasm-bindgen target/core-only-build/$(WASM_TARGET)/release/shoppable_core_only.wasm \
		--target web --no-typescript --out-dir target/core-only --out-name core
	node_modules/.bin/wasm-opt $(WASM_OPT_FLAGS) --strip-producers --strip-target-features \
		target/core-only/core_bg.wasm -o target/core-only/core_bg.wasm
	node_modules/.bin/terser target/core-only/core.js --module --compress --mangle --comments false \
		-o target/core-only/core.js
	@node bench/core-only/size.mjs

# Fails when the loader or a one-post page goes over budget (see scripts/size.mjs).
size-check: build
	node scripts/size.mjs --check

lint: tools
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo clippy --lib --tests --target $(WASM_TARGET) -- -D warnings
	cargo clippy --lib --target $(WASM_TARGET) --no-default-features -- -D warnings

# The shipped TypeScript declarations, checked against a brand's usage (tests/types).
types: tools
	node_modules/.bin/tsc -p tests/types/tsconfig.json

unit:
	cargo test --workspace

browser-test: tools
	CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
		cargo test --target $(WASM_TARGET) --test browser

e2e: build
	cargo build --release -p checkout-server
	node --test --test-concurrency=1 tests/e2e/ tests/scripts/

bench: build
	cargo build --release -p checkout-server
	node bench/run.mjs

# ---- setup: each step is skipped when its result is already there ----------------------
tools: .tools/rust-target .tools/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json .tools/chromium

.tools/rust-target:
	@mkdir -p .tools
	rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@touch $@

.tools/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p .tools
	@if wasm-bindgen --version 2>/dev/null | grep -q " $(WASM_BINDGEN_VERSION)$$"; then \
		echo "wasm-bindgen $(WASM_BINDGEN_VERSION) found"; \
	else \
		echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (about 3 minutes)"; \
		cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

.tools/chromium:
	@mkdir -p .tools
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then \
		echo "chromium found"; \
	else \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver; \
	fi
	@touch $@

clean:
	rm -rf dist .tools target/e2e-screenshots
