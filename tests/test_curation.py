"""Curation against a real Neo4j: each action, merge then split restoring the graph exactly, and curation that
survives re-ingestion with a new extractor version (docs/curation.md)."""

from __future__ import annotations

import pytest

from kg.curation.audit import read_log
from kg.curation.errors import CurationConflict, CurationNotFound
from kg.curation.service import Curator
from kg.errors import OntologyViolation
from kg.model import Article, ArticleExtraction, Entity, EntityMerge, Evidence, Fact, Qualifiers, fact_id_for
from kg.store import GraphConnection, GraphWriter, reader

MICROSOFT = Entity.named("Microsoft", "Organization", kind="company")
GIANT = Entity.named("Giant", "Organization")
GIANT_CO = Entity.named("Giant Company Software", "Organization", kind="company")
APPLE = Entity.named("Apple", "Organization", kind="company")
APPLE_TV = Entity.named("Apple TV", "Organization")
IBM = Entity.named("IBM", "Organization", kind="company")
MUSK = Entity.named("Elon Musk", "Person")
MUSK_SHORT = Entity.named("Musk", "Person")
TESLA = Entity.named("Tesla", "Organization", kind="company")

A1 = Article("a1", "Microsoft acquired Giant in December 2004. Giant partnered with IBM.", published="2004-12-20",
             lang="en")
A2 = Article("a2", "Microsoft bought Giant Company Software. Giant Company Software acquired Giant.",
             published="2004-12-21", lang="en")
A3 = Article("a3", "Musk joined Tesla in 2004. Apple owns Apple TV. Elon Musk left Tesla.", published="2020-01-02",
             lang="en")


def fact(art: Article, subject: Entity, predicate: str, obj: Entity, sentence: str, **qualifiers: object) -> Fact:
    start = art.text.index(sentence)
    return Fact(subject, predicate, obj, Qualifiers(**qualifiers),  # type: ignore[arg-type]
                [Evidence(art.id, sentence, start, start + len(sentence), "test-rule", 0.8)])


def extractions() -> list[ArticleExtraction]:
    return [
        ArticleExtraction(A1, facts=[
            fact(A1, MICROSOFT, "ACQUIRED", GIANT, "Microsoft acquired Giant in December 2004.", date="2004-12"),
            fact(A1, GIANT, "PARTNERED_WITH", IBM, "Giant partnered with IBM.")]),
        ArticleExtraction(A2, facts=[
            fact(A2, MICROSOFT, "ACQUIRED", GIANT_CO, "Microsoft bought Giant Company Software."),
            fact(A2, GIANT_CO, "ACQUIRED", GIANT, "Giant Company Software acquired Giant.")]),
        ArticleExtraction(A3, facts=[
            fact(A3, MUSK_SHORT, "JOINED", TESLA, "Musk joined Tesla in 2004.", date="2004"),
            fact(A3, APPLE, "OWNS", APPLE_TV, "Apple owns Apple TV."),
            fact(A3, MUSK, "LEFT", TESLA, "Elon Musk left Tesla.")]),
    ]


def ingest(graph: GraphConnection, version: str = "v1") -> None:
    GraphWriter(graph, version).write_batch(extractions())


def facts_graph(graph: GraphConnection) -> dict[str, list[str]]:
    """Entities, facts, evidence and intervals as stored (what a split must give back exactly)."""
    queries = {
        "entities": "MATCH (e:Entity) RETURN labels(e) AS l, properties(e) AS p ORDER BY e.id",
        "facts": "MATCH (s:Entity)-[r]->(o:Entity) RETURN s.id AS s, type(r) AS t, properties(r) AS p, o.id AS o "
                 "ORDER BY r.id",
        "evidence": "MATCH (ev:Evidence)-[:FROM_ARTICLE]->(a) RETURN properties(ev) AS p, a.id AS a ORDER BY ev.id",
        "intervals": "MATCH (i:Interval) RETURN properties(i) AS p ORDER BY i.scopeId, i.state, i.objectId",
    }
    return {name: [str(r.data()) for r in graph.run(query)] for name, query in queries.items()}


def acquired_ids(graph: GraphConnection) -> dict[tuple[str, str], int]:
    rows = graph.run("MATCH (s:Entity)-[r:ACQUIRED]->(o:Entity) RETURN s.id AS s, o.id AS o, r.evidenceCount AS n")
    return {(r["s"], r["o"]): r["n"] for r in rows}


