# calcml — the course's commands. Only python3, make and git are assumed: the first
# command bootstraps uv into .tools/ and the locked environment into .venv/.
UV_VERSION := 0.13.9
TOOLS      := .tools
UV         := $(shell command -v uv 2>/dev/null || echo $(TOOLS)/bin/uv)
VENV       := .venv
PY         := $(VENV)/bin/python
JOBS       ?= 2

.PHONY: help env book test lab notebooks lint bench test-latest clean binder

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(TOOLS)/bin/uv:
	python3 -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode  # kernels start faster from .pyc
	@touch $@

env: $(VENV)/.synced  ## create .venv/ from the lock file

book: env  ## execute every lesson and render the book into _build/html/
	$(VENV)/bin/calcml build --jobs $(JOBS)

test: env  ## the whole test suite: lint, package, checkers, lessons, book in Chromium
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -n $(JOBS) --dist loadgroup tests

lab: env  ## open JupyterLab on the lessons
	$(VENV)/bin/calcml lab

notebooks: env  ## regenerate the .ipynb files from their reviewed .md sources
	$(VENV)/bin/jupytext --update --to ipynb --update-metadata '{"jupytext":{"formats":"ipynb,md:myst"}}' notebooks/[0-9]*.md

lint: env  ## ruff (also part of make test)
	$(VENV)/bin/ruff check .

bench: env  ## speed figures (medians), see benchmarks/
	$(PY) benchmarks/run.py

test-latest: | $(UV)  ## the same suite against the newest releases (not the lock file)
	$(UV) venv --allow-existing .venv-latest
	VIRTUAL_ENV=.venv-latest $(UV) pip install --upgrade --resolution highest -e . --group dev
	.venv-latest/bin/ruff check .
	.venv-latest/bin/python -m pytest -n $(JOBS) --dist loadgroup tests

clean:  ## remove built files (keeps the environments)
	rm -rf _build test-artifacts .pytest_cache

binder: | $(UV)  ## re-export binder/requirements.txt from uv.lock (run after changing the lock)
	$(UV) export --locked --no-hashes --no-dev --no-emit-project --no-header --no-annotate -q > binder/requirements.txt
