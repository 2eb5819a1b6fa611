# The two commands of the README: `make dev` runs the stack, `make test` runs every check.
# Both create and fill the virtual environment in .venv first, so a fresh clone needs only Python 3.11+ and make.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# requirements.lock: what the product needs at run time (the production image installs it and nothing
# else); requirements-dev.lock: that plus the dev tools (devtools/) and the test tools (the dev extra).
LOCKS  := requirements.lock requirements-dev.lock
PROJECT_FILES := $(LOCKS) pyproject.toml devtools/pyproject.toml
STAMP  := $(VENV)/.installed-$(shell cat $(PROJECT_FILES) | cksum | cut -d' ' -f1)

.PHONY: dev test lint typecheck archcheck install lock clean chromium bytecode

$(STAMP): $(PROJECT_FILES)
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed, found " + sys.version' 
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check uv==0.13.8
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -r requirements.lock -r requirements-dev.lock
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python --no-deps -e . -e ./devtools
	@rm -f $(VENV)/.installed-*
	@touch $@

install: $(STAMP)

# Re-resolve both locks after a change of pyproject.toml or devtools/pyproject.toml. uv keeps every pin
# the lock already has (it upgrades nothing unless told to); the dev lock is constrained to the runtime one.
lock: $(STAMP)
	$(BIN)/uv pip compile --quiet pyproject.toml --no-header -o requirements.lock
	$(BIN)/uv pip compile --quiet pyproject.toml devtools/pyproject.toml --extra dev -c requirements.lock \
		--no-header -o requirements-dev.lock

# Every service, relay and command is a Python process of its own, and each one would compile every module
# it imports again where bytecode is not written (PYTHONDONTWRITEBYTECODE): seconds of CPU per start. The
# dependencies are compiled once when installed, the project's own code here (only what changed).
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q -j 0 klachtspoor services contracts devtools tests

dev: $(STAMP) bytecode
	$(BIN)/klachtspoor dev up

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy contracts klachtspoor services devtools/klachtspoor_devtools

archcheck: $(STAMP)
	$(BIN)/lint-imports

# The dashboard's browser tests drive Debian's Chromium (Playwright never downloads a browser of its own),
# and the report tests turn a PDF page into a PNG with poppler's pdftoppm: both installed with apt-get
# when missing (CI runs as root).
CHROMIUM := /usr/bin/chromium
PDFTOPPM := /usr/bin/pdftoppm

chromium:
	@test -x $(CHROMIUM) -a -x $(PDFTOPPM) || { apt-get update -q && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium poppler-utils; }

# Two workers, one whole test file at a time each (a module's stack and fixtures stay in one process),
# each with its own embedded servers: most tests wait on processes and servers, so two keep two cores busy.
# `TEST_WORKERS=0 make test` runs the suite in one process; a plain `pytest` (while you work) always does.
TEST_WORKERS ?= 2

test: lint typecheck archcheck chromium bytecode
	$(BIN)/python -m pytest --numprocesses $(TEST_WORKERS) --dist loadfile

clean:
	rm -rf $(VENV) .dev .pytest_cache .mypy_cache .ruff_cache
