"""The full N-Triples dump reads the graph in keyset pages, one short read transaction each (kg.store.paging), so
no transaction outlives the server's `db.transaction.timeout`; its output is the one the former single-transaction
stream wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rdflib.plugins.serializers.nt import _nt_row

from kg.errors import InputError
from kg.rdf import queries
from kg.rdf.export import (
    ExportOptions,
    Triple,
    article_triples,
    entity_triples,
    evidence_triples,
    extractor_triples,
    fact_triples,
    metadata_triples,
    stream_ntriples,
)
from kg.store import GraphConnection
from kg.store.paging import keyset_pages
from tests.test_rdf import build_gold_graph

ISSUED = "<http://purl.org/dc/terms/issued>"  # the export's timestamp: differs between two runs

# The former dump's queries: the whole graph in one transaction per kind, in the order Neo4j finds the records.
FORMER_QUERIES = ("MATCH (e:Entity) RETURN properties(e) AS e",
                  "MATCH (s:Entity)-[r]->(o:Entity) RETURN s.id AS subjectId, type(r) AS predicate, o.id AS objectId, "
                  "properties(r) AS r",
                  "MATCH (ev:Evidence) RETURN properties(ev) AS ev",
                  "MATCH (a:Article) RETURN properties(a) AS a")


class CountingConnection:
    """The real connection, counting its read transactions (each `read` is one auto-committed transaction)."""

    def __init__(self, conn: GraphConnection) -> None:
        self.conn, self.reads = conn, 0

    def read(self, query: str, parameters: dict[str, Any] | None = None) -> list[Any]:
        self.reads += 1
        return self.conn.read(query, parameters)


def former_triples(conn: GraphConnection, options: ExportOptions) -> Iterator[Triple]:
    """What `stream_ntriples` wrote before paging, kept here as the reference."""
    entities, facts, evidence, articles = (conn.read(q) for q in FORMER_QUERIES)
    base, extractors = options.base, set()
    for record in entities:
        yield from entity_triples(record["e"], base)
    for record in facts:
        yield from fact_triples(record.data(), base)
    for record in evidence:
        ev = record["ev"]
        if ev.get("extractor") and ev["extractor"] not in extractors:
            extractors.add(ev["extractor"])
            yield from extractor_triples(str(ev["extractor"]), base)
        yield from evidence_triples(ev, base)
    for record in articles:
        yield from article_triples(record["a"], options)


def without_timestamp(lines: list[str]) -> list[str]:
    return [line for line in lines if ISSUED not in line]


@pytest.fixture(scope="module")
def gold_graph(graph_connection: GraphConnection) -> GraphConnection:
    graph_connection.run("MATCH (n) DETACH DELETE n")
    build_gold_graph(graph_connection)
    return graph_connection


def test_the_paged_dump_writes_the_lines_the_single_transaction_dump_wrote(gold_graph: GraphConnection) -> None:
    options = ExportOptions()
    former = [_nt_row(t) for t in (*metadata_triples(options, "graph"), *former_triples(gold_graph, options))]
    paged = list(stream_ntriples(gold_graph, options))
    assert len(paged) > 1000  # the gold graph: entities, facts, evidence and articles
    assert sorted(without_timestamp(paged)) == sorted(without_timestamp(former))


@pytest.mark.parametrize("page_size", [1, 2])
def test_tiny_pages_give_the_same_dump_in_the_same_order(gold_graph: GraphConnection, page_size: int) -> None:
    counting = CountingConnection(gold_graph)
    default = without_timestamp(list(stream_ntriples(gold_graph)))
    tiny = without_timestamp(list(stream_ntriples(counting, page_size=page_size)))  # type: ignore[arg-type]
    assert tiny == default
    records = gold_graph.read("""CALL () { MATCH (e:Entity) RETURN count(e) AS n UNION ALL
                                           MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n UNION ALL
                                           MATCH (ev:Evidence) RETURN count(ev) AS n UNION ALL
                                           MATCH (a:Article) RETURN count(a) AS n }
                                 RETURN sum(n) AS n""")[0]["n"]
    assert counting.reads >= records // page_size  # one transaction per page, never one for the whole graph


def test_keyset_pages_return_every_row_once_in_key_order(graph: GraphConnection) -> None:
    graph.run("UNWIND range(1, 5) AS i CREATE (:Entity {id: 'e' + i, name: 'E' + i, type: 'Organization'})")
    counting = CountingConnection(graph)
    rows = [r["e"]["id"] for r in keyset_pages(counting, queries.PAGED_ENTITIES,  # type: ignore[arg-type]
                                                 lambda r: r["e"]["id"], page_size=2)]
    assert rows == ["e1", "e2", "e3", "e4", "e5"]
    assert counting.reads == 3  # pages of 2, 2 and 1: the short page ends it
    counting.reads = 0
    assert len(list(keyset_pages(counting, queries.PAGED_ENTITIES, lambda r: r["e"]["id"],  # type: ignore[arg-type]
                                 page_size=5))) == 5
    assert counting.reads == 2  # a full last page needs one more (empty) read to know it was the last


def test_a_page_size_below_one_is_refused(graph: GraphConnection) -> None:
    with pytest.raises(InputError, match="positive page size"):
        list(keyset_pages(graph, queries.PAGED_ENTITIES, lambda r: r["e"]["id"], page_size=0))
