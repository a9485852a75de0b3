"""A real Neo4j Community server, provisioned from Maven Central and run by our own code (no Docker)."""

from kg.neo4j_local.server import LocalNeo4j, ServerStatus

__all__ = ["LocalNeo4j", "ServerStatus"]
