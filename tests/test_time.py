"""Time-aware facts on a real Neo4j: native dates, event identity, each interval rule, as-of answers on a hand-made
timeline, retraction, and the migration of a graph written before all this."""

from __future__ import annotations

import datetime as dt

from graph_snapshots import snapshot
from time_graphs import ACME, ADA, DEEPMIND, GOOGLE, OMEGA, OPENAI, ZETA, timeline_article, write_timeline

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter, reader
from kg.store.migration import migrate

LAWYERS = Entity.named("Oracle", "Organization", kind="company")
DEFENDANT = Entity.named("Google", "Organization", kind="company")


def one(art: Article, subject: Entity, predicate: str, obj: Entity, date: str | None, sentence: str) -> Fact:
    start = art.text.index(sentence)
    return Fact(subject, predicate, obj, Qualifiers(date=date),
                [Evidence(art.id, sentence, start, start + len(sentence), "test", 0.9)])


def write_one(graph: GraphConnection, article_id: str, published: str, subject: Entity, predicate: str,
              obj: Entity, date: str | None, sentence: str) -> None:
    art = Article(article_id, sentence, published=published, lang="en", source="wire")
    GraphWriter(graph, "test").write(ArticleExtraction(art, facts=[one(art, subject, predicate, obj, date, sentence)]))


def intervals(graph: GraphConnection, state: str, subject: Entity, obj: Entity) -> list[dict]:
    rows = graph.run("MATCH (i:Interval {state: $state, subjectId: $s, objectId: $o}) RETURN i {.*} AS i "
                     "ORDER BY i.validFrom", {"state": state, "s": subject.id, "o": obj.id})
    return [r["i"] for r in rows]


def spans(graph: GraphConnection, state: str, subject: Entity, obj: Entity) -> list[tuple]:
    return [(i.get("validFromDate"), i.get("validToDate")) for i in intervals(graph, state, subject, obj)]


# ------------------------------------------------------------------------------------------------ native dates
def test_dates_are_native_and_comparable_in_cypher(graph: GraphConnection) -> None:
    write_one(graph, "d1", "2023-04-02", ADA, "JOINED", OPENAI, "2023-03", "Ada Lovelace joined OpenAI in March.")
    write_one(graph, "d2", "2019-01-02", ADA, "LEFT", DEEPMIND, "2018", "Ada Lovelace left DeepMind in 2018.")
    rows = graph.run("MATCH (:Person)-[r]->(o) WHERE r.dateStart >= date('2020-01-01') "
                     "RETURN o.name AS o, r.dateStart AS s, r.dateEnd AS e, r.date AS d, r.datePrecision AS p")
    assert [(r["o"], r["s"].to_native(), r["e"].to_native(), r["d"], r["p"]) for r in rows] == [
        ("OpenAI", dt.date(2023, 3, 1), dt.date(2023, 3, 31), "2023-03", "month")]
    ev = graph.run("MATCH (ev:Evidence {articleId: 'd2'}) RETURN ev.dateStart AS s, ev.dateEnd AS e")[0]
    assert (ev["s"].to_native(), ev["e"].to_native()) == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    first = graph.run("MATCH ()-[r:LEFT]->() RETURN r.firstPublishedOn AS f")[0]["f"]
    assert first.to_native() == dt.date(2019, 1, 2)


# ------------------------------------------------------------------------------------------------ event identity
def test_same_pair_years_apart_gives_distinct_events(graph: GraphConnection) -> None:
    write_one(graph, "s1", "2004-06-01", LAWYERS, "SUED", DEFENDANT, "2004", "Oracle sued Google in 2004.")
    write_one(graph, "s2", "2020-06-01", LAWYERS, "SUED", DEFENDANT, "2020-05", "Oracle sued Google in May 2020.")
    rows = graph.run("MATCH ()-[r:SUED]->() RETURN r.date AS d, r.evidenceCount AS n ORDER BY d")
    assert [(r["d"], r["n"]) for r in rows] == [("2004", 1), ("2020-05", 1)]


