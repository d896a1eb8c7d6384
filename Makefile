# IKMS — the two commands of the README: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help
export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
UV ?= $(shell command -v uv 2>/dev/null || echo "$(HOME)/.local/bin/uv")
PY := $(UV) run --frozen python
DEMO_SCALE ?= 1
DEMO_LAKE_SCALE ?= 1
DEMO_RISK_YEAR ?= 2024/2025
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help
help:  ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

.PHONY: uv
uv:
	@command -v $(UV) >/dev/null 2>&1 || python3 -m pip install --quiet --user uv

.PHONY: install
install: uv  ## Create .venv from uv.lock, build the front end, compile translations
	$(UV) sync --frozen --quiet
	@bash scripts/ensure-system-deps.sh gettext
	$(MAKE) --no-print-directory frontend messages

.PHONY: frontend
frontend:  ## Install the design system from npm and compile its Sass (no CDN at run time)
	@if [ ! -d node_modules/govuk-frontend ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then \
		npm ci --no-audit --no-fund --loglevel=error; fi
	npm run --silent build

.PHONY: messages
messages:  ## Compile the Latvian/English message catalogues
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

.PHONY: demo
demo: install  ## Set up, load the demo data and serve http://127.0.0.1:8000
	@bash scripts/ensure-system-deps.sh fonts pango
	@mkdir -p var
	$(PY) manage.py migrate --no-input -v0
	IKMS_WARM_RESULT_PAGES=0 $(PY) manage.py generate_demo --scale $(DEMO_SCALE) --lake-scale $(DEMO_LAKE_SCALE) --if-empty
	$(PY) manage.py demo_accounts
	@echo "IKMS: http://$(HOST):$(PORT)/  (English: http://$(HOST):$(PORT)/en/)"
	@# the result pages' cache (ADR 0021) is filled beside the starting server rather than before it
	$(PY) manage.py warm_result_pages > var/warm-result-pages.log 2>&1 &
	@# the school risk score (issue 17) is trained and scored by its commands, never by the web: beside the server too
	($(PY) manage.py risk_model_train && $(PY) manage.py risk_scores_compute --year $(DEMO_RISK_YEAR)) > var/risk-score.log 2>&1 &
	$(PY) manage.py runserver $(HOST):$(PORT) --noreload

.PHONY: lint
lint:  ## Ruff on everything, mypy on analytics/, the import layers (ADR 0018), migrations up to date
	$(UV) run --frozen ruff check .
	$(UV) run --frozen mypy
	$(UV) run --frozen lint-imports --no-cache --no-logo
	DJANGO_SETTINGS_MODULE=config.django.test $(PY) manage.py makemigrations --check --dry-run -v0

.PHONY: test
test: install  ## Set up whatever is needed and run every test on SQLite and on PostgreSQL 15
	@bash scripts/ensure-system-deps.sh chromium java poppler fonts pango
	$(MAKE) --no-print-directory lint
	@echo "== Test suite on SQLite (with the Django-free analytics tests) =="
	$(UV) run --frozen pytest -n 2 -p no:cacheprovider
	@echo "== Test suite on PostgreSQL (every test that touches the database; the browser tests ran above) =="
	bash scripts/with-postgres.sh $(UV) run --frozen pytest -n 2 -p no:cacheprovider -m "not browser" ikms tests
	@echo "== Benchmark smoke run (small scale; the full run is in docs/benchmarks.md) =="
	$(PY) -m benchmarks.engine --scale 0.02 --smoke

.PHONY: screenshots
screenshots: install  ## Refresh docs/screenshots/: the key page of each role's journey, walked in the browser tests
	@bash scripts/ensure-system-deps.sh chromium fonts
	rm -f docs/screenshots/*.png
	$(UV) run --frozen pytest -p no:cacheprovider tests/browser/test_journeys.py --screenshots docs/screenshots

.PHONY: clean
clean:  ## Remove generated files (virtual environment, builds, demo database)
	rm -rf .venv node_modules build staticfiles var
