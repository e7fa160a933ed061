# The two commands of the README: `make run` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check
PORT ?= 5000
HOST ?= 127.0.0.1
WORKERS ?= 4
THREADS ?= 8
# TLS=1: HTTPS with a self-signed certificate for localhost (or ENROLLSIM_TLS_CERT/_KEY's).
TLS ?=
# PostgreSQL (ENROLLSIM_DATABASE_URL=postgresql+psycopg://...) needs the driver installed too.
DB_EXTRA := $(if $(findstring postgresql,$(ENROLLSIM_DATABASE_URL)),$(VENV)/.installed-postgres)
GUNICORN := ENROLLSIM_BIND=$(HOST):$(PORT) ENROLLSIM_THREADS=$(THREADS) ENROLLSIM_TLS=$(TLS) \
	$(VENV)/bin/gunicorn 'app:create_app()'
# The Graph SDK compatibility tests run when the extra is installed; CI installs it.
TEST_EXTRAS ?= test,graph-sdk
E2E_WORKERS ?= 2
# A failing browser test leaves its Playwright trace and a screenshot in test-results/<test>/.
E2E_ARTIFACTS ?= --tracing retain-on-failure --screenshot only-on-failure --output test-results

.PHONY: run serve dev test install install-test chromium test-unit test-e2e test-examples test-postgres lint \
	bench wrk clean migrate migration

$(PY):
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[$(TEST_EXTRAS)]'
	touch $@

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Serve the seeded demo on http://127.0.0.1:$(PORT) (gunicorn, one worker with threads)
run: install $(DB_EXTRA)
	ENROLLSIM_WORKERS=1 $(GUNICORN)

## Several worker processes on one database: make serve WORKERS=4 (PostgreSQL for a team)
serve: install $(DB_EXTRA)
	ENROLLSIM_WORKERS=$(WORKERS) $(GUNICORN)

## For people changing the code: Flask's development server, reloading on every change
dev: install $(DB_EXTRA)
	$(VENV)/bin/flask --app app run --debug --host $(HOST) --port $(PORT)

## Run every test: fast tests, then browser tests, then the example suite of the pytest plugin
test: install-test chromium
	$(MAKE) test-unit
	$(MAKE) test-e2e
	$(MAKE) test-examples

chromium: install-test
	$(PY) -m app.testing.chromium

test-unit: install-test
	$(PY) -m pytest tests -q -n 2 -p no:cacheprovider

test-e2e: install-test
	$(PY) -m pytest e2e -q -n $(E2E_WORKERS) -p no:cacheprovider $(E2E_ARTIFACTS)

test-examples: install-test
	$(PY) -m pytest examples -q -p no:cacheprovider

## The fast tests against PostgreSQL (not part of `make test`): set ENROLLSIM_TEST_DATABASE_URL to
## an existing database, e.g. postgresql+psycopg://enrollsim:secret@localhost/enrollsim_test; every
## test makes its own schema there and drops it afterwards.
test-postgres: install-test $(VENV)/.installed-postgres
	@test -n "$$ENROLLSIM_TEST_DATABASE_URL" || { echo "make test-postgres: set\
	 ENROLLSIM_TEST_DATABASE_URL=postgresql+psycopg://user:password@host/dbname" >&2; exit 2; }
	$(PY) -m pytest tests -q -n 2 -p no:cacheprovider

$(VENV)/.installed-postgres: pyproject.toml $(VENV)/.installed
	$(PIP) install -q -e '.[postgres]'
	touch $@

## wrk drives the throughput benchmark: Debian's package when missing (as root, else it says how)
wrk:
	@command -v wrk >/dev/null || { if [ "$$(id -u)" = 0 ]; then apt-get install -y -q wrk \
	 || { apt-get update -q && apt-get install -y -q wrk; }; else echo "make bench: wrk is missing;\
	 install it (sudo apt-get install wrk) or the throughput figures say skipped" >&2; fi; }

## Migrate the database (ENROLLSIM_DATABASE_URL, else instance/enrollsim.sqlite) to the newest
## revision; the server also does it at start, behind a database lock.
migrate: install
	$(VENV)/bin/flask --app app db upgrade

## After changing a model: write its revision (Alembic autogenerate) into migrations/versions/,
## e.g. make migration MESSAGE="Add devices.last_check_in"; read it, then commit it with the model.
migration: install-test
	@test -n "$(MESSAGE)" || { echo 'make migration: say what changes, MESSAGE="..."' >&2; exit 2; }
	ENROLLSIM_MIGRATE_ON_START=0 $(VENV)/bin/flask --app app db revision -m "$(MESSAGE)"

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

## Figures of the test client (python -m bench), then the HTTP load benchmark (bench/load.py) and
## the HTTP throughput of the Graph list against a bare route (bench/throughput.py; needs wrk)
bench: install-test wrk
	$(PY) -m bench
	$(PY) -m bench scale
	$(PY) -m bench load
	$(PY) -m bench http

clean:
	rm -rf $(VENV) instance .pytest_cache
