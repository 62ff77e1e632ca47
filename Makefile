# Two commands for a newcomer: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
LMS := $(VENV)/bin/lms
HOST ?= 127.0.0.1
PORT ?= 5000

# The PostgreSQL database `make test-postgres` uses (.ci/run passes a fresh one).
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: install run test test-browser test-postgres lint translations bench clean \
	system-deps-run system-deps-test fresh-check drill

# Debian packages (Pango, HarfBuzz subset, poppler, Chromium ...): listed in one script,
# installed when run as root, otherwise named with the command that installs them.
system-deps-run:
	@scripts/system-deps run

system-deps-test:
	@scripts/system-deps test

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $@

lms/translations/id/LC_MESSAGES/messages.mo: lms/translations/id/LC_MESSAGES/messages.po $(VENV)/.installed
	$(VENV)/bin/pybabel compile --use-fuzzy -d lms/translations >/dev/null

node_modules/axe-core/axe.min.js: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	 else echo "npm not found: browser tests will be skipped"; fi

install: $(VENV)/.installed lms/translations/id/LC_MESSAGES/messages.mo

# Links that leave the site (certificates' QR codes, calendar feeds, mails) follow HOST and
# PORT unless LMS_PUBLIC_URL is set.
run: export LMS_DEV_SERVER_URL ?= http://$(HOST):$(PORT)
run: system-deps-run install
	$(LMS) db upgrade
	$(LMS) content sync || echo "!! Some courses were refused (listed above); the others are loaded."
	$(LMS) demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(LMS) run --host $(HOST) --port $(PORT)

# The suite on SQLite: the non-browser tests in two processes (whole files per process;
# each builds its own schema), then the browser tests, also in two (each process has its
# own live servers, Chromium and HTML checker on free ports: 12 min instead of 16.5 here).
test: system-deps-test install node_modules/axe-core/axe.min.js
	$(PY) -m pytest -n 2 --dist loadfile -m "not browser"
	$(PY) -m pytest -n 2 -m browser

# Two processes, each on its own database made beside PG_TEST_URL's (tests/conftest.py).
test-postgres: install
	LMS_TEST_DATABASE_URL=$(PG_TEST_URL) $(PY) -m pytest -n 2 --dist loadfile -m "not browser"

test-browser: system-deps-test install node_modules/axe-core/axe.min.js
	$(PY) -m pytest -n 2 -m browser

lint: install
	$(VENV)/bin/ruff check lms tests bench

# Re-extract interface strings and merge them into the Indonesian catalog.
translations: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i lms/translations/messages.pot -d lms/translations -l id -w 100

# Two app hosts behind HAProxy, two workers, S3 (moto_server), PostgreSQL and Redis on
# this machine; kills a host and a worker half-way and counts what was lost (must be 0).
drill: install
	scripts/system-deps drill
	scripts/two-host-drill

# Clone the committed tree into a temporary folder and run `make test` there, as a newcomer.
fresh-check:
	scripts/fresh-check

bench: install
	$(PY) bench/course_pages.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
