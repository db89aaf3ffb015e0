# navpanel: `make run` for the demo, `make test` for the whole suite. Both set up what they need.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= python3
PG_START := pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start
REDIS_START := redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log

.PHONY: audit run test test-scale setup setup-dev assets lint browser office services messages demo clean bench bench-data setup-bench prod

run: setup assets
	@mkdir -p var/mail
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "navpanel runs at http://127.0.0.1:8000/  (mail: var/mail/, Ctrl-C stops web, worker and beat)"
	@echo ""
	DEBUG=1 PATH=$(CURDIR)/$(VENV)/bin:$$PATH $(VENV)/bin/honcho -f Procfile.dev start

# The production topology on this machine (README, "Production"): production settings, the
# migration job, two web instances behind a TLS proxy, two workers, two beats (one acts), each
# with its own directory under /tmp/navpanel-prod and the project tree read-only. Ctrl-C stops.
prod: setup-dev assets services
	$(PY) -m ops.prod

test: setup-dev assets browser office services lint audit
	$(VENV)/bin/pytest -n 2 --dist loadgroup -m "not scale"

# The NAV-scale tests (a 50,000-line pool import through the worker): longer than make test's budget.
test-scale: setup-dev assets browser office services
	$(VENV)/bin/pytest -m scale

setup: $(VENV)/.runtime

setup-dev: $(VENV)/.dev

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements-dev.txt
	touch $(VENV)/.runtime $@

assets: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

lint: setup-dev
	@mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/hadolint --config .hadolint.yaml Dockerfile
	$(PY) -m ops.aksel_classes

# Debian's chromium for Playwright (its own browser download cannot work here).
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# Debian's LibreOffice Calc without a desktop, so the export tests open our CSV files as a
# Norwegian spreadsheet would (tests/rosters/test_spreadsheet_cells.py).
office:
	@command -v soffice >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libreoffice-calc-nogui; }

# PostgreSQL and Redis on this machine: start them when they are installed but stopped.
services:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { $(PG_START) && sleep 2; }
	@pg_isready -h 127.0.0.1 -p 5432
	@redis-cli -h 127.0.0.1 ping >/dev/null 2>&1 || $(REDIS_START)
	@redis-cli -h 127.0.0.1 ping

messages: setup-dev
	$(PY) manage.py makemessages -l nb -l nn -l en --ignore=.venv --ignore=node_modules --ignore=bench
	$(PY) manage.py compilemessages --ignore=.venv

demo: setup
	$(PY) manage.py seed_demo

# Benchmarks (bench/README.md): `make bench-data` seeds the NAV-sized datasets (np_bench_25,
# np_bench_250) when missing; `make bench` runs every benchmark and rewrites bench/RESULTS.md.
BENCH_SIZES ?= 25,250

bench-data: setup-bench assets services
	$(PY) -m bench.run --seed-only --sizes $(BENCH_SIZES)

bench: setup-bench assets services
	@command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(PY) -m bench.run --sizes $(BENCH_SIZES)

setup-bench: $(VENV)/.bench

$(VENV)/.bench: requirements.txt requirements-bench.txt | $(VENV)/bin/python
	$(VENV)/bin/pip install -q -r requirements-bench.txt
	touch $@

clean:
	rm -rf var staticfiles

# Known vulnerabilities in what is pinned, and bandit on the apps. pip-audit and npm audit ask
# an online vulnerability service; where it does not answer (docs/decisions.md) they say
# SKIPPED plainly, and any vulnerability they do report fails the build. bandit runs offline.
# While they say SKIPPED, the pins are checked by hand against the advisory databases: the
# dated record, package by package, is in docs/security.md; redo it when a pin changes.
APPS := accounts audit interviews navpanel outbox panels $(wildcard rosters reports)
audit: setup-dev assets
	@out=$$($(VENV)/bin/pip-audit --progress-spinner off 2>&1); rc=$$?; \
	if [ $$rc -ne 0 ]; then echo "$$out"; exit 1; \
	elif echo "$$out" | grep -q "could not be audited"; then \
	  echo "pip-audit: SKIPPED - PyPI's vulnerability API does not answer here (see docs/decisions.md; checked by hand: docs/security.md)"; \
	else echo "pip-audit: no known vulnerabilities"; fi
	@out=$$(npm audit --audit-level=low 2>&1); rc=$$?; \
	if [ $$rc -eq 0 ]; then echo "npm audit: no known vulnerabilities"; \
	elif echo "$$out" | grep -q "audit endpoint returned an error"; then \
	  echo "npm audit: SKIPPED - the npm registry's audit endpoint does not answer here (see docs/decisions.md; checked by hand: docs/security.md)"; \
	else echo "$$out"; exit 1; fi
	$(VENV)/bin/bandit -q -r $(APPS) -x '*/migrations/*'
