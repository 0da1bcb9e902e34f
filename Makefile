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

# Debian packages the tests need (none yet; later: chromium, poppler-utils, fonts).
system-packages:
	@true
	@# reports: Arabic and Hebrew fonts and Pango for WeasyPrint, pdftotext for the PDF tests
	@dpkg -s fonts-noto-core >/dev/null 2>&1 || apt-get install -y --no-install-recommends fonts-noto-core || (apt-get update && apt-get install -y --no-install-recommends fonts-noto-core)
	@dpkg -s libpango-1.0-0 libpangoft2-1.0-0 >/dev/null 2>&1 || apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 || (apt-get update && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0)
	@command -v pdftotext >/dev/null || apt-get install -y --no-install-recommends poppler-utils || (apt-get update && apt-get install -y --no-install-recommends poppler-utils)
	@command -v msgfmt >/dev/null || apt-get install -y gettext
	@# web: Debian's chromium for the browser tests (tests/web/browser, driven by Playwright)
	@command -v chromium >/dev/null || apt-get install -y chromium

demo: $(STAMP)
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
