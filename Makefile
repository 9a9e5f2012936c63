# The portal in two commands: `make run` serves it, `make test` tests it.
# Both create .venv, install the pinned dependencies, and use the embedded PostgreSQL in .devdb/
# unless DATABASE_URL points at another server.

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
# Python 3.12 or newer: the first one found on PATH, then pyenv's.
PYTHON ?= $(shell for p in python3.12 python3.13 python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install db migrate demo lint format messages bench bench-load backup restore stop-db clean

$(VENV)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed; install it and run make again." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed

db: install
	@if [ -z "$$DATABASE_URL" ]; then $(PY) -m config.devdb start; fi

migrate: db
	$(PY) manage.py migrate --no-input
	$(PY) manage.py createcachetable

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: db
	$(PY) -m pytest -n 2 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Needs GNU gettext (apt-get install gettext). The compiled .mo files are committed.
messages: install
	$(PY) manage.py makemessages --locale fi --locale en --ignore '.venv/*' --ignore 'staticfiles/*' --no-obsolete
	$(PY) manage.py compilemessages --ignore '.venv/*'

# The benchmark runs against its own database, filled once by seed_scale: portal_bench for the
# small preset, portal_national for PRESET=national (portal_<preset> for any other).
PRESET ?= small
BENCH_DB ?= $(if $(filter small,$(PRESET)),portal_bench,portal_$(PRESET))
BENCH_ENV := PORTAL_DB_NAME=$(BENCH_DB)
bench: db
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v0
	$(BENCH_ENV) $(PY) manage.py createcachetable
	$(BENCH_ENV) $(PY) manage.py seed_scale --preset $(PRESET) --if-empty
	$(BENCH_ENV) $(PY) manage.py bench --output bench-results-$(PRESET).json

# Throughput: gunicorn (2 sync workers) on 127.0.0.1 under a fixed-time load (wrk if installed,
# else a built-in generator); prints req/s, p99 and errors for the event list, search and feed.
LOAD_SECONDS ?= 15
bench-load: db
	$(BENCH_ENV) $(PY) manage.py migrate --no-input -v0
	$(BENCH_ENV) $(PY) manage.py createcachetable
	$(BENCH_ENV) $(PY) manage.py seed_scale --preset $(PRESET) --if-empty
	$(BENCH_ENV) $(PY) -m config.benchmark_load --seconds $(LOAD_SECONDS) --output bench-load-results-$(PRESET).json

# A pg_dump of the whole database into backups/, and back (asks before replacing data).
backup: db
	$(PY) manage.py backup

restore: db
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/portal-....dump" >&2; exit 1; }
	$(PY) manage.py restore "$(FILE)"

stop-db: install
	$(PY) -m config.devdb stop

clean: stop-db
	rm -rf .devdb staticfiles
