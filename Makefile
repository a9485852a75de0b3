# The two commands of the README's quickstart.
.PHONY: demo test setup

# Set everything up, start Neo4j, ingest examples/ and serve the API and explorer on http://127.0.0.1:8000
demo:
	@scripts/setup.sh
	@.venv/bin/kg demo

# Set everything up (with Chromium for the explorer test) and run the test suite against a throwaway real Neo4j
test:
	@scripts/setup.sh --test
	@.venv/bin/python -m pytest

setup:
	@scripts/setup.sh --test
