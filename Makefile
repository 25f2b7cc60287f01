# Lockstep: `make demo` runs the portal with demo data, `make test` runs every test, `make bench`
# times pages and jobs on a large data set (docs/performance.md). Each sets up what it needs
# (virtualenv, packages, browser) from a fresh clone.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum < pyproject.toml | cut -d' ' -f1)
# Tests run in parallel (pytest-xdist), one worker more than there are cores, up to four (a
# browser journey's worker mostly waits for Chromium: with one per core, a run on two cores
# kept them 60 % busy): each worker has its own test database and Redis database.
# TEST_WORKERS=0 runs them in this one process. Each
# worker starts with a run of tests in the suite's order (worksteal), so a module's shared
# world is built once, not on every worker, and an idle worker takes half of a busy one's rest.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); echo $$(( n >= 4 ? 4 : n + 1 )))

# The benchmark's data set (seed_scale's tiny, small or large, or the demo) and rounds.
SIZE ?= large
ROUNDS ?= 30
WARMUP ?= 5

.PHONY: demo test bench load setup browser lint clean

demo: setup
	$(PY) manage.py demo

test: setup browser
	$(PY) -m ruff check .
	$(PY) manage.py makemigrations --check --dry-run
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -n $(TEST_WORKERS) --dist worksteal

# Its own database (lockstep_bench, or lockstep_bench_<size>) on the server of DATABASE_URL, or
# on the embedded one when it is unset; BENCH_DATABASE_URL names another. Builds the set there
# once, then gunicorn as in production; the report goes to var/bench/ (latest.md).
bench: setup
	$(PY) manage.py bench --size $(SIZE) --rounds $(ROUNDS) --warmup $(WARMUP)

# Locust through gunicorn and a Celery worker on 127.0.0.1, USERS at a time (each run
# DURATION seconds long), on a copy of the benchmark's database; the report goes to var/load/ (latest.md).
USERS ?= 50,200
DURATION ?= 120
load: setup
	$(PY) manage.py loadtest --size $(SIZE) --users $(USERS) --seconds $(DURATION)

setup: $(STAMP)

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		(echo "Lockstep needs Python 3.11 or newer"; exit 1)
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	rm -f $(VENV)/.installed-* && touch $@

# Browser tests drive Debian's Chromium; install it when missing and we may (root).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
		else \
			echo "Browser tests need /usr/bin/chromium: run 'sudo apt-get install chromium'"; exit 1; \
		fi; \
	fi

lint: setup
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) var staticfiles