def test_merge_moves_facts_onto_the_target_and_hides_the_merged_entity(graph: GraphConnection) -> None:
    ingest(graph)
    outcome = Curator(graph, "alice").merge(GIANT_CO.id, GIANT.id, "the same company")
    assert acquired_ids(graph) == {(MICROSOFT.id, GIANT_CO.id): 2}  # one deal, two reports
    assert reader.get_entity(graph, GIANT.id) is None
    assert [e.id for e in reader.search_entities(graph, "giant")] == [GIANT_CO.id]  # its name is now an alias
    detail = reader.get_entity(graph, GIANT_CO.id)
    assert detail is not None and "Giant" in detail.entity.aliases
    assert [(m.source_id, m.by, m.rule, m.why) for m in detail.merged] == [(GIANT.id, "alice", "curator",
                                                                            "the same company")]
    partner = graph.run("MATCH (:Entity {id: $id})-[r:PARTNERED_WITH]-(:Entity {id: $ibm}) RETURN r",
                        {"id": GIANT_CO.id, "ibm": IBM.id})
    assert len(partner) == 1
    # Giant Company Software acquired Giant: both ends are one entity now, the evidence is parked, not a fact
    assert graph.run("MATCH (e:Entity)-[r]->(e) RETURN r") == []
    parked = graph.run("MATCH (ev:ParkedEvidence) RETURN ev.parkedFor AS why, ev.subjectMention AS s")
    assert [(r["why"], r["s"]) for r in parked] == [("merged-ends", GIANT_CO.id)]
    assert reader.stats(graph).entities == 8  # nine extracted, one merged away
    assert outcome.entry.action == "merge" and outcome.changes.removed and outcome.changes.added


def test_merge_then_split_restores_facts_and_evidence_exactly(graph: GraphConnection) -> None:
    ingest(graph)
    curator = Curator(graph, "alice")
    curator.confirm(fact_id_for(GIANT.id, "PARTNERED_WITH", IBM.id), "checked")
    before = facts_graph(graph)
    curator.merge(GIANT_CO.id, GIANT.id, "same company")
    curator.merge(MUSK.id, MUSK_SHORT.id, "same person")
    assert facts_graph(graph) != before
    curator.split(MUSK.id, MUSK_SHORT.id, "not sure after all")
    curator.split(GIANT_CO.id, GIANT.id, "two companies: the parent and its product line")
    assert facts_graph(graph) == before
    assert graph.run("MATCH (n) WHERE n:ParkedEvidence OR n:MergedEntity RETURN n") == []
    assert reader.get_entity(graph, GIANT_CO.id).merged == []  # type: ignore[union-attr]


def test_split_of_what_was_not_merged_is_not_found(graph: GraphConnection) -> None:
    ingest(graph)
    with pytest.raises(CurationNotFound):
        Curator(graph, "bob").split(GIANT_CO.id, GIANT.id, "never merged")


def test_merge_refuses_itself_other_types_and_unknown_ids(graph: GraphConnection) -> None:
    ingest(graph)
    curator = Curator(graph, "bob")
    with pytest.raises(CurationConflict):
        curator.merge(GIANT.id, GIANT.id, "same")
    with pytest.raises(CurationConflict):
        curator.merge(TESLA.id, MUSK.id, "different types")
    with pytest.raises(CurationNotFound):
        curator.merge(TESLA.id, "organization:nope", "unknown")
    curator.merge(GIANT_CO.id, GIANT.id, "same")
    with pytest.raises(CurationNotFound, match="was merged into"):
        curator.merge(MICROSOFT.id, GIANT.id, "again")


def test_rejected_fact_leaves_reads_and_shows_with_include_rejected(graph: GraphConnection) -> None:
    ingest(graph)
    owns = fact_id_for(APPLE.id, "OWNS", APPLE_TV.id)
    curator = Curator(graph, "carol")
    curator.reject(owns, "Apple TV is a product line, not a company Apple owns")
    assert reader.get_fact(graph, owns) is None
    assert reader.find_facts(graph, subject=APPLE.id).items == []
    assert reader.timeline(graph, APPLE_TV.id).items == []
    shown = reader.find_facts(graph, subject=APPLE.id, include_rejected=True).items
    assert [(f.id, f.curation, len(f.evidence)) for f in shown] == [(owns, "rejected", 1)]
    with pytest.raises(CurationConflict):
        curator.reject(owns, "again")
    with pytest.raises(CurationConflict):
        curator.confirm(owns, "changed my mind")
    with pytest.raises(CurationNotFound):
        curator.reject("0" * 20, "no such fact")


def test_confirm_marks_the_fact(graph: GraphConnection) -> None:
    ingest(graph)
    joined = fact_id_for(MUSK_SHORT.id, "JOINED", TESLA.id, "2004")
    Curator(graph, "dave").confirm(joined, "checked the source")
    fact_view = reader.get_fact(graph, joined)
    assert fact_view is not None and fact_view.curation == "confirmed"


