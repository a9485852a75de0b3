"""Read queries over the graph, returning domain-shaped dicts."""

from __future__ import annotations

import re

from kg.model import fold
from kg.store import cypher
from kg.store.connection import GraphConnection

_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')


def fulltext_query(text: str) -> str | None:
    """A safe Lucene query from what a person typed: every term required, the last one as a prefix too."""
    terms = [t for t in re.split(r"[\s\-'’]+", fold(text)) if t]
    terms = [_LUCENE_SPECIAL.sub(r"\\\1", t) for t in terms]
    terms = [t for t in terms if t.strip("\\")]
    if not terms:
        return None
    *head, last = terms
    parts = [f"+{t}" for t in head] + [f"+({last} OR {last}*)"]
    return " ".join(parts)


def search_entities(conn: GraphConnection, text: str, type_name: str | None = None, limit: int = 20) -> list[dict]:
    query = fulltext_query(text)
    if query is None:
        return []
    records = conn.run(cypher.SEARCH_ENTITIES, {"query": query, "type": type_name, "limit": limit})
    return [record.data() for record in records]