def test_same_event_at_more_or_less_precision_is_one_fact(graph: GraphConnection) -> None:
    write_one(graph, "p1", "2023-12-01", LAWYERS, "SUED", DEFENDANT, "2023", "Oracle sued Google in 2023.")
    write_one(graph, "p2", "2023-04-01", LAWYERS, "SUED", DEFENDANT, "2023-03", "Oracle sued Google in March.")
    write_one(graph, "p3", "2023-05-01", LAWYERS, "SUED", DEFENDANT, None, "Oracle has sued Google.")
    rows = graph.run("MATCH ()-[r:SUED]->() RETURN r.date AS d, r.evidenceCount AS n, r.firstPublished AS f")
    assert [(r["d"], r["n"], r["f"]) for r in rows] == [("2023-03", 3, "2023-04-01")]


def test_undated_report_stays_apart_when_two_dated_events_could_be_meant(graph: GraphConnection) -> None:
    write_one(graph, "u1", "2004-06-01", LAWYERS, "SUED", DEFENDANT, "2004", "Oracle sued Google in 2004.")
    write_one(graph, "u2", "2020-06-01", LAWYERS, "SUED", DEFENDANT, "2020", "Oracle sued Google in 2020.")
    write_one(graph, "u3", "2021-06-01", LAWYERS, "SUED", DEFENDANT, None, "Oracle has sued Google.")
    assert graph.run("MATCH ()-[r:SUED]->() RETURN count(r) AS n")[0]["n"] == 3


# ------------------------------------------------------------------------------------------------ interval rules
def test_joined_opens_left_closes_and_a_rejoin_opens_a_new_period(graph: GraphConnection) -> None:
    write_timeline(graph)
    assert spans(graph, "WORKS_FOR", ADA, DEEPMIND) == [("2015-06", "2018-02"), ("2021-05", None)]
    first = intervals(graph, "WORKS_FOR", ADA, DEEPMIND)[0]
    assert first["validFrom"].to_native() == dt.date(2015, 6, 1)
    assert first["validTo"].to_native() == dt.date(2018, 2, 28)
    assert first["role"] == "researcher" and len(first["openEvidence"]) == 1 and len(first["closeEvidence"]) == 1


def test_hired_from_closes_the_old_employment(graph: GraphConnection) -> None:
    write_timeline(graph)
    assert spans(graph, "WORKS_FOR", ADA, OPENAI) == [("2018-03", "2021-05")]


def test_acquired_opens_owns_and_subsidiary_of(graph: GraphConnection) -> None:
    write_timeline(graph)
    assert spans(graph, "OWNS", GOOGLE, DEEPMIND) == [("2014-01", None)]
    assert spans(graph, "SUBSIDIARY_OF", DEEPMIND, GOOGLE) == [("2014-01", None)]


def test_a_later_acquisition_by_another_buyer_closes_the_previous_ownership(graph: GraphConnection) -> None:
    write_timeline(graph)
    assert spans(graph, "OWNS", ZETA, ACME) == [("2012", "2019-08")]
    assert spans(graph, "OWNS", OMEGA, ACME) == [("2019-08", None)]
    assert spans(graph, "SUBSIDIARY_OF", ACME, ZETA) == [("2012", "2019-08")]


def test_conflicting_starts_are_kept_side_by_side(graph: GraphConnection) -> None:
    write_one(graph, "c1", "2016-01-01", ADA, "JOINED", OPENAI, "2015-12", "Ada Lovelace joined OpenAI in December.")
    write_one(graph, "c2", "2016-02-01", ADA, "WORKS_FOR", OPENAI, "2016-01", "Ada Lovelace works for OpenAI.")
    [period] = intervals(graph, "WORKS_FOR", ADA, OPENAI)
    assert period["fromCandidates"] == ["2015-12", "2016-01"] and period["validFromDate"] == "2015-12"
    assert period.get("validTo") is None


def test_a_departure_with_no_known_start_ends_a_period_of_unknown_start(graph: GraphConnection) -> None:
    write_one(graph, "l1", "2018-03-01", ADA, "LEFT", DEEPMIND, "2018-02", "Ada Lovelace left DeepMind.")
    assert spans(graph, "WORKS_FOR", ADA, DEEPMIND) == [(None, "2018-02")]


