"""Candidate entities for cross-article resolution (ingest.resolution): stored entities whose name or alias contains
a term, with a few of their fact neighbours as context.

The blocking goes through the full-text index `entity_names` (names and aliases, `standard-folding`: case- and
accent-insensitive), so a lookup never scans the entities. Terms are plain folded words (`[a-z0-9]+`) or a word
prefix ending in `*` (`yugansk*`, which finds "Yuganskneftegaz" from "Yuganskneftegas"); anything else is refused
here rather than passed to Lucene's query parser. One query answers every term of an article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from kg.errors import KgError
from kg.store.connection import GraphConnection

CANDIDATES_PER_TERM = 25  # best-scored entities kept per term: enough for a surname or a common word
NEIGHBOURS_PER_ENTITY = 12  # fact neighbours returned as context for each candidate
_TERM = re.compile(r"^[a-z0-9]+\*?$")

# Lucene's own words, which a bare term must not be read as.
_LUCENE_OPERATORS = frozenset({"and", "or", "not", "to"})

ENTITIES_BY_TERMS = """
UNWIND $terms AS term
CALL db.index.fulltext.queryNodes('entity_names', term, {limit: $perTerm}) YIELD node
CALL (node) {
  OPTIONAL MATCH (node)--(n:Entity)
  WITH n LIMIT $neighbours
  RETURN [x IN collect(n.id) WHERE x IS NOT NULL] AS neighbourIds
}
RETURN term, node.id AS id, node.name AS name, node.type AS type, coalesce(node.aliases, []) AS aliases,
       node.wikidataId AS wikidataId, neighbourIds
"""


class LookupTermError(KgError):
    """A resolution lookup term is not a folded word or word prefix (a bug in the caller, not in the data)."""


@dataclass(frozen=True)
class StoredEntity:
    """An entity as stored, with the ids of up to `NEIGHBOURS_PER_ENTITY` entities it shares a fact with."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    wikidata_id: str | None
    neighbour_ids: frozenset[str]


def _lucene(term: str) -> str:
    if not _TERM.match(term):
        raise LookupTermError(f"Lookup term {term!r} is not a folded word or prefix ([a-z0-9]+, optionally '*'); "
                              "fold it with ingest.resolution.names before the lookup.")
    return f'"{term}"' if term in _LUCENE_OPERATORS else term


def entities_by_terms(conn: GraphConnection, terms: Sequence[str],
                      per_term: int = CANDIDATES_PER_TERM) -> dict[str, list[StoredEntity]]:
    """For each term, the stored entities whose name or alias has that word (or word prefix), best first; a term
    with no match maps to an empty list. The terms are the caller's blocking keys."""
    found: dict[str, list[StoredEntity]] = {term: [] for term in terms}
    if not terms:
        return found
    by_query = {_lucene(term): term for term in terms}
    rows = conn.read(ENTITIES_BY_TERMS, {"terms": list(by_query), "perTerm": per_term,
                                         "neighbours": NEIGHBOURS_PER_ENTITY})
    for row in rows:
        found[by_query[row["term"]]].append(StoredEntity(
            id=row["id"], name=row["name"], type=row["type"], aliases=tuple(row["aliases"]),
            wikidata_id=row["wikidataId"], neighbour_ids=frozenset(row["neighbourIds"])))
    return found
