# Provide — the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PRICING_SOURCES := hatch_build.py $(wildcard src/provide/core/planning/labelling.[ch] src/provide/core/planning/_labelling_build.py)
STAMP := $(VENV)/.installed-$(shell cat requirements/lock.txt pyproject.toml $(PRICING_SOURCES) | cksum | cut -d' ' -f1)
POSTGRES_URL ?= postgresql://postgres@127.0.0.1:5432/provide
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SYSTEM_PACKAGES := chromium poppler-utils libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation gcc
RUN_ENV := DJANGO_SECRET_KEY_FILE=var/secret_key PROVIDE_INSECURE_COOKIES=true
# Keep compiled bytecode in var/pycache (tests start many Python processes; without it each one
# recompiles Django, pandas and OR-Tools, several seconds a time on a busy machine).
export PYTHONPYCACHEPREFIX := $(CURDIR)/var/pycache
unexport PYTHONDONTWRITEBYTECODE

.PHONY: run test install system-deps lint test-sqlite test-postgres test-browser benchmarks clean

$(STAMP): pyproject.toml requirements/lock.txt $(PRICING_SOURCES)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(BIN)/uv pip sync --quiet --python $(BIN)/python requirements/lock.txt
	$(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Debian packages: Chromium for browser tests, Pango for PDF reports, poppler to check PDFs,
# gcc to build the planner's compiled pricing at install (hatch_build.py; it also needs the
# Python headers, which a pyenv-built Python has; Debian's own Python needs python3-dev).
# Without them the planner prices in Python, slower, and `provide check` warns (W003).
system-deps:
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing >/dev/null; \
	fi

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > var/secret_key
	chmod 600 var/secret_key

run: install var/secret_key
	mkdir -p var/static
	$(RUN_ENV) $(BIN)/provide migrate --no-input -v0
	$(RUN_ENV) $(BIN)/provide demo-data --if-empty
	@cat var/demo-sign-in.txt
	$(RUN_ENV) $(BIN)/provide runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: install
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -m "not browser" -q

test-postgres: install
	@if [ "$$CI" = "true" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null || $(BIN)/python -c "import psycopg; psycopg.connect('$(POSTGRES_URL)'.rsplit('/',1)[0] + '/postgres').close()" 2>/dev/null; then \
	  DATABASE_URL=$${DATABASE_URL:-$(POSTGRES_URL)} $(BIN)/pytest -m "not browser" -q; \
	else \
	  echo "PostgreSQL is not reachable at 127.0.0.1:5432: the PostgreSQL run is SKIPPED (it is never skipped when CI=true)"; \
	fi

test-browser: install system-deps
	DATABASE_URL=sqlite:///var/test.sqlite3 $(BIN)/pytest -m browser -q

test: system-deps install lint test-sqlite test-postgres test-browser

benchmarks: install
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) var/static var/test*.sqlite3
