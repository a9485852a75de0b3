"""Every integration test gets a real, empty Neo4j.

Where the server comes from, first match wins:
1. `NEO4J_TEST_URI` (with `NEO4J_TEST_USER`, `NEO4J_TEST_PASSWORD`): an explicit server;
2. a Docker engine that answers: testcontainers' Neo4j module with a pinned image;
3. otherwise our own local provisioning (Maven Central jars) in a temporary directory, on free ports.
One server per test session; every test that asks for `graph` starts from an empty database.
Tests never touch the user's data directory.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.settings import Neo4jSettings
from kg.store import GraphConnection, apply_schema, connect

NEO4J_IMAGE = "neo4j:5.26-community"
SHARED = Path(__file__).resolve().parents[1].parent / "shared"
_NEO4J_UNDER_TEST: list[str] = []


@dataclass(frozen=True)
class Neo4jTarget:
    uri: str
    user: str
    password: str
    origin: str

    def settings(self) -> Neo4jSettings:
        return Neo4jSettings(uri=self.uri, user=self.user, password=self.password, database="neo4j")

    def env(self) -> dict[str, str]:
        return {"NEO4J_URI": self.uri, "NEO4J_USER": self.user, "NEO4J_PASSWORD": self.password,
                "NEO4J_DATABASE": "neo4j"}


def _docker_answers() -> bool:
    if shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.fixture(scope="session")
def neo4j_target(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Neo4jTarget]:
    if os.environ.get("NEO4J_TEST_URI"):
        yield Neo4jTarget(os.environ["NEO4J_TEST_URI"], os.environ.get("NEO4J_TEST_USER", "neo4j"),
                          os.environ.get("NEO4J_TEST_PASSWORD", ""), "NEO4J_TEST_URI")
        return
    if _docker_answers():
        from testcontainers.community.neo4j import Neo4jContainer

        container = Neo4jContainer(NEO4J_IMAGE, password="test-password-1234")
        container.with_env("NEO4J_server_memory_heap_max__size", "1g")
        with container:
            yield Neo4jTarget(container.get_connection_url(), "neo4j", "test-password-1234", f"docker {NEO4J_IMAGE}")
        return
    from kg.neo4j_local import LocalNeo4j
    from kg.neo4j_local.server import free_port
    from kg.settings import LocalNeo4jSettings

    home = tmp_path_factory.mktemp("neo4j-home")
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(),
                                           heap="768m", pagecache="256m"))
    status = server.start()
    user, password = server.credentials()
    try:
        yield Neo4jTarget(status.bolt_uri, user, password, f"local Neo4j {status.version} in {home}")
    finally:
        server.stop()


@pytest.fixture(scope="session")
def graph_connection(neo4j_target: Neo4jTarget) -> Iterator[GraphConnection]:
    conn = connect(neo4j_target.settings())
    apply_schema(conn)
    _NEO4J_UNDER_TEST.append(f"Neo4j {conn.server_version()} ({neo4j_target.origin})")
    yield conn
    conn.close()


@pytest.fixture
def graph(graph_connection: GraphConnection) -> GraphConnection:
    """A connection to an empty graph (schema in place)."""
    graph_connection.run("MATCH (n) DETACH DELETE n")
    return graph_connection


@pytest.fixture
def neo4j_env(neo4j_target: Neo4jTarget, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point the process's settings (CLI, API) at the test server."""
    for key, value in neo4j_target.env().items():
        monkeypatch.setenv(key, value)
    return neo4j_target.env()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Name the Neo4j server the run used (pytest passes a hook only the arguments it names)."""
    for line in _NEO4J_UNDER_TEST:
        terminalreporter.write_line(f"Tests ran against {line}")


def pytest_report_header() -> list[str]:
    return [f"shared material: {SHARED} ({'present' if SHARED.is_dir() else 'missing'})"]
