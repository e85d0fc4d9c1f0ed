# Silta: `make demo` and `make test` are all a newcomer needs.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
BIN := $(VENV)/bin
DEMO_ENV := SILTA_DEMO_SKIP_TOTP=true
DEMO_ADDRESS ?= 127.0.0.1:8000

.PHONY: demo test install system-deps messages migrate lint layers typecheck pytest bench chromium clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x "$(PYTHON)" || { echo "Python 3.11 is required"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

# The local OpenID provider (devidp/: panva's oidc-provider) for the demo and the tests.
devidp/node_modules/.installed: devidp/package.json devidp/package-lock.json
	cd devidp && npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: system-deps $(VENV)/.installed devidp/node_modules/.installed

# gettext's msgfmt compiles the translations; Node.js and npm run the local OpenID
# provider; both installed from Debian's packages if missing.
system-deps:
	@command -v msgfmt >/dev/null || { \
	  echo "Installing gettext..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq gettext; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq gettext; fi; }
	@command -v npm >/dev/null || { \
	  echo "Installing Node.js..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq nodejs npm; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq nodejs npm; fi; }

# Debian's Chromium for the browser tests (never a downloaded browser build).
chromium:
	@command -v chromium >/dev/null || { \
	  echo "Installing Chromium..."; \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; fi; }

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --verbosity 0

migrate: install messages
	$(DEMO_ENV) $(PY) manage.py migrate --noinput

# The web server and the background worker (manage.py worker) together; one Ctrl-C stops both.
demo: migrate
	$(DEMO_ENV) $(PY) manage.py demo_seed
	@$(DEMO_ENV) $(PY) manage.py demo_logins --address $(DEMO_ADDRESS)
	$(DEMO_ENV) $(PY) manage.py demo_run --address $(DEMO_ADDRESS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

# The apps' layers (.importlinter): an app imports only the apps below it.
layers: install
	PYTHONPATH=src $(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy src

# Two processes (pytest-xdist) on the two cores. Tests go out in pytest-django's order, so in
# each process the tests that empty the database (live server, transaction=True) come last,
# after every test that reads the data the migrations load. PYTEST_WORKERS=0: one process.
PYTEST_WORKERS ?= 2
pytest: install messages chromium
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist load

test: lint layers typecheck pytest

bench: install messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var

# Mutation testing of the rule modules (not part of `make test`; see docs/mutation.md).
# `make mutation MODULES="roles hours"` runs some of them.
.PHONY: mutation
mutation: install messages
	$(PY) mutation/run.py $(MODULES)

# Load test (issue 10): gunicorn with production settings on 127.0.0.1 and a PostgreSQL
# database it creates and drops, under locust's API mix; bounded (LOAD_USERS=50,
# LOAD_SECONDS=60), stops by itself, prints throughput and percentiles.
.PHONY: load
load: install messages
	$(PY) load/run.py
