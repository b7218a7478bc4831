# The two set-up commands: `make demo` and `make test`. Everything else is for developers.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LINT := tests/cypher_lint
PAGES ?= graphmap-pages

.PHONY: demo test lint format bodies bench sample neo4j-up clean

# The virtualenv is rebuilt whenever pyproject.toml changes.
$(BIN)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("graphmap needs Python >= 3.11, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# Neo4j's own Cypher parser, for the test that lints every file in cypher/.
$(LINT)/node_modules/.package-lock.json: $(LINT)/package-lock.json
	cd $(LINT) && npm ci --no-audit --no-fund --loglevel=error

demo: $(BIN)/.installed
	$(BIN)/graphmap demo --out $(PAGES)

test: $(BIN)/.installed $(LINT)/node_modules/.package-lock.json lint
	$(BIN)/pytest

lint: $(BIN)/.installed
	$(BIN)/ruff check graphmap tests bench
	$(BIN)/ruff format --check graphmap tests bench
	$(BIN)/mypy

# The record routes' declared bodies (graphmap/api/bodies.py), after a record in graphmap/model.py changes.
bodies: $(BIN)/.installed
	$(BIN)/python -m tests.bodies

format: $(BIN)/.installed
	$(BIN)/ruff format graphmap tests bench
	$(BIN)/ruff check --fix graphmap tests bench

# Issue 8's benchmarks and the reliability suite at full size (four hours and more on 2 cores, M alone over two; bench/README.md).
# Neo4j runs beside the embedded engine where GRAPHMAP_BENCH_NEO4J_URI or GRAPHMAP_TEST_NEO4J_URI is set.
bench: $(BIN)/.installed
	$(BIN)/python -m bench.scale --scale XS
	$(BIN)/python -m bench.scale --scale S
	$(BIN)/python -m bench.scale --scale M --engines falkordb  # Neo4j at M: add it by hand (bench/README.md)
	$(BIN)/python -m bench.import_rate --rows 100000 --engine
	$(BIN)/python -m bench.archive_import --rows 100000 1000000 --again --engine
	$(BIN)/python -m bench.portfolio_gaps --accounts 1000 --runs 5
	$(BIN)/python -m bench.portfolio_gaps --accounts 10000 --runs 3
	$(BIN)/python -m bench.analytics --accounts 1000
	$(BIN)/python -m bench.frames --accounts 1000 10000
	$(BIN)/python -m bench.pages --people 300 2000 10000
	$(BIN)/python -m bench.workspace --people 300 2000 --runs 5
	$(BIN)/python -m bench.capture --events 25000 --runs 3
	$(BIN)/python -m bench.startup --runs 9
	$(BIN)/python -m bench.api_load --accounts 200 --clients 1 10 50
	$(BIN)/python -m bench.api_load --accounts 10000 --people-per-account 44 --clients 1 10 50
	$(BIN)/python -m bench.concurrent_reads --accounts 10000
	GRAPHMAP_RELIABILITY=large GRAPHMAP_FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest -q -p no:cacheprovider \
		tests/reliability tests/api/test_schema_fuzz.py

# Rewrites the packaged sample from the generator (a test checks they agree).
sample: $(BIN)/.installed
	$(BIN)/python -m bench.generate --sample

clean:
	rm -rf $(VENV) $(LINT)/node_modules $(PAGES) .pytest_cache .mypy_cache .ruff_cache *.egg-info