def test_undated_events_bound_nothing(graph: GraphConnection) -> None:
    write_one(graph, "n1", "2018-03-01", ADA, "JOINED", DEEPMIND, None, "Ada Lovelace joined DeepMind.")
    assert intervals(graph, "WORKS_FOR", ADA, DEEPMIND) == []


# ------------------------------------------------------------------------------------------------ as of
def state_at(graph: GraphConnection, entity: Entity, as_of: str) -> set[tuple[str, str, str]]:
    return {(p.state, p.role, p.counterpart.name) for p in reader.entity_state(graph, entity.id, as_of)}


def test_state_as_of_answers_the_hand_made_timeline(graph: GraphConnection) -> None:
    write_timeline(graph)
    assert state_at(graph, ADA, "2014") == set()
    assert state_at(graph, ADA, "2016-07") == {("WORKS_FOR", "subject", "DeepMind")}
    assert state_at(graph, ADA, "2019-01-15") == {("WORKS_FOR", "subject", "OpenAI")}
    assert state_at(graph, ADA, "2022") == {("WORKS_FOR", "subject", "DeepMind")}
    assert state_at(graph, ACME, "2015") == {("OWNS", "object", "Zeta"), ("SUBSIDIARY_OF", "subject", "Zeta")}
    assert state_at(graph, ACME, "2020") == {("OWNS", "object", "Omega"), ("SUBSIDIARY_OF", "subject", "Omega")}
    assert state_at(graph, GOOGLE, "2013") == set()
    assert state_at(graph, GOOGLE, "2016") == {("OWNS", "subject", "DeepMind"),
                                               ("SUBSIDIARY_OF", "object", "DeepMind")}
    [period] = reader.entity_state(graph, ADA.id, "2019")
    assert period.job_role == "engineer" and {e.article_id for e in period.evidence} == {"t-2018", "t-2021"}


def test_timeline_as_of_keeps_events_up_to_then(graph: GraphConnection) -> None:
    write_timeline(graph)
    page = reader.timeline(graph, ADA.id, as_of="2018-02")
    assert [(e.fact.predicate, e.counterpart.name) for e in page.items] == [("JOINED", "DeepMind"),
                                                                            ("LEFT", "DeepMind")]
    everything = reader.timeline(graph, ADA.id)
    assert len(everything.items) == 5
    facts = reader.find_facts(graph, "ACQUIRED", object_id=ACME.id, as_of="2015")
    assert [f.subject.name for f in facts.items] == ["Zeta"]
    sub = reader.neighbourhood(graph, ADA.id, as_of="2016")
    assert sub is not None and {n.name for n in sub.nodes} == {"Ada Lovelace", "DeepMind"}


def test_a_state_fact_counts_as_of_a_date_while_one_of_its_periods_may_hold(graph: GraphConnection) -> None:
    write_timeline(graph)
    write_one(graph, "w1", "2024-01-01", ADA, "WORKS_FOR", OPENAI, None, "Ada Lovelace worked for OpenAI.")
    stored = graph.run("MATCH ()-[r:WORKS_FOR]->() RETURN r.validFrom AS f, r.validTo AS t")[0]
    assert [d.to_native() for d in stored["f"]] == [dt.date(2018, 3, 1)]
    assert [d.to_native() for d in stored["t"]] == [dt.date(2021, 5, 31)]
    works_for = lambda as_of: [e.counterpart.name for e in reader.timeline(  # noqa: E731
        graph, ADA.id, predicates=["WORKS_FOR"], as_of=as_of).items]
    assert works_for("2019") == ["OpenAI"] and works_for("2017") == [] and works_for("2023") == []
    GraphWriter(graph, "test").retract(["t-2018", "t-2021"])  # its periods go with their events
    stored = graph.run("MATCH ()-[r:WORKS_FOR]->() RETURN r.validFrom AS f")[0]
    assert stored["f"] is None and works_for("2023") == []  # reported in 2024 only
    assert works_for("2024") == ["OpenAI"]


