# Both set-up commands build .venv from nothing but python3 (>= 3.11) and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-fast bench lint clean migration

$(STAMP): pyproject.toml frontend/package-lock.json
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev,polars]"
	bash scripts/build-frontend.sh
	touch $(STAMP)

$(VENV)/.bench-installed: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[bench]"
	touch $@

# Builds the demo workspace (./jamlik-workspace) and its report, then serves it at
# http://127.0.0.1:$(PORT); `make demo PORT=8010` when 8000 is taken.
PORT ?= 8000
demo: $(STAMP)
	$(BIN)/jamlik demo --port $(PORT)

test: $(STAMP)
	bash scripts/build-frontend.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-postgres.sh
	bash scripts/ensure-xmlsec.sh
	bash scripts/ensure-oidc-provider.sh
	$(BIN)/python -m pytest
	$(BIN)/python -m pytest --doctest-modules src/jamlik/measures

# The suite without the tests marked slow (simulations, full demo rebuilds through the CLI).
test-fast: $(STAMP)
	bash scripts/build-frontend.sh
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-postgres.sh
	$(BIN)/python -m pytest -m "not slow"
	$(BIN)/python -m pytest --doctest-modules src/jamlik/measures

bench: $(VENV)/.bench-installed
	$(BIN)/python benchmarks/run.py

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) jamlik-workspace

# After changing a table: autogenerate a migration, then read and commit it.
migration: $(STAMP)
	$(BIN)/python -m jamlik.migrate "$(m)"
