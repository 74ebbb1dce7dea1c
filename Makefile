# Two commands do everything on a fresh Debian machine (see README):
#   make run    set up, then serve the proofreader on http://127.0.0.1:8000
#   make test   set up, then run the whole test suite (.ci/run calls exactly this)
# While changing code, `make test-fast` runs the fast tier (no model, server process or browser).
# Every step leaves a stamp file, so a second run skips what is already done.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
CONTENT_SCRIPT := extension/src/content/content-script.js
# llama-cpp-python compiles from source with explicit, portable flags (never -march=native: it crashed on
# AMX machines), once per digest of the flags in backend/llama_builds.py, into ~/.cache/email-proofreader/wheels.
LLAMA_KEY := $(shell $(PYTHON) -m backend.llama_builds digest)

.PHONY: run web test test-fast test-python test-extension setup setup-test package clean

run: setup
	@echo ""
	@echo "Proofreader backend: http://127.0.0.1:8000  (API docs: http://127.0.0.1:8000/docs)"
	@echo "Browser extension:   chrome://extensions -> Developer mode -> Load unpacked -> $(CURDIR)/extension"
	@echo "                     (Firefox: about:debugging -> This Firefox -> Load Temporary Add-on -> extension/manifest.json)"
	@echo "Web app (Space UI):  in another terminal, 'make web', then open http://127.0.0.1:7860"
	@echo ""
	$(PY) -m backend serve

web: setup
	$(PY) space/app.py

setup: $(VENV)/.stamp-serve $(VENV)/.stamp-model $(CONTENT_SCRIPT)

# The extension's content script is one classic script bundled from its ES modules (no dependencies).
$(CONTENT_SCRIPT): $(filter-out $(CONTENT_SCRIPT),$(wildcard extension/src/*.js extension/src/content/*.js extension/src/content/adapters/*.js))
	node extension/scripts/bundle-content.mjs

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.stamp-serve: requirements.txt requirements-nodeps.txt | $(VENV)/bin/python
	$(PIP) install -r requirements.txt
	$(PIP) install --no-deps -r requirements-nodeps.txt
	touch $@

# One stamp per build digest: changed flags reinstall over whatever build the venv had.
$(VENV)/.stamp-llama-$(LLAMA_KEY): $(VENV)/.stamp-serve
	$(PY) -m backend.llama_builds install
	rm -f $(VENV)/.stamp-llama-* && touch $@

$(VENV)/.stamp-model: $(VENV)/.stamp-llama-$(LLAMA_KEY)
	$(PY) -m backend prepare
	touch $@

$(VENV)/.stamp-test: requirements-dev.txt training/requirements.txt $(VENV)/.stamp-llama-$(LLAMA_KEY)
	$(PIP) install -r requirements-dev.txt -r training/requirements.txt
	touch $@

# Debian's browsers for the extension tests (never `playwright install`: no downloads here).
$(VENV)/.stamp-browsers:
	@if ! command -v chromium >/dev/null || ! command -v firefox-esr >/dev/null; then \
		apt-get update && apt-get install -y chromium firefox-esr fonts-noto-color-emoji; fi
	touch $@

# Debian's qemu-user: the encoder test runs the scorer's encoder on an emulated AVX2-only CPU as well.
$(VENV)/.stamp-emulator:
	@command -v qemu-x86_64 >/dev/null || (apt-get update && apt-get install -y qemu-user)
	touch $@

extension/node_modules/.package-lock.json: extension/package.json extension/package-lock.json
	npm ci --prefix extension --no-audit --no-fund

# harper.js: the rule-based checker the model is compared against (training/baselines/).
training/baselines/harper/node_modules/.package-lock.json: training/baselines/harper/package.json training/baselines/harper/package-lock.json
	npm ci --prefix training/baselines/harper --no-audit --no-fund

setup-test: setup $(VENV)/.stamp-test $(VENV)/.stamp-browsers $(VENV)/.stamp-emulator extension/node_modules/.package-lock.json \
	training/baselines/harper/node_modules/.package-lock.json

test: setup-test test-extension test-python

test-extension:
	cd extension && npm test && npm run lint

test-python:
	$(PY) -m pytest

# The HTTP contract on a fake core, the pure logic and the extension's unit tests: under a minute.
test-fast: setup-test
	$(PY) -m pytest -m fast -q
	cd extension && npm test

package: extension/node_modules/.package-lock.json
	cd extension && npm run package

clean:
	rm -rf $(VENV) extension/node_modules training/baselines/harper/node_modules dist test-artifacts
