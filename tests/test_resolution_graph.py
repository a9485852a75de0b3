"""Resolution against a real Neo4j: the second article's extraction carries an EntityMerge to the entity the first
article stored, found through kg/store/entity_lookup.py (the full-text index), and KG_RESOLUTION=off turns it off."""

from __future__ import annotations

import pytest

from ingest.ingestion import ingest_articles
from kg.model import Article
from kg.store.connection import GraphConnection
from kg.store.entity_lookup import LookupTermError, entities_by_terms

FIRST = Article(id="res-first", text="Nortel Networks Corp. said on Monday that it had acquired Zenvia Systems.",
                lang="en", published="2004-03-01")
SECOND = Article(id="res-second", text="Nortel Networks said on Tuesday that it had acquired Zenvia Systems.",
                 lang="en", published="2004-03-02")


def test_second_article_is_linked_to_the_first_articles_entity(graph: GraphConnection) -> None:
    [first] = ingest_articles(graph, [FIRST])
    assert "organization:nortel-networks-corp" in {e.id for e in first.extraction.entities}
    assert first.extraction.merges == []  # nothing in the graph yet
    [second] = ingest_articles(graph, [SECOND])
    merges = {m.source_id: m for m in second.extraction.merges}
    assert "organization:nortel-networks" in {e.id for e in second.extraction.entities}  # ids are not rewritten
    merge = merges["organization:nortel-networks"]
    assert merge.target_id == "organization:nortel-networks-corp"
    assert merge.rule == "name-variant" and merge.by == "resolver" and merge.score >= 0.95
    assert set(merge.names) == {"Nortel Networks", "Nortel Networks Corp"}
    assert "organization:zenvia-systems" not in merges  # the same id in both articles: nothing to merge


def test_resolution_off_leaves_extractions_alone(graph: GraphConnection, monkeypatch: pytest.MonkeyPatch) -> None:
    ingest_articles(graph, [FIRST])
    monkeypatch.setenv("KG_RESOLUTION", "off")
    [second] = ingest_articles(graph, [SECOND])
    assert second.extraction.merges == []


def test_lookup_finds_by_word_and_prefix_with_neighbours(graph: GraphConnection) -> None:
    ingest_articles(graph, [FIRST])
    found = entities_by_terms(graph, ["nortel", "zenvi*", "nothingsuch"])
    assert [e.id for e in found["nortel"]] == ["organization:nortel-networks-corp"]
    assert found["nortel"][0].neighbour_ids == {"organization:zenvia-systems"}
    assert [e.id for e in found["zenvi*"]] == ["organization:zenvia-systems"]
    assert found["nothingsuch"] == []
    with pytest.raises(LookupTermError):
        entities_by_terms(graph, ["nortel OR *:*"])
