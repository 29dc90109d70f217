# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip
CLI    := $(VENV)/bin/mission-assistant
export HF_HUB_OFFLINE ?= 1
export TOKENIZERS_PARALLELISM ?= false

.PHONY: run test install install-dev index eval eval-beir bench browser oidc clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: 2.13.0 is a CPU build available locally; anything else pulls gigabytes.
$(VENV)/.installed: $(VENV)/bin/activate pyproject.toml
	$(PIP) install -q --upgrade pip
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed
	$(PIP) install -q -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Incremental: re-embeds only new or changed documents, so this is quick when nothing changed.
index: install
	$(CLI) ingest --prune

run: index
	$(CLI) ui

browser:
	./scripts/install-browser.sh

# A real OpenID Connect provider for the sign-in tests (needs Python >= 3.12: its own venv).
oidc:
	./scripts/install-oidc-provider.sh

test: install-dev browser oidc
	$(PY) -m pytest

eval: index
	$(CLI) eval

eval-beir: install
	$(CLI) eval beir ../shared/data/beir-scifact --split test

bench: index
	$(PY) -m evals.bench

clean:
	rm -rf .index
