# marsad: `make demo` and `make test` work on a fresh clone; both create .venv if needed.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
DEMO_DIR ?= demo-project

.PHONY: demo test test-postgres lint bench system-packages clean

$(STAMP): pyproject.toml Makefile
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "marsad needs $(PYTHON) (Python 3.11) on PATH"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,telegram,embeddings]'
	touch $(STAMP)

# The tests also cover the transformers classifier: torch first, pinned so that pip takes the
# CPU wheel this machine has instead of fetching a CUDA build.
$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[dev,telegram,embeddings,transformers]'
	touch $(TEST_STAMP)

# Debian packages: Noto fonts and Pango (the reports' PDFs, WeasyPrint), poppler-utils (the PDF
# tests), gettext (translations), chromium (browser tests), librsvg2-bin (PNG charts),
# postgresql-client (pg_dump and psql: backups of a PostgreSQL project). Installed
# (as root) only when one is missing.
DEBIAN_PACKAGES := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 poppler-utils gettext chromium librsvg2-bin postgresql-client-15
system-packages:
	@missing=$$(for p in $(DEBIAN_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  apt-get install -y --no-install-recommends $$missing \
	    || { apt-get update && apt-get install -y --no-install-recommends $$missing; }; \
	fi

demo: $(STAMP) system-packages
	$(BIN)/marsad demo --dir $(DEMO_DIR)

test: $(TEST_STAMP) system-packages
	$(BIN)/python -m pytest -q

# The web app's tests on PostgreSQL (the production database); pytest-django makes test_<name>.
POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432/test
test-postgres: $(STAMP) system-packages
	MARSAD_DATABASE_URL=$(POSTGRES_URL) $(BIN)/python -m pytest -q tests/web

lint: $(STAMP)
	$(BIN)/ruff check marsad tests bench scripts
	$(BIN)/ruff format --check marsad tests bench scripts
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) $(DEMO_DIR) bench/work .pytest_cache .mypy_cache .ruff_cache
