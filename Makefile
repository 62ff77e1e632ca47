# Two commands for a newcomer: `make run` and `make test`.
VENV ?= .venv
PYTHON ?= python3
PY := $(VENV)/bin/python
LMS := $(VENV)/bin/lms
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install run test test-browser test-postgres lint translations bench clean

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

run: install
	$(LMS) db upgrade
	$(LMS) content sync || echo "!! Some courses were refused (listed above); the others are loaded."
	$(LMS) demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(LMS) run --host $(HOST) --port $(PORT)

test: install node_modules/axe-core/axe.min.js
	$(PY) -m pytest

test-postgres: install
	LMS_TEST_DATABASE_URL=$${LMS_TEST_DATABASE_URL:-postgresql+psycopg://postgres@127.0.0.1:5432/test} \
	  $(PY) -m pytest -m "not browser"

test-browser: install node_modules/axe-core/axe.min.js
	$(PY) -m pytest -m browser

lint: install
	$(VENV)/bin/ruff check lms tests bench

# Re-extract interface strings and merge them into the Indonesian catalog.
translations: install
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext -o lms/translations/messages.pot .
	$(VENV)/bin/pybabel -q update -i lms/translations/messages.pot -d lms/translations -l id -w 100

bench: install
	$(PY) bench/course_pages.py

clean:
	rm -rf $(VENV) node_modules .pytest_cache
