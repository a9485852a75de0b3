"""Constraints and indexes, created idempotently (IF NOT EXISTS) before the first write."""

from __future__ import annotations

import logging

from kg.errors import GraphQueryError
from kg.store import change_cypher, curation_cypher, cypher, duplicate_cypher, read_cypher
from kg.store.connection import GraphConnection
from kg.vocabulary import vocabulary

log = logging.getLogger(__name__)
INDEX_WAIT_SECONDS = 300  # how long apply_schema waits for new indexes to come online


def schema_statements() -> list[str]:
    statements = [*cypher.NODE_SCHEMA, *cypher.INTERVAL_SCHEMA, *duplicate_cypher.DUPLICATE_SCHEMA,
                  *curation_cypher.CURATION_SCHEMA, *change_cypher.CHANGE_SCHEMA]
    for predicate in sorted(vocabulary().predicates):
        statements.append(cypher.fact_id_constraint(predicate))
        statements.append(cypher.fact_date_start_index(predicate))
        statements.append(read_cypher.fact_first_published_index(predicate))  # hub timelines' undated facts
    return statements


def apply_schema(conn: GraphConnection) -> list[str]:
    """Create every constraint and index; harmless when they already exist (also under a concurrent run)."""
    applied: list[str] = []
    for statement in schema_statements():
        try:
            conn.run(statement)
        except GraphQueryError as exc:
            if "EquivalentSchemaRuleAlreadyExists" not in (exc.code or ""):
                raise
            log.debug("schema rule already there: %s", statement)
        applied.append(statement)
    conn.run(cypher.AWAIT_INDEXES, {"seconds": INDEX_WAIT_SECONDS})
    return applied
