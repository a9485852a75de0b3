"""Property-based tests over the OpenAPI document (schemathesis): no 5xx, and every response conforms to its
documented status, content type, headers and schema. Bounded: a few dozen examples per operation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from api_graphs import write_sample, write_star
from api_server import serve
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.app import create_app
from api.settings import ApiSettings
from kg.store import connect

pytestmark = pytest.mark.slow  # left out of `make test-fast`

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def live_api(graph_connection, neo4j_target) -> Iterator[str]:
    graph_connection.run("MATCH (n) DETACH DELETE n")
    write_sample(graph_connection)
    write_star(graph_connection, "Hub Corp", 12)
    app = create_app(ApiSettings(key="schemathesis-key-never-sent", cypher_timeout=2.0, cypher_row_cap=50),
                     connection_factory=lambda: connect(neo4j_target.settings()))
    with serve(app) as base:
        yield base


# The document is built without a server (the app makes no connection before its lifespan runs); the calls go
# to the live server of the `live_api` fixture.
# The change stream never ends by design (Server-Sent Events): tests/test_changes_api.py checks it instead.
schema = schemathesis.openapi.from_dict(create_app(ApiSettings()).openapi()).exclude(path="/v1/changes/stream")


def test_the_live_document_is_the_one_tested(live_api):
    import httpx

    assert httpx.get(live_api + "/openapi.json").json() == schema.raw_schema


@schema.parametrize()
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_openapi_document(case, live_api):
    case.call_and_validate(base_url=live_api, checks=CHECKS)
