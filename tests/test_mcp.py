"""The MCP server, driven by the SDK's own client against a real Neo4j: in-process, over stdio and over HTTP.

Each tool answers on hand-built data; Cypher escapes are refused exactly as by POST /v1/cypher and leave the graph
unchanged; an answer past the size bound says it was cut and how to narrow the call; errors are one sentence.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client

from api.mcp.bridge import MAX_TOOL_BYTES, ApiBridge
from api.mcp.server import build_server
from api.settings import ApiSettings
from kg.neo4j_local.server import free_port
from kg.store import GraphConnection
from tests.api_graphs import Sample, write_sample
from tests.graph_dump import dump_graph
from tests.test_api_hardening import ESCAPES as API_ESCAPES
from tests.test_cypher_guard import ATTACKS
from tests.test_security_findings import ADMIN_COMMANDS, BYPASSES

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "mcp-test-key-8c1d0e"
TOOLS = {"search_entities", "get_entity", "entity_timeline", "neighbourhood", "find_facts", "fact_evidence",
         "find_paths", "run_cypher"}
# Every escape the API's guard tests refuse: writes, admin commands, file access, the \r and \u comment bypasses,
# query options, several statements
ESCAPES = list(dict.fromkeys([*ATTACKS, *BYPASSES, *ADMIN_COMMANDS, *API_ESCAPES]))
BYPASS = "//\rSHOW TRANSACTIONS YIELD transactionId, currentQuery, parameters RETURN *"


def _text(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


async def _call(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    assert not result.is_error, _text(result)
    return json.loads(_text(result))


@pytest.fixture
def sample(graph: GraphConnection) -> Sample:
    return write_sample(graph)


@pytest.fixture
def in_process(neo4j_env: dict[str, str]) -> Callable[[Callable[[Client], Awaitable[None]]], None]:
    """Run an async check against the server (on the test Neo4j), connected in-process through the SDK's client."""
    assert neo4j_env["NEO4J_URI"]

    def run(check: Callable[[Client], Awaitable[None]]) -> None:
        async def main() -> None:
            async with ApiBridge(ApiSettings()) as bridge, Client(build_server(bridge)) as client:
                await check(client)

        anyio.run(main)

    return run


def test_every_tool_has_a_schema_and_a_one_line_description(in_process) -> None:
    async def check(client: Client) -> None:
        tools = {t.name: t for t in (await client.list_tools()).tools}
        assert set(tools) == TOOLS
        for tool in tools.values():
            assert tool.description and "\n" not in tool.description.strip()
            assert tool.input_schema["type"] == "object" and tool.input_schema["properties"]
        predicate = tools["find_facts"].input_schema["properties"]["predicate"]
        assert "HIRED_FROM" in json.dumps(predicate)  # predicates are an enum, not a free string

    in_process(check)


def test_each_tool_answers_on_the_sample_graph(sample: Sample, in_process) -> None:
    async def check(client: Client) -> None:
        found = await _call(client, "search_entities", {"query": "DeepMind"})
        assert found["items"][0]["id"] == sample.deepmind.id
        entity = await _call(client, "get_entity", {"entity_id": sample.deepmind.id})
        assert entity["name"] == "DeepMind"
        timeline = await _call(client, "entity_timeline", {"entity_id": sample.babuschkin.id,
                                                            "predicates": ["HIRED_FROM"]})
        assert [i["fact"]["predicate"] for i in timeline["items"]] == ["HIRED_FROM"]
        around = await _call(client, "neighbourhood", {"entity_id": sample.deepmind.id})
        assert {n["id"] for n in around["nodes"]} >= {sample.babuschkin.id, sample.alphabet.id}
        facts = await _call(client, "find_facts", {"predicate": "INVESTED_IN"})
        assert len(facts["items"]) == 1
        evidence = await _call(client, "fact_evidence", {"fact_id": facts["items"][0]["id"]})
        assert "10 millions" in evidence["evidence"][0]["sentence"]
        paths = await _call(client, "find_paths", {"from_id": sample.babuschkin.id, "to_id": sample.alphabet.id})
        assert paths["edges"]
        rows = await _call(client, "run_cypher", {"query": "MATCH (o:Organization) RETURN o.name AS name "
                                                           "ORDER BY name LIMIT $n", "parameters": {"n": 2}})
        assert rows["rows"] == [["Alphabet"], ["DeepMind"]]

    in_process(check)


