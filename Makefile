# Everyday verbs. `make run` and `make test` set everything up on a fresh machine.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# Tests run with debug off, like production, on a throwaway secret.
TEST_ENV := DJANGO_SECRET_KEY=test-only-secret-key DJANGO_ALLOWED_HOSTS=localhost,127.0.0.1 DJANGO_DEBUG=0
DEV_ENV := DJANGO_DEBUG=1
# Browser tests (tests/browser) drive Debian's Chromium, which `make test` installs with Java and npm when it can
# (deploy/system-packages.sh); without them those tests are skipped with a notice.
# REQUIRE_BROWSER=1 (set by .ci/run) turns a missing Chromium, Java or npm test tool into a failure.
CHROMIUM ?= /usr/bin/chromium

.PHONY: lock lock-check run worker test lint format messages demo bench bench-nginx prod-smoke vendor clean migrate check backup restore restore-drill

# requirements*.txt are locks (every dependency pinned, with hashes) made from requirements*.in by `make lock`.
PIP_COMPILE = $(VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url \
	--no-emit-find-links --no-emit-trusted-host

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# After editing requirements.in or requirements-dev.in: the locks again (a pinned version stays unless its .in changed).
lock: $(VENV)/.installed-dev
	$(PIP_COMPILE) -o requirements.txt requirements.in
	$(PIP_COMPILE) -o requirements-dev.txt requirements-dev.in

# Fails when a lock is not what `make lock` makes from the .in files (an edited .in not locked, a lock edited by hand).
lock-check: $(VENV)/.installed-dev
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && cp requirements.txt requirements-dev.txt "$$tmp/" && \
	$(PIP_COMPILE) -o "$$tmp/requirements.txt" requirements.in && \
	$(PIP_COMPILE) -o "$$tmp/requirements-dev.txt" requirements-dev.in && \
	for lock in requirements.txt requirements-dev.txt; do \
	  diff -u -I '^#    pip-compile' "$$lock" "$$tmp/$$lock" || { echo "$$lock is out of date: run make lock" >&2; exit 1; }; \
	done; echo "the locks match requirements.in and requirements-dev.in"

migrate: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py migrate --noinput

demo: migrate
	$(DEV_ENV) $(PY) manage.py demo_data

run: demo
	$(DEV_ENV) $(PY) manage.py runserver $(HOST):$(PORT)

# The background-task worker (it sends the e-mail) on the development database, restarted when the code changes.
# `make run` alone needs none: in development each task runs at once after its commit (DJANGO_TASKS_BACKEND=immediate).
# To try the queue, run `DJANGO_TASKS_BACKEND=database make run` and `make worker` side by side.
worker: migrate
	$(DEV_ENV) DJANGO_TASKS_BACKEND=database $(PY) manage.py db_worker

# Test-only npm packages (axe-core, vnu-jar), installed from the lock file when npm is there.
node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund
	touch $@

test: $(VENV)/.installed-dev
	@CHROMIUM=$(CHROMIUM) sh deploy/system-packages.sh test
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory node_modules/.installed; fi
	@if [ ! -x "$(CHROMIUM)" ] && [ "$(REQUIRE_BROWSER)" = "1" ]; then \
	  echo "no Chromium at $(CHROMIUM), and REQUIRE_BROWSER=1 requires the browser tests" >&2; exit 1; fi
	$(TEST_ENV) CHROMIUM=$(CHROMIUM) $(VENV)/bin/pytest $(PYTEST_ARGS); status=$$?; \
	if [ ! -x "$(CHROMIUM)" ]; then echo "browser tests skipped: no Chromium at $(CHROMIUM)"; fi; exit $$status

# Migrations match the models, lint and format, and the layers contract (pyproject.toml: imports only go down).
check: $(VENV)/.installed-dev
	$(TEST_ENV) $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Translations: locale/en (the English interface) and locale/pl (Polish plural forms; Polish is the source).
# The compiled .mo files are committed, so a machine without GNU gettext still runs the site in both languages;
# after editing a .po, run this again (it needs gettext: apt-get install gettext). tests/wspl_site/test_translations.py
# fails when a .po entry is empty or fuzzy, or a .mo no longer matches its .po.
messages: $(VENV)/.installed
	$(DEV_ENV) $(PY) manage.py makemessages -l en -l pl --no-obsolete --ignore=.venv --ignore=node_modules --ignore=static --ignore=test-artifacts
	$(DEV_ENV) $(PY) manage.py compilemessages -l en -l pl --ignore=.venv --ignore=node_modules

vendor:
	npm ci
	mkdir -p static/vendor/bootstrap
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map \
	   node_modules/bootstrap/LICENSE static/vendor/bootstrap/
	mkdir -p static/vendor/leaflet/images
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map node_modules/leaflet/dist/leaflet.css \
	   node_modules/leaflet/LICENSE static/vendor/leaflet/
	cp node_modules/leaflet/dist/images/*.png static/vendor/leaflet/images/

# The benchmark at a hundred times the city (bench/run.py, about ten minutes; not part of `make test`).
# Needs PostgreSQL and Redis on 127.0.0.1; fills BENCH_DATABASE_URL with `bench/scale_data.py` when it is empty.
# Writes bench/results.md.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/wspl_bench
bench: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/run.py

# The microcache in front of the benchmark's gunicorn (bench/nginx.py, about five minutes): anonymous pages from
# nginx's cache against a static file of the same size served by the same nginx. Writes bench/results-nginx.md.
bench-nginx: $(VENV)/.installed-dev
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) bench/nginx.py

# The production stack on this machine (deploy/smoke.py, about a minute): the shipped nginx site in front of two
# gunicorn instances with production settings, PostgreSQL and Redis on 127.0.0.1; prints each check.
# Needs nginx with Debian's brotli modules and openssl (.ci/run installs them).
prod-smoke: $(VENV)/.installed
	$(PY) deploy/smoke.py

# Backups (deploy/backup.sh): the PostgreSQL database of DATABASE_URL and the media folder in one archive,
# BACKUP_DIR/wspl-YYYYmmdd-HHMMSS.tar (default backups/), with its .sha256; keeps the newest BACKUP_KEEP (14).
# They run in the site's environment on the server, with the virtualenv the site runs from: no installing.
backup:
	PY=$(PY) deploy/backup.sh

# Replaces the database and the media folder with an archive's, after checking its checksum; asks first.
restore:
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/wspl-YYYYmmdd-HHMMSS.tar" >&2; exit 2; }
	PY=$(PY) deploy/restore.sh "$(FILE)"

# Backs up a demo site, restores it into an empty database and over a changed one, and compares every
# table, sequence, schema object and media file (deploy/restore_drill.py; needs PostgreSQL, .ci/run runs it).
restore-drill: $(VENV)/.installed
	$(PY) deploy/restore_drill.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache staticfiles
