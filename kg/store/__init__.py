"""The Neo4j store: connection, schema, idempotent batched writes, read queries."""

from kg.store.connection import GraphConnection, connect
from kg.store.schema import apply_schema
from kg.store.writer import GraphWriter, WriteResult

__all__ = ["GraphConnection", "GraphWriter", "WriteResult", "apply_schema", "connect"]
