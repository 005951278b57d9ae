# Cordon — the two commands a newcomer needs:
#   make run    install what is missing, build, simulate a demo world, serve it on 127.0.0.1:8080
#   make test   install what is missing, build with sanitizers, run every test
# and for developers: make bench, make fuzz, make clean. See README.md.

SHELL := /bin/bash
# CI (CI=true) builds the ci preset: debug with sanitizers, lightly optimised to keep the run short.
PRESET ?= $(if $(CI),ci,debug)
LISTEN ?= 127.0.0.1:8080
DB ?= var/cordon.db
WORLD ?= var/world
SEED ?= 42
SCALE ?= 1
FUZZ_SECONDS ?= 60
CORDON_RELEASE := build/release/cordon

.PHONY: run test build release bench fuzz deps clean help

help:
	@sed -n '1,6p' Makefile

deps:
	@scripts/install-deps.sh

release:
	@scripts/install-deps.sh --build-only
	@cmake --preset release > /dev/null
	@cmake --build --preset release --target cordon

# The demo world is generated once; the database is filled from it once. Delete var/ to start over.
run: release
	@if [ ! -f $(WORLD)/declarations.ndjson ]; then \
	  $(CORDON_RELEASE) simulate --out $(WORLD) --seed $(SEED) --scale $(SCALE); \
	fi
	@if [ ! -f var/.demo-imported ]; then \
	  $(CORDON_RELEASE) import declarations $(WORLD)/declarations.ndjson --db $(DB) && touch var/.demo-imported; \
	fi
	@echo "Open http://$(LISTEN)/ (API: http://$(LISTEN)/api/v1/declarations). Stop with Ctrl-C."
	@exec $(CORDON_RELEASE) serve --listen $(LISTEN) --db $(DB)

build:
	@scripts/install-deps.sh
	@cmake --preset $(PRESET) > /dev/null
	@cmake --build --preset $(PRESET)

test: build
	@ctest --preset $(PRESET)

bench:
	@scripts/install-deps.sh --bench
	@cmake --preset bench > /dev/null
	@cmake --build --preset bench
	@bench/run.sh

fuzz:
	@scripts/install-deps.sh --fuzz
	@cmake --preset fuzz > /dev/null
	@cmake --build --preset fuzz --target fuzz_all
	@FUZZ_SECONDS=$(FUZZ_SECONDS) scripts/run-fuzzers.sh build/fuzz/fuzz

clean:
	@rm -rf build
