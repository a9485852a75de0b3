"""The writer writes only what changed (issue 19): validity intervals that come out as stored are not rewritten,
and an article re-read by a new extractor version that finds exactly what is stored is left as it is (only its
version is written, no change is recorded). A test-only `TEST_MARK` self-loop on a node tells whether the node
survived a write: a deleted and recreated node comes back without it."""

from __future__ import annotations

from dataclasses import replace

from graph_snapshots import snapshot

from kg.model import ArticleExtraction, Qualifiers
from kg.store import GraphConnection, GraphWriter
from kg.store.change_feed import feed_state, read_changes
from kg.store.migration import derive_all_intervals
from kg.store.time_writes import interval_difference
from tests.time_graphs import ADA, DEEPMIND, OPENAI, timeline_article, write_timeline

MARK = "MATCH (n:{label}) WHERE {where} MERGE (n)-[:TEST_MARK]->(n)"
MARKED = "MATCH (n:{label})-[:TEST_MARK]->(n) RETURN n.id AS id ORDER BY id"


def mark(graph: GraphConnection, label: str, where: str = "true") -> list[str]:
    graph.run(MARK.format(label=label, where=where))
    return marked(graph, label)


def marked(graph: GraphConnection, label: str) -> list[str]:
    return [r["id"] for r in graph.run(MARKED.format(label=label))]


def unmark(graph: GraphConnection) -> None:
    graph.run("MATCH ()-[m:TEST_MARK]->() DELETE m")



def intervals(graph: GraphConnection) -> list[str]:
    return sorted(str(sorted(r["i"].items())) for r in graph.run("MATCH (i:Interval) RETURN i {.*} AS i"))


def test_interval_difference_keeps_equal_intervals_and_replaces_changed_ones() -> None:
    kept = {"scopeId": "p", "id": "i1", "state": "WORKS_FOR", "validTo": None, "openedBy": ["f1"]}
    changed = {"scopeId": "p", "id": "i2", "state": "WORKS_FOR", "openedBy": ["f2"]}
    gone = {"scopeId": "p", "id": "i3", "state": "WORKS_FOR"}
    new = {"scopeId": "p", "id": "i4", "state": "WORKS_FOR"}
    stored = [{k: v for k, v in kept.items() if v is not None}, changed, gone]  # Neo4j keeps no null property
    stale, fresh = interval_difference(stored, [kept, {**changed, "openedBy": ["f2", "f5"]}, new])
    assert stale == [{"scopeId": "p", "id": "i2"}, {"scopeId": "p", "id": "i3"}]
    assert [row["id"] for row in fresh] == ["i2", "i4"]


def test_a_write_that_moves_no_period_leaves_the_intervals_in_place(graph: GraphConnection) -> None:
    write_timeline(graph)
    before = intervals(graph)
    ada = mark(graph, "Interval", f"n.scopeId = '{ADA.id}'")
    assert len(ada) == 3
    writer = GraphWriter(graph, extractor_version="test")
    # an undated LEFT of OpenAI: Ada's scope is derived again, and bounds nothing
    writer.write(timeline_article("u-1", "2022-01-01", [(ADA, "LEFT", OPENAI, None, "Ada left OpenAI.", None)]))
    assert marked(graph, "Interval") == ada
    assert intervals(graph) == before
    # a dated LEFT of OpenAI a month before the HIRED_FROM: only the OpenAI period changes
    writer.write(timeline_article("u-2", "2021-04-30", [(ADA, "LEFT", OPENAI, "2021-04", "Ada left OpenAI in April.",
                                                         None)]))
    unchanged = [r["id"] for r in graph.run("MATCH (i:Interval {scopeId: $ada}) WHERE i.objectId <> $openai "
                                            "RETURN i.id AS id ORDER BY id", {"ada": ADA.id, "openai": OPENAI.id})]
    assert marked(graph, "Interval") == unchanged and len(unchanged) == 2
    unmark(graph)
    written = intervals(graph)
    assert written != before
    graph.run("MATCH (i:Interval) DETACH DELETE i")
    derive_all_intervals(graph)  # from scratch: the difference written is the whole truth
    assert intervals(graph) == written


def test_a_new_extractor_version_that_reads_the_same_evidence_rewrites_nothing(graph: GraphConnection) -> None:
    extractions = write_timeline(graph)
    stored = snapshot(graph)
    evidence = mark(graph, "Evidence")
    last = feed_state(graph).last
    result = GraphWriter(graph, extractor_version="test-2").write_batch(extractions)
    assert (result.articles_written, result.facts_written) == (6, 8)
    assert marked(graph, "Evidence") == evidence  # not one piece deleted and created again
    assert feed_state(graph).last == last
    unmark(graph)
    versions = graph.run("MATCH (a:Article) RETURN collect(DISTINCT a.extractorVersion) AS v")[0]["v"]
    assert versions == ["test-2"]
    graph.run("MATCH (a:Article) SET a.extractorVersion = 'test'")
    assert snapshot(graph) == stored


def test_an_article_read_differently_by_the_new_version_is_rewritten(graph: GraphConnection) -> None:
    extractions = write_timeline(graph)
    mark(graph, "Evidence")
    last = feed_state(graph).last
    first = extractions[1]  # t-2015: Ada joined DeepMind, as a researcher
    reread = ArticleExtraction(first.article, facts=[replace(first.facts[0], qualifiers=Qualifiers(
        date="2015-06", role="research scientist"))])
    GraphWriter(graph, extractor_version="test-2").write_batch([reread, *extractions[2:]])
    kept = graph.run("MATCH (ev:Evidence)-[:TEST_MARK]->(ev) RETURN collect(DISTINCT ev.articleId) AS a")[0]["a"]
    assert sorted(kept) == sorted(e.article.id for e in extractions if e.article.id != "t-2015")
    role = graph.run("MATCH (:Entity {id: $ada})-[r:JOINED {dateStart: date('2015-06-01')}]->(:Entity {id: $dm}) "
                     "RETURN r.role AS role", {"ada": ADA.id, "dm": DEEPMIND.id})
    assert [r["role"] for r in role] == ["research scientist"]
    recorded = read_changes(graph, last, 100).changes
    assert [(c.kind, c.predicate) for c in recorded if c.predicate == "JOINED"] == [("updated", "JOINED")]
