"""Stated periods ("since 2018", "from 2015 to 2019") as interval bounds, on a real Neo4j: one test per rule of the
table in kg/intervals.py and docs/graph-model.md, plus conflicts, retraction and as-of answers."""

from __future__ import annotations

import datetime as dt

from test_time import intervals, spans, state_at, write_one
from time_graphs import ACME, ADA, DEEPMIND, OPENAI, ZETA

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter


def write_stated(graph: GraphConnection, article_id: str, subject: Entity, predicate: str, obj: Entity,
                 sentence: str, stated_from: str | None = None, stated_to: str | None = None,
                 date: str | None = None, role: str | None = None) -> str:
    """One article with one state fact whose evidence states a period; returns the stored evidence id."""
    article = Article(article_id, sentence, published="2024-01-15", lang="en", source="wire")
    evidence = Evidence(article_id, sentence, 0, len(sentence), "test", 0.9)
    fact = Fact(subject, predicate, obj, Qualifiers(date=date, role=role, stated_from=stated_from,
                                                    stated_to=stated_to), [evidence])
    result = GraphWriter(graph, "test").write(ArticleExtraction(article, facts=[fact]))
    assert result.refused == []
    return evidence.id_in(fact.id)


def test_a_stated_start_opens_the_state_with_the_evidence_that_states_it(graph: GraphConnection) -> None:
    ev = write_stated(graph, "a1", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace, CEO of OpenAI since 2018, spoke.",
                      stated_from="2018", role="ceo")
    [period] = intervals(graph, "WORKS_FOR", ADA, OPENAI)
    assert (period["validFromDate"], period["validFromPrecision"], period.get("validTo")) == ("2018", "year", None)
    assert period["validFrom"].to_native() == dt.date(2018, 1, 1)
    assert period["openEvidence"] == [ev] and period["role"] == "ceo"
    stored = graph.run("MATCH ()-[r:WORKS_FOR]->() RETURN r.statedFrom AS f, r.validFrom AS v")[0]
    assert stored["f"] == "2018" and [d.to_native() for d in stored["v"]] == [dt.date(2018, 1, 1)]


def test_a_stated_end_closes_the_state(graph: GraphConnection) -> None:
    ev = write_stated(graph, "a2", ADA, "WORKS_FOR", DEEPMIND, "Ada Lovelace worked at DeepMind until March 2020.",
                      stated_to="2020-03")
    [period] = intervals(graph, "WORKS_FOR", ADA, DEEPMIND)
    assert (period.get("validFrom"), period["validToDate"], period["validToPrecision"]) == (None, "2020-03", "month")
    assert period["validTo"].to_native() == dt.date(2020, 3, 31) and period["closeEvidence"] == [ev]


def test_a_stated_range_opens_and_closes_one_period(graph: GraphConnection) -> None:
    write_stated(graph, "a3", ACME, "SUBSIDIARY_OF", ZETA, "Acme was a subsidiary of Zeta from 2012 to 2019.",
                 stated_from="2012", stated_to="2019")
    assert spans(graph, "SUBSIDIARY_OF", ACME, ZETA) == [("2012", "2019")]
    assert state_at(graph, ACME, "2015") == {("SUBSIDIARY_OF", "subject", "Zeta")}
    assert state_at(graph, ACME, "2021") == set()


def test_conflicting_stated_starts_are_kept_side_by_side_each_with_its_evidence(graph: GraphConnection) -> None:
    first = write_stated(graph, "b1", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace has led OpenAI since 2017.",
                         stated_from="2017")
    second = write_stated(graph, "b2", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace, head of OpenAI since 2018.",
                          stated_from="2018")
    [period] = intervals(graph, "WORKS_FOR", ADA, OPENAI)
    assert period["fromCandidates"] == ["2017", "2018"] and period["validFromDate"] == "2017"
    assert period["openEvidence"] == sorted([first, second])


def test_a_stated_end_and_an_event_end_are_kept_side_by_side(graph: GraphConnection) -> None:
    write_one(graph, "e1", "2015-06-02", ADA, "JOINED", DEEPMIND, "2015", "Ada Lovelace joined DeepMind in 2015.")
    write_one(graph, "e2", "2021-02-02", ADA, "LEFT", DEEPMIND, "2021", "Ada Lovelace left DeepMind in 2021.")
    write_stated(graph, "e3", ADA, "WORKS_FOR", DEEPMIND, "Ada Lovelace was at DeepMind until 2020.",
                 stated_to="2020")
    [period] = intervals(graph, "WORKS_FOR", ADA, DEEPMIND)
    assert (period["validFromDate"], period["toCandidates"], period["validToDate"]) == ("2015", ["2020", "2021"],
                                                                                       "2020")
    assert len(period["closedBy"]) == 2 and len(period["closeEvidence"]) == 2


