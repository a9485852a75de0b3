"""A Neo4j driver for the configured server: `NEO4J_URI` if set, else the local server of `kg neo4j start`.

This module is the driver boundary: `GraphConnection.read`, `run`, `write` and `stream` run queries, and every
driver error they meet leaves as a project error (`translate_driver_error`, the one place that maps them), so the
CLI and the API only handle `kg.errors`. Reads are routed to readers (`RoutingControl.READ`), so a `neo4j://`
cluster serves them from its followers.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Concatenate, LiteralString, ParamSpec, TypeVar

from neo4j import Driver, GraphDatabase, ManagedTransaction, Record, RoutingControl
from neo4j.exceptions import AuthError, DriverError, Neo4jError, ServiceUnavailable, SessionExpired

from kg.errors import GraphQueryError, KgError, Neo4jAuthError, Neo4jUnavailableError
from kg.settings import LocalNeo4jSettings, Neo4jSettings

MAX_CONNECTION_POOL_SIZE = 50
P = ParamSpec("P")
T = TypeVar("T")


def translate_driver_error(exc: Exception, uri: str = "the configured address") -> KgError:
    """The project error for a driver error (the one mapping): unavailable, refused credentials, or a query Neo4j
    refused. The driver's error is kept as the cause by the callers (`raise ... from exc`)."""
    if isinstance(exc, KgError):
        return exc
    if isinstance(exc, AuthError):
        return Neo4jAuthError(f"Neo4j at {uri} refused the credentials: check NEO4J_USER and NEO4J_PASSWORD.")
    if isinstance(exc, (ServiceUnavailable, SessionExpired, DriverError, OSError)):
        return Neo4jUnavailableError(
            f"Neo4j stopped answering at {uri} ({exc.__class__.__name__}): check it with `kg neo4j status` "
            "(or NEO4J_URI) and run the command again (writes are idempotent).")
    if isinstance(exc, Neo4jError):
        return GraphQueryError(f"Neo4j refused the operation: {exc.message or exc}", exc.code)
    return KgError(str(exc))


@contextmanager
def driver_errors(uri: str = "the configured address") -> Iterator[None]:
    """Run a block that talks to Neo4j; a driver error leaves it as the matching project error."""
    try:
        yield
    except (DriverError, Neo4jError) as exc:
        raise translate_driver_error(exc, uri) from exc


@dataclass
class GraphConnection:
    driver: Driver
    database: str
    uri: str

    def read(self, query: LiteralString | str, parameters: dict[str, Any] | None = None) -> list[Record]:
        """Run one read query (routed to a reader of a cluster) and return its records."""
        with driver_errors(self.uri):
            result = self.driver.execute_query(query, parameters or {}, database_=self.database,
                                               routing_=RoutingControl.READ)
        return list(result.records)

    def run(self, query: LiteralString | str, parameters: dict[str, Any] | None = None, **kwargs: Any) -> list[Record]:
        """Run one auto-committed query on the leader (writes, schema) and return its records."""
        with driver_errors(self.uri):
            result = self.driver.execute_query(query, parameters or {}, database_=self.database, **kwargs)
        return list(result.records)

    def write(self, work: Callable[Concatenate[ManagedTransaction, P], T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run `work(tx, ...)` in one write transaction (retried by the driver on transient errors)."""
        with driver_errors(self.uri), self.driver.session(database=self.database) as session:
            return session.execute_write(work, *args, **kwargs)

    def stream(self, query: LiteralString | str, fetch_size: int) -> Iterator[Record]:
        """The records of a large read, fetched `fetch_size` at a time instead of all at once."""
        with driver_errors(self.uri), self.driver.session(database=self.database, fetch_size=fetch_size,
                                                          default_access_mode="READ") as session:
            yield from session.run(query)

    def ping(self) -> None:
        """Raise Neo4jUnavailableError (or Neo4jAuthError) unless the server answers."""
        with driver_errors(self.uri):
            self.driver.verify_connectivity()

    def server_version(self) -> str:
        with driver_errors(self.uri):
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
    driver = GraphDatabase.driver(uri, auth=(user, password), max_connection_pool_size=MAX_CONNECTION_POOL_SIZE,
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
