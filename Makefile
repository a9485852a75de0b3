# The commands of the README's quickstart, and the checks CI runs.
.PHONY: demo test test-fast lint setup

# Set everything up, start Neo4j, ingest examples/ and serve the API and explorer on http://127.0.0.1:8000
demo:
	@scripts/setup.sh
	@.venv/bin/kg demo

# Set everything up (with Chromium for the explorer test) and run the test suite against a throwaway real Neo4j
test:
	@scripts/setup.sh --test
	@.venv/bin/python -m pytest

# The suite without the tests marked slow (fuzzing, schemathesis, the browser, fault injection, server restarts and
# second servers, worker processes): a few minutes
test-fast:
	@scripts/setup.sh --test
	@.venv/bin/python -m pytest -m "not slow"

# ruff over kg/, api/, benchmarks/, ingest/ and tests/; mypy (strict) over kg/ and api/ (both set in pyproject.toml)
lint:
	@.venv/bin/ruff check kg api benchmarks ingest tests
	@.venv/bin/mypy

setup:
	@scripts/setup.sh --test