# ------------------------------------------------------------------------------------------------ retraction
def test_retraction_removes_recomputes_is_idempotent_and_reingest_restores(graph: GraphConnection) -> None:
    extractions = write_timeline(graph)
    write_one(graph, "t-extra", "2014-02-01", GOOGLE, "ACQUIRED", DEEPMIND, "2014",
              "Google bought DeepMind in 2014.")
    before = snapshot(graph)
    writer = GraphWriter(graph, "test")
    # the 2021 article held the only evidence of the rejoin and of the HIRED_FROM: both go, intervals follow
    result = writer.retract(["t-2021"])
    assert result.articles_removed == 1 and result.facts_removed == 2
    assert spans(graph, "WORKS_FOR", ADA, OPENAI) == [("2018-03", None)]
    assert spans(graph, "WORKS_FOR", ADA, DEEPMIND) == [("2015-06", "2018-02")]
    # a fact that keeps other evidence is recomputed: count, first publication, date
    writer.retract(["t-2014"])
    acquired = graph.run("MATCH ()-[r:ACQUIRED]->(:Organization {id: $o}) RETURN r", {"o": DEEPMIND.id})[0]["r"]
    assert (acquired["evidenceCount"], acquired["firstPublished"], acquired["date"]) == (1, "2014-02-01", "2014")
    assert spans(graph, "OWNS", GOOGLE, DEEPMIND) == [("2014", None)]
    again = writer.retract(["t-2021", "t-2014"])
    assert (again.articles_removed, again.facts_removed, again.facts_recomputed) == (0, 0, 0)
    writer.write_batch([e for e in extractions if e.article.id in ("t-2021", "t-2014")])
    assert snapshot(graph) == before


def test_retract_by_source(graph: GraphConnection) -> None:
    write_timeline(graph)
    writer = GraphWriter(graph, "test")
    ids = writer.articles_from_source("timeline-wire")
    assert len(ids) == 6
    writer.retract(ids)
    counts = graph.run("MATCH (n) WHERE n:Article OR n:Evidence OR n:Interval RETURN count(n) AS n")[0]["n"]
    assert counts == 0 and graph.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == 0


# ------------------------------------------------------------------------------------------------ migration
def test_migration_brings_an_old_graph_up_to_date_idempotently(graph: GraphConnection) -> None:
    write_timeline(graph)
    write_one(graph, "m1", "2023-05-01", LAWYERS, "SUED", DEFENDANT, None, "Oracle has sued Google.")
    write_one(graph, "m2", "2023-06-01", LAWYERS, "SUED", DEFENDANT, "2023", "Oracle sued Google in 2023.")
    current = snapshot(graph)
    # the graph as the writer left it before time-aware facts: no native dates, no evidence ends, no intervals,
    # event ids without their year (the SUED evidence still split in two facts)
    graph.run("MATCH (i:Interval) DETACH DELETE i")
    graph.run("MATCH ()-[r]->() REMOVE r.dateStart, r.dateEnd, r.firstPublishedOn")
    graph.run("MATCH (ev:Evidence) REMOVE ev.dateStart, ev.dateEnd, ev.subjectId, ev.objectId")
    assert snapshot(graph) != current
    first = migrate(graph)
    assert first.facts_updated > 0 and first.intervals == 9
    assert snapshot(graph) == current
    second = migrate(graph)
    assert second.facts_updated == 0 and second.facts_rekeyed == 0
    assert snapshot(graph) == current


def test_migration_gives_old_dated_events_their_event_id(graph: GraphConnection) -> None:
    extraction = timeline_article("old", "2019-01-01", [(ADA, "LEFT", DEEPMIND, "2018", "Ada left DeepMind.", None)])
    GraphWriter(graph, "test").write(extraction)
    current = snapshot(graph)
    new_id = extraction.facts[0].id
    from kg.model import evidence_id, fact_id_for
    old_id = fact_id_for(ADA.id, "LEFT", DEEPMIND.id)
    ev = extraction.facts[0].evidence[0]
    graph.run("MATCH ()-[r {id: $new}]->() SET r.id = $old", {"new": new_id, "old": old_id})
    graph.run("MATCH (ev:Evidence) SET ev.factId = $old, ev.id = $evid",
              {"old": old_id, "evid": evidence_id(old_id, ev.article_id, ev.start, ev.end)})
    report = migrate(graph)
    assert report.facts_rekeyed == 1
    assert snapshot(graph) == current
