"""The Neo4j store: connection, schema, idempotent batched writes, read queries.

- `connection`: the driver boundary (`GraphConnection.read` routes reads to readers; driver errors leave as
  `kg.errors`, translated in `translate_driver_error` only);
- Cypher text lives in query modules grouped by concern: `cypher` (schema and writes), `read_cypher` (reads),
  `research_queries` (the researchers' examples), `bulk_cypher` (bulk export), `curation_cypher` (kg.curation and
  the writer's curation step); `kg.rdf.queries` for RDF export;
- `writer` (GraphWriter), `reader` (read-side dataclasses), `schema` (constraints and indexes).
"""

from kg.store.connection import GraphConnection, connect
from kg.store.schema import apply_schema
from kg.store.writer import GraphWriter, WriteResult

__all__ = ["GraphConnection", "GraphWriter", "WriteResult", "apply_schema", "connect"]