def test_entity_actions_and_their_log(graph: GraphConnection) -> None:
    ingest(graph)
    curator = Curator(graph, "erin")
    curator.rename(GIANT_CO.id, "Giant Company Software Inc.", "legal name")
    curator.alias(GIANT_CO.id, "GCS", "acronym in press")
    curator.wikidata(GIANT_CO.id, "Q1234", "looked up")
    curator.retype(APPLE_TV.id, "Product", "a device, not a company")
    entity = reader.get_entity_summary(graph, GIANT_CO.id)
    assert entity is not None and entity.name == "Giant Company Software Inc."
    assert {"Giant Company Software", "GCS"} <= set(entity.aliases) and entity.wikidata_id == "Q1234"
    tv = reader.get_entity_summary(graph, APPLE_TV.id)
    assert tv is not None and tv.type == "Product"
    assert graph.run("MATCH (e:Product {id: $id}) RETURN e", {"id": APPLE_TV.id})
    assert not graph.run("MATCH (e:Organization {id: $id}) RETURN e", {"id": APPLE_TV.id})
    with pytest.raises(OntologyViolation):
        curator.wikidata(GIANT_CO.id, "1234", "not a QID")
    with pytest.raises(OntologyViolation):
        curator.rename(GIANT_CO.id, "  ", "blank")
    with pytest.raises(CurationConflict, match="PARTNERED_WITH"):
        curator.retype(GIANT.id, "Product", "its partnership needs an organization")
    log = read_log(graph, entity_id=GIANT_CO.id)
    assert [e.action for e in log.entries] == ["wikidata", "alias", "rename"]
    assert all(e.by == "erin" for e in log.entries) and log.entries[0].why == "looked up"
    first = read_log(graph, limit=2)
    rest = read_log(graph, limit=10, after=first.next_after)
    assert [e.action for e in first.entries + rest.entries] == ["retype", "wikidata", "alias", "rename"]


def test_curation_survives_reingestion_with_a_new_extractor_version(graph: GraphConnection) -> None:
    """The round trip of issue 15: reject a fact and merge two entities, re-ingest the same articles with a new
    extractor version: the fact is still rejected, the entities still merged (and rename, retype stay)."""
    ingest(graph, "v1")
    curator = Curator(graph, "frank")
    owns = fact_id_for(APPLE.id, "OWNS", APPLE_TV.id)
    curator.reject(owns, "wrong")
    curator.merge(GIANT_CO.id, GIANT.id, "same company")
    curator.rename(MUSK.id, "Elon R. Musk", "full name")
    curator.retype(APPLE_TV.id, "Product", "a device")
    deal = fact_id_for(MICROSOFT.id, "ACQUIRED", GIANT_CO.id, "2004-12")  # the undated report joined the dated one
    curator.confirm(deal, "checked")
    after_curation = facts_graph(graph)
    result = GraphWriter(graph, "v2").write_batch(extractions())
    assert result.articles_written == 3 and result.refused == []
    assert facts_graph(graph) == after_curation
    assert reader.get_fact(graph, owns) is None
    assert reader.get_entity(graph, GIANT.id) is None
    assert acquired_ids(graph) == {(MICROSOFT.id, GIANT_CO.id): 2}
    confirmed = reader.get_fact(graph, deal)
    assert confirmed is not None and confirmed.curation == "confirmed" and confirmed.evidence_count == 2


def test_split_after_reingestion_puts_new_evidence_back_too(graph: GraphConnection) -> None:
    ingest(graph, "v1")
    before = facts_graph(graph)
    curator = Curator(graph, "gina")
    curator.merge(GIANT_CO.id, GIANT.id, "same company")
    GraphWriter(graph, "v2").write_batch(extractions())
    curator.split(GIANT_CO.id, GIANT.id, "not the same")
    assert facts_graph(graph) == before


def test_resolver_merges_are_applied_by_the_writer_and_never_redone_after_a_split(graph: GraphConnection) -> None:
    first, second, third = extractions()
    GraphWriter(graph, "v1").write_batch([first, third])  # Giant stored, with facts, before the resolver runs
    second.merges.append(EntityMerge(GIANT.id, GIANT_CO.id, ("Giant", "Giant Company Software"), 0.93, "prefix"))
    third.merges.append(EntityMerge(MUSK_SHORT.id, MUSK.id, ("Musk", "Elon Musk"), 0.97, "surname"))
    GraphWriter(graph, "v2").write_batch([second, third])
    assert acquired_ids(graph) == {(MICROSOFT.id, GIANT_CO.id): 2}
    merged = reader.get_entity(graph, MUSK.id)
    assert merged is not None and [(m.source_id, m.by, m.rule, m.score) for m in merged.merged] == [
        (MUSK_SHORT.id, "resolver", "surname", 0.97)]
    assert reader.get_entity(graph, MUSK_SHORT.id) is None
    Curator(graph, "hana").split(MUSK.id, MUSK_SHORT.id, "resolver was wrong")
    GraphWriter(graph, "v3").write_batch([third])  # the resolver says it again: the split stands
    assert reader.get_entity(graph, MUSK_SHORT.id) is not None
    assert [e.action for e in read_log(graph, entity_id=MUSK.id).entries] == ["split", "merge"]
