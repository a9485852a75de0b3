"""A Neo4j driver for the configured server: `NEO4J_URI` if set, else the local server of `kg neo4j start`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from neo4j import Driver, GraphDatabase
from neo4j.exceptions import AuthError, ServiceUnavailable

from kg.errors import Neo4jAuthError, Neo4jUnavailableError
from kg.settings import LocalNeo4jSettings, Neo4jSettings


@dataclass
class GraphConnection:
    driver: Driver
    database: str
    uri: str

    def run(self, query: str, parameters: dict[str, Any] | None = None, **kwargs: Any):
        """Run one auto-committed query and return its records (a convenience for small reads)."""
        records, _, _ = self.driver.execute_query(query, parameters or {}, database_=self.database, **kwargs)
        return records

    def server_version(self) -> str:
        info = self.driver.get_server_info()
        return info.agent.split("/", 1)[-1]

    def close(self) -> None:
        self.driver.close()

    def __enter__(self) -> GraphConnection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def connect(settings: Neo4jSettings | None = None, local: LocalNeo4jSettings | None = None,
            verify: bool = True) -> GraphConnection:
    settings = settings or Neo4jSettings()
    if settings.uri:
        uri, user, password = settings.uri, settings.user, settings.password
        if password is None:
            raise Neo4jAuthError("NEO4J_URI is set but NEO4J_PASSWORD is not: set the password of that server.")
        hint = f"check that the server at {uri} is up and that NEO4J_URI is right"
    else:
        from kg.neo4j_local.server import LocalNeo4j

        server = LocalNeo4j(local)
        if server.running_pid() is None:
            raise Neo4jUnavailableError(
                "The local Neo4j is not running: start it with `kg neo4j start`, or set NEO4J_URI "
                "(with NEO4J_USER and NEO4J_PASSWORD) to use another server."
            )
        uri = server.bolt_uri
        user, password = server.credentials()
        hint = "see `kg neo4j status`, or restart it with `kg neo4j stop && kg neo4j start`"
    driver = GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=50,
                                  notifications_min_severity="OFF")
    if verify:
        try:
            driver.verify_connectivity()
        except AuthError as exc:
            driver.close()
            raise Neo4jAuthError(f"Neo4j at {uri} refused user {user!r}: check NEO4J_USER and NEO4J_PASSWORD.") from exc
        except (ServiceUnavailable, OSError) as exc:
            driver.close()
            raise Neo4jUnavailableError(f"Neo4j does not answer at {uri}: {hint}.") from exc
    return GraphConnection(driver=driver, database=settings.database, uri=uri)
