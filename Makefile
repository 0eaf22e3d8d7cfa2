# Học Số — the two commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PG_URL ?= postgres://postgres@127.0.0.1:5432/hocso

.PHONY: run test test-sqlite test-postgres install lint bench bench-smoke faults journey scale messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(STAMP)

# Front-end packages (package.json): reinstalled when package-lock.json changes. Scripts are
# not run: h5p-standalone ships its built dist/, nothing needs a build step.
NODE_STAMP := node_modules/.installed
$(NODE_STAMP): package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $(NODE_STAMP)

install: $(STAMP) $(NODE_STAMP)

## make run: install, migrate, load the demo, serve http://127.0.0.1:8000 (SQLite, Celery eager)
run: install
	mkdir -p var
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	@echo ""
	@echo "  Học Số is at http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)"
	@echo "  Demo accounts, password 'hocso-demo':"
	@echo "    learner  — a learner in Xã Ia Grai, Gia Lai"
	@echo "    trainer  — trainer for Gia Lai (authors courses in /admin/)"
	@echo "    manager  — manager for Gia Lai"
	@echo "    admin    — administrator"
	@echo ""
	$(BIN)/python manage.py runserver 127.0.0.1:8000

## make test: the whole suite on SQLite, then on PostgreSQL when DATABASE_URL is set, in
## PYTEST_WORKERS processes (pytest-xdist; each has its own test database, files and Redis
## databases, see tests/conftest.py and lms/settings/test.py)
PYTEST_WORKERS ?= 2
XDIST := -n $(PYTEST_WORKERS) --durations=30
test: install
	$(BIN)/python -m playwright --version >/dev/null
	$(BIN)/python manage.py compilemessages --ignore=.venv -v 0
	env -u DATABASE_URL $(BIN)/pytest $(XDIST)
	@if [ -n "$$DATABASE_URL" ]; then \
	  echo "== again on PostgreSQL ($$DATABASE_URL) =="; \
	  $(BIN)/pytest $(XDIST) -m "not browser"; \
	else echo "DATABASE_URL is not set: PostgreSQL pass skipped (.ci/run sets it)."; fi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make bench: gunicorn on PostgreSQL with 10,000 learners / 50,000 enrolments, see bench/README.md
bench: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/run.py
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/certificates.py
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/targets.py
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/classes.py
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/h5p.py

## make bench-smoke: bench/run.py with one short round (CI runs it so the bench cannot rot)
bench-smoke: install
	BENCH_SECONDS=1 BENCH_ROUNDS=1 BENCH_WARMUP=0 BENCH_CONCURRENCY=2 \
	  BENCH_DB_NAME=$${BENCH_DB_NAME:-hocso_bench_smoke} \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/run.py

## make faults: a fault rehearsal (about 3 minutes, loopback only): PostgreSQL and Redis cut
## for 10 s each behind a TCP proxy, the Celery worker and a gunicorn worker killed, under
## load; no acknowledged write lost, no certificate left pending. Not run by CI; see
## bench/README.md ("Faults rehearsed").
faults: install
	BENCH_DB_NAME=$${BENCH_DB_NAME:-hocso_faults} \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/faults.py

## make scale: the lesson page, xAPI, verify and the province target page on a database of
## BENCH_LEARNERS learners (default 200,000; 1000000 loads for many minutes), against the bare
## views, with the plans of their queries. Not run by CI; see bench/README.md ("Scale").
scale: install
	DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/scale.py

## make journey: the learner journey under locust (headless, a few seconds), bench/journey.py
journey: install
	BENCH_DB_NAME=$${BENCH_DB_NAME:-hocso_faults} \
	  DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} $(BIN)/python bench/journey.py

messages: install
	$(BIN)/python manage.py makemessages -l vi -l en --ignore=.venv --ignore=var --ignore=node_modules
	# English msgids are the English text: fill new English entries with them (msgen keeps
	# existing ones). New Vietnamese entries are left empty for a translator, and
	# tests/test_translations.py fails until they are filled.
	msgen locale/en/LC_MESSAGES/django.po -o locale/en/LC_MESSAGES/django.po
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf var/test-media var/screenshots