def test_a_state_date_that_is_its_stated_start_is_read_once(graph: GraphConnection) -> None:
    write_stated(graph, "o1", ZETA, "OWNS", ACME, "Zeta has owned Acme since 2012.", stated_from="2012",
                 date="2012")
    [period] = intervals(graph, "OWNS", ZETA, ACME)
    assert period["fromCandidates"] == ["2012"] and len(period["openEvidence"]) == 1


def test_a_stated_period_on_an_event_or_ending_before_it_starts_is_refused(graph: GraphConnection) -> None:
    article = Article("r1", "Ada Lovelace joined OpenAI in 2018.", lang="en")
    evidence = [Evidence("r1", article.text, 0, len(article.text), "test", 0.9)]
    on_event = Fact(ADA, "JOINED", OPENAI, Qualifiers(date="2018", stated_from="2018"), evidence)
    backwards = Fact(ADA, "WORKS_FOR", OPENAI, Qualifiers(stated_from="2019", stated_to="2015"), evidence)
    bad_date = Fact(ADA, "WORKS_FOR", DEEPMIND, Qualifiers(stated_to="2019-02-30"), evidence)
    result = GraphWriter(graph, "test").write(ArticleExtraction(article, facts=[on_event, backwards, bad_date]))
    reasons = " | ".join(r.reason for r in result.refused)
    assert len(result.refused) == 3 and "is an event" in reasons and "ends before it starts" in reasons
    assert "not a real calendar date" in reasons
    assert graph.run("MATCH ()-[r]->() RETURN count(r) AS n")[0]["n"] == 0


def test_retracting_the_article_that_states_a_bound_removes_that_bound(graph: GraphConnection) -> None:
    write_stated(graph, "x1", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace, CEO of OpenAI since 2018.",
                 stated_from="2018")
    write_stated(graph, "x2", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace led OpenAI until 2022.", stated_to="2022")
    assert spans(graph, "WORKS_FOR", ADA, OPENAI) == [("2018", "2022")]
    GraphWriter(graph, "test").retract(["x2"])
    assert spans(graph, "WORKS_FOR", ADA, OPENAI) == [("2018", None)]
    assert state_at(graph, ADA, "2030") == {("WORKS_FOR", "subject", "OpenAI")}


def test_a_stated_period_is_exported_typed_by_its_precision_and_conforms(graph: GraphConnection) -> None:
    from rdflib import RDF, XSD, Graph

    from kg.rdf import export_graph, validate_rdf
    from kg.vocabulary import TG

    write_stated(graph, "rdf1", ADA, "WORKS_FOR", OPENAI, "Ada Lovelace led OpenAI from March 2015 to 2019.",
                 stated_from="2015-03", stated_to="2019")
    rdf = Graph().parse(data=export_graph(graph, "turtle"), format="turtle")
    [fact] = rdf.subjects(RDF.type, TG.Fact)
    assert (rdf.value(fact, TG.statedFrom).datatype, rdf.value(fact, TG.statedTo).datatype) == (XSD.gYearMonth,
                                                                                                 XSD.gYear)
    [evidence] = rdf.objects(fact, TG.evidence)
    assert str(rdf.value(evidence, TG.statedFrom)) == "2015-03"
    report = validate_rdf(rdf)
    assert report.conforms, report.text()


def test_each_sale_ends_the_previous_owner_only_and_a_much_sold_target_stays_linear() -> None:
    import time

    from kg.intervals import EventRow, derive_intervals

    def sale(buyer: str, date: str) -> EventRow:
        return EventRow(f"f-{buyer}-{date}", "ACQUIRED", buyer, "t", date, (f"ev-{buyer}-{date}",))

    periods = derive_intervals([sale("a", "2010"), sale("b", "2012"), sale("a", "2015"), sale("c", "2015-06")])
    owns = sorted((p.subject_id, p.row()["validFromDate"], p.row()["validToDate"]) for p in periods
                  if p.state == "OWNS")
    assert owns == [("a", "2010", "2012"), ("a", "2015", "2015-06"), ("b", "2012", "2015"), ("c", "2015-06", None)]
    started = time.perf_counter()
    many = derive_intervals([sale(f"b{i:05d}", f"{1900 + i // 12}-{i % 12 + 1:02d}") for i in range(1200)])
    assert time.perf_counter() - started < 5  # 1,200 buyers: each period closed by the next sale only
    assert sum(1 for p in many if p.state == "OWNS" and p.row()["validTo"] is None) == 1
