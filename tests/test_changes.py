"""The change feed on a real Neo4j: a follower that applies the feed to an empty copy ends with the graph's fact set
while articles are written, edited, re-read by a new extractor version and retracted; rolled-back transactions
record nothing; prunes make old positions answer "gone"."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest
from time_graphs import ADA, DEEPMIND, OPENAI, ZETA, timeline_article
from typer.testing import CliRunner

from kg.cli.main import app
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter
from kg.store.change_feed import FeedPositionGone, feed_state, prune_changes, read_changes
from kg.store.changes import properties_json, record_fact_changes
from kg.store.writer import _prepare

GRAPH_FACTS = """
MATCH (s:Entity)-[r]->(o:Entity)
RETURN r.id AS id, type(r) AS predicate, s.id AS subjectId, o.id AS objectId, properties(r) AS properties
"""

FactCopy = dict[str, tuple[str | None, str | None, str | None, dict[str, Any]]]

# article id -> (publication day, facts as (subject, predicate, object, date, sentence, role))
STEPS: dict[str, tuple[str, list[tuple[Entity, str, Entity, str | None, str, str | None]]]] = {
    "works": ("2019-01-01", [(ADA, "WORKS_FOR", OPENAI, None, "Ada Lovelace works for OpenAI.", "engineer")]),
    "joined": ("2018-03-20", [(ADA, "JOINED", OPENAI, "2018-03", "She joined OpenAI in March.", "engineer"),
                              (ADA, "LEFT", DEEPMIND, "2018-02", "Ada Lovelace left DeepMind in February.", None)]),
    "undated": ("2020-02-01", [(ADA, "JOINED", ZETA, None, "Ada Lovelace joined Zeta.", None)]),
    "dated": ("2020-03-01", [(ADA, "JOINED", ZETA, "2020-02", "Ada Lovelace joined Zeta in February.", "advisor")]),
    "hired": ("2021-05-30", [(ADA, "HIRED_FROM", OPENAI, "2021-05", "Zeta hired Ada Lovelace from OpenAI.", None)]),
}


def article(article_id: str, edit: int | None = None) -> ArticleExtraction:
    """A step of STEPS; `edit` keeps only that fact (an edited version of the article)."""
    published, facts = STEPS[article_id]
    return timeline_article(article_id, published, facts if edit is None else [facts[edit]])


def graph_facts(graph: GraphConnection) -> FactCopy:
    return {r["id"]: (r["predicate"], r["subjectId"], r["objectId"], json.loads(properties_json(r["properties"])))
            for r in graph.read(GRAPH_FACTS)}


class Follower:
    """Applies the feed to a copy, a few changes per read, from its own thread, until told to stop."""

    def __init__(self, graph: GraphConnection, page_size: int = 3) -> None:
        self.graph, self.page_size = graph, page_size
        self.copy: FactCopy = {}
        self.position: int | None = None
        self.seen: list[int] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run)

    def catch_up(self) -> None:
        while True:
            page = read_changes(self.graph, self.position, self.page_size)
            for change in page.changes:
                self.seen.append(change.seq)
                if change.kind == "removed":
                    self.copy.pop(change.fact_id, None)
                else:
                    assert change.properties is not None
                    self.copy[change.fact_id] = (change.predicate, change.subject_id, change.object_id,
                                                 change.properties)
            self.position = page.position
            if not page.changes:
                return

    def _run(self) -> None:
        while not self.stop.is_set():
            self.catch_up()
            self.stop.wait(0.01)

    def __enter__(self) -> Follower:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.catch_up()


def test_following_the_feed_rebuilds_the_fact_set(graph: GraphConnection) -> None:
    writer, newer = GraphWriter(graph, extractor_version="v1"), GraphWriter(graph, extractor_version="v2")
    with Follower(graph) as follower:
        writer.write_batch([article("works"), article("joined")])
        writer.write(article("undated"))
        writer.write(article("dated"))  # the undated JOINED Zeta folds into the dated one
        writer.write(article("hired"))  # closes WORKS_FOR OpenAI: its periods change, not its evidence
        writer.write(article("joined", edit=0))  # edited: the LEFT fact goes
        newer.write_all([article(a) for a in STEPS])  # a new extractor version reads everything again
        newer.retract(["dated"])  # the Zeta fact gets its undated id back
        newer.retract(["hired"])
    assert follower.copy == graph_facts(graph)
    assert len(follower.copy) == 4
    assert follower.seen == list(range(1, len(follower.seen) + 1))  # commit order, no gap, nothing twice
    kinds = {c.kind for c in read_changes(graph, None, 1000).changes}
    assert kinds == {"added", "updated", "removed"}


def test_each_change_says_what_happened_with_the_fact_as_committed(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, extractor_version="v1")
    writer.write(article("undated"))
    first = read_changes(graph, None, 10)
    [added] = first.changes
    assert (added.kind, added.predicate, added.subject_id, added.object_id, added.cause) == (
        "added", "JOINED", ADA.id, ZETA.id, "ingest")
    assert added.properties is not None and added.properties["evidenceCount"] == 1
    assert dt.datetime.fromisoformat(added.at).tzinfo is not None, added.at  # ISO 8601 with its zone (UTC)
    writer.write(article("dated"))
    folded = read_changes(graph, first.position, 10).changes
    assert [(c.kind, c.fact_id == added.fact_id) for c in folded] == [("removed", True), ("added", False)]
    assert folded[0].predicate == "JOINED" and folded[0].properties is None
    assert folded[1].properties is not None and folded[1].properties["evidenceCount"] == 2
    assert folded[1].properties["dateStart"] == "2020-02-01"


def test_writing_the_same_articles_again_records_nothing(graph: GraphConnection) -> None:
    GraphWriter(graph, extractor_version="v1").write_all([article(a) for a in STEPS])
    last = feed_state(graph).last
    GraphWriter(graph, extractor_version="v1").write_all([article(a) for a in STEPS])  # unchanged: skipped
    GraphWriter(graph, extractor_version="v2").write_all([article(a) for a in STEPS])  # same facts, new version
    assert feed_state(graph).last == last


def test_a_rolled_back_transaction_records_nothing(graph: GraphConnection) -> None:
    GraphWriter(graph).write(article("works"))
    state = feed_state(graph)
    writer = GraphWriter(graph)

    def fails_after_writing(tx: Any) -> None:
        writer._write_transaction(tx, [_prepare(article("joined"))])
        raise RuntimeError("fails before commit")

    with pytest.raises(RuntimeError):
        graph.write(fails_after_writing)
    assert feed_state(graph) == state
    assert graph.read("MATCH (c:FactChange) RETURN count(c) AS n")[0]["n"] == state.last
    GraphWriter(graph).write(article("joined"))  # the next numbers follow on
    assert [c.seq for c in read_changes(graph, state.last, 10).changes] == list(range(state.last + 1,
                                                                                      state.last + 4))


def test_concurrent_writers_get_distinct_numbers_in_commit_order(graph: GraphConnection) -> None:
    def write(index: int) -> None:
        text = f"Ada Lovelace joined Org {index}."
        extraction = ArticleExtraction(
            Article(id=f"c-{index}", text=text, published="2020-01-01", lang="en", source="wire"),
            facts=[Fact(ADA, "JOINED", Entity.named(f"Org {index}", "Organization"), Qualifiers(),
                        [Evidence(f"c-{index}", text, 0, len(text), "test", 0.9)])])
        GraphWriter(graph).write(extraction)

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    changes = read_changes(graph, None, 100).changes
    assert [c.seq for c in changes] == list(range(1, 9))
    assert len({c.fact_id for c in changes}) == 8


def test_record_fact_changes_by_id_reads_the_graph_at_the_end(graph: GraphConnection) -> None:
    GraphWriter(graph).write(article("works"))
    [fact_id] = graph_facts(graph)
    position = feed_state(graph).last

    def curate(tx: Any) -> int:
        tx.run("MATCH ()-[r:WORKS_FOR {id: $id}]->() SET r.role = 'curated'", id=fact_id)
        return record_fact_changes(tx, updated=[fact_id], removed=["never-seen"], cause="curation")

    assert graph.write(curate) == 2
    unknown, change = read_changes(graph, position, 10).changes  # removals first
    # a fact the feed never saw (it may predate the feed) is still reported removed, by id only
    assert (unknown.kind, unknown.fact_id, unknown.predicate, unknown.subject_id) == ("removed", "never-seen", None,
                                                                                      None)
    assert (change.kind, change.cause, change.predicate) == ("updated", "curation", "WORKS_FOR")
    assert change.properties is not None and change.properties["role"] == "curated"

    def remove(tx: Any) -> int:
        tx.run("MATCH (ev:Evidence {factId: $id}) DETACH DELETE ev", id=fact_id)
        tx.run("MATCH ()-[r:WORKS_FOR {id: $id}]->() DELETE r", id=fact_id)
        return record_fact_changes(tx, removed=[fact_id], cause="curation")

    assert graph.write(remove) == 1
    [gone] = read_changes(graph, change.seq, 10).changes
    assert (gone.kind, gone.predicate, gone.subject_id, gone.object_id) == ("removed", "WORKS_FOR", ADA.id,
                                                                            OPENAI.id)


def test_prune_makes_older_positions_gone_and_keeps_the_rest(graph: GraphConnection) -> None:
    writer = GraphWriter(graph)
    writer.write(article("works"))
    writer.write(article("joined"))
    assert prune_changes(graph, dt.timedelta(days=1)).deleted == 0  # nothing that old
    kept_from = feed_state(graph).last
    result = prune_changes(graph, dt.timedelta(seconds=0))
    assert result.deleted == kept_from and result.pruned_through == kept_from
    with pytest.raises(FeedPositionGone, match="older than"):
        read_changes(graph, 0, 10)
    assert read_changes(graph, None, 10).changes == []  # the window starts after the prune
    writer.write(article("undated"))
    assert [c.seq for c in read_changes(graph, None, 10).changes] == [kept_from + 1]
    with pytest.raises(FeedPositionGone, match="after the last change"):
        read_changes(graph, kept_from + 50, 10)


@pytest.mark.usefixtures("neo4j_env")
def test_cli_status_and_prune(graph: GraphConnection) -> None:
    GraphWriter(graph).write(article("works"))
    runner = CliRunner()
    status = runner.invoke(app, ["changes", "status"])
    assert status.exit_code == 0 and "last change: 1; kept: changes after 0 (1 change(s))" in status.output
    kept = runner.invoke(app, ["changes", "prune"])  # the default window (30 days) keeps today's change
    assert kept.exit_code == 0 and "0 change(s) older than 30 day(s) removed" in kept.output
    pruned = runner.invoke(app, ["changes", "prune", "--older-than-days", "0"])
    assert pruned.exit_code == 0 and "1 change(s) older than 0 day(s) removed; cursors up to 1" in pruned.output
    assert feed_state(graph).pruned_through == 1