def test_resources_give_the_ontology_and_the_graph_model(in_process) -> None:
    async def check(client: Client) -> None:
        uris = {str(r.uri) for r in (await client.list_resources()).resources}
        assert uris == {"techgraph://ontology", "techgraph://graph-model"}
        ontology = json.loads((await client.read_resource("techgraph://ontology")).contents[0].text)
        assert ontology["predicates"]["HIRED_FROM"] == {**ontology["predicates"]["HIRED_FROM"],
                                                        "subject": ["Person"], "object": ["Organization"]}
        model = (await client.read_resource("techgraph://graph-model")).contents[0].text
        assert "Evidence" in model

    in_process(check)


@pytest.mark.usefixtures("sample")
def test_cypher_escapes_are_refused_and_change_nothing(graph: GraphConnection, in_process) -> None:
    before = dump_graph(graph)

    async def check(client: Client) -> None:
        assert len(ESCAPES) >= 60
        for query in ESCAPES:
            result = await client.call_tool("run_cypher", {"query": query})
            assert result.is_error, query
            message = _text(result)
            assert "Traceback" not in message and "org.neo4j" not in message and len(message) < 600, message

    in_process(check)
    assert dump_graph(graph) == before


@pytest.mark.usefixtures("sample")
def test_errors_are_one_sentence_tool_errors(in_process) -> None:
    async def check(client: Client) -> None:
        missing = await client.call_tool("get_entity", {"entity_id": "organization:nope"})
        assert missing.is_error and "organization:nope" in _text(missing)
        traversal = await client.call_tool("get_entity", {"entity_id": "../../v1/stats"})
        assert traversal.is_error  # an id is one path segment: it cannot reach another route
        bad_date = await client.call_tool("find_facts", {"date_from": "yesterday"})
        assert bad_date.is_error and "Traceback" not in _text(bad_date)

    in_process(check)


@pytest.mark.usefixtures("graph")
def test_an_answer_past_the_bound_says_it_was_cut_and_how_to_narrow(in_process) -> None:
    async def check(client: Client) -> None:
        query = "UNWIND range(1, 900) AS i RETURN i, reduce(s = '', x IN range(1, 20) | s + 'abcde') AS pad"
        answer = await _call(client, "run_cypher", {"query": query})
        assert answer["truncated"] is True and "LIMIT" in answer["truncation"]
        assert 0 < len(answer["rows"]) < 900
        assert len(json.dumps(answer)) <= MAX_TOOL_BYTES

    in_process(check)


# ------------------------------------------------------------------------------------------- real transports
def _server_env(neo4j_env: dict[str, str], **extra: str) -> dict[str, str]:
    return {**os.environ, **neo4j_env, "PYTHONPATH": str(ROOT), **extra}


def test_stdio_transport(sample: Sample, neo4j_env: dict[str, str]) -> None:
    params = StdioServerParameters(command=sys.executable, args=["-m", "kg", "mcp"], cwd=str(ROOT),
                                   env=_server_env(neo4j_env))

    async def main() -> None:
        async with Client(params) as client:
            found = await _call(client, "search_entities", {"query": "xAI"})
            assert found["items"][0]["id"] == sample.xai.id
            refused = await client.call_tool("run_cypher", {"query": BYPASS})
            assert refused.is_error

    anyio.run(main)


@pytest.fixture
def http_server(neo4j_env: dict[str, str]) -> Iterator[str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "kg", "mcp", "--transport", "http", "--port", str(port)],
                               cwd=ROOT, env=_server_env(neo4j_env, KG_API_KEY=API_KEY),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/mcp"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                httpx2.get(url, timeout=1)
                break
            except httpx2.TransportError:
                assert process.poll() is None, process.stderr.read().decode() if process.stderr else ""
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_http_transport_needs_the_key_and_then_answers(sample: Sample, http_server: str) -> None:
    assert httpx2.post(http_server, json={}, timeout=5).status_code == 401

    async def main() -> None:
        async with httpx2.AsyncClient(headers={"X-API-Key": API_KEY}, timeout=30) as http:
            async with Client(streamable_http_client(http_server, http_client=http)) as client:
                found = await _call(client, "search_entities", {"query": "Alphabet"})
                assert found["items"][0]["id"] == sample.alphabet.id
                refused = await client.call_tool("run_cypher", {"query": BYPASS})
                assert refused.is_error

    anyio.run(main)
