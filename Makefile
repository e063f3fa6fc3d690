# Two commands matter: `make run` and `make test`. Both build .venv from scratch when needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install run test test-fast lint bench bench-engine soak clean

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: install
	$(BIN)/leash serve

# Two workers (pytest-xdist): the suite is mostly waiting on databases, servers and browsers, so a
# second worker shortens CI's wall time on two cores. TEST_JOBS=0 runs it in one process.
TEST_JOBS ?= 2

test: install
	$(BIN)/python -m pytest -n $(TEST_JOBS) $(PYTEST_ARGS)

# The inner loop: everything but the suites marked slow (UI, SDK, soak, fuzz, ...); CI runs `test`.
test-fast: install
	$(BIN)/python -m pytest -n $(TEST_JOBS) -m "not slow" $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests tools
	$(BIN)/mypy src tests tools
	$(BIN)/lint-imports

bench: install
	bench/setup.sh
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/engine.py

bench-engine: install
	$(BIN)/python bench/engine.py $(ENGINE_ARGS)

# 10 minutes of mixed load on `leash serve --workers 2` (not part of CI): errors, memory, latency.
soak: install
	$(BIN)/python tests/reliability/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache .import_linter_cache .grimp_cache
