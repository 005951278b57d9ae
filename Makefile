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

DEMO_USER ?= demo
DEMO_PASSWORD ?= cordon-demo-2026
DEMO_ROLES := risk_analyst targeting_officer supervision_officer patrol_officer intelligence_full \
              national_contact_point administrator
# The demo's supervised journeys are replayed, once, over eSeal TCP and OsmAnd HTTP by a machine
# account while the server runs (in the background, at REPLAY_SPEED simulated seconds per second;
# its progress goes to var/replay.log), so the console's map shows trucks moving and alarms coming.
ESEAL_PORT ?= 5010
OSMAND_PORT ?= 5055
REPLAY_SPEED ?= 60

# The console is rebuilt when its sources change.
web/dist/index.html: $(shell find web/src web/index.html web/package.json web/vite.config.ts -type f 2>/dev/null)
	@cd web && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build

# The demo world is generated once; the database is filled from it once. Delete var/ to start over.
# A world written before the supervised journeys existed is written again: the same seed gives
# the same declarations (already imported) and adds the journeys.
run: release web/dist/index.html
	@if [ ! -f $(WORLD)/declarations.ndjson ] || [ ! -f $(WORLD)/journeys.ndjson ]; then \
	  $(CORDON_RELEASE) simulate --out $(WORLD) --seed $(SEED) --scale $(SCALE); \
	fi
	@if [ ! -f var/.demo-imported ]; then \
	  $(CORDON_RELEASE) lists import $(WORLD)/watchlist.ndjson --format cordon-ndjson --list SIM-NATIONAL --db $(DB) && \
	  $(CORDON_RELEASE) import declarations $(WORLD)/declarations.ndjson --db $(DB) && touch var/.demo-imported; \
	fi
	@$(CORDON_RELEASE) admin create --if-missing --db $(DB) --username $(DEMO_USER) --password $(DEMO_PASSWORD) \
	  --display-name "Demo Officer" $(foreach r,$(DEMO_ROLES),--role $(r)) > /dev/null
	@$(CORDON_RELEASE) admin create --if-missing --db $(DB) --username demo-devices --password-stdin \
	  --display-name "Demo devices (replay)" --role supervision_officer --role submitter --role monitoring \
	  < <(head -c 24 /dev/urandom | base64) > /dev/null
	@echo
	@echo "  Cordon console: http://$(LISTEN)/"
	@echo "  Sign in as '$(DEMO_USER)' with password '$(DEMO_PASSWORD)' (a demonstration account with every officer role)."
	@if [ ! -f var/.demo-replayed ]; then \
	  echo "  Supervised journeys are replayed at x$(REPLAY_SPEED) in the background (var/replay.log)."; fi
	@echo "  Stop with Ctrl-C."
	@echo
	@if [ ! -f var/.demo-replayed ]; then \
	  token=$$($(CORDON_RELEASE) admin token --db $(DB) --username demo-devices --name "make run replay") && touch var/.demo-replayed && \
	  ( sleep 2; exec $(CORDON_RELEASE) simulate replay --world $(WORLD) --to $(LISTEN) --token "$$token" \
	      --eseal 127.0.0.1:$(ESEAL_PORT) --osmand 127.0.0.1:$(OSMAND_PORT) --speed $(REPLAY_SPEED) > var/replay.log 2>&1 & ); \
	fi
	@exec $(CORDON_RELEASE) serve --listen $(LISTEN) --db $(DB) --web-root web/dist \
	  --telemetry-tcp eseal=$(ESEAL_PORT) --osmand-port $(OSMAND_PORT)

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
