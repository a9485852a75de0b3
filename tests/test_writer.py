"""The graph model's merging rules, each against the real Neo4j, through GraphWriter."""

from __future__ import annotations

import logging

from graph_snapshots import snapshot

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter

MUSK = Entity.named("Elon Musk", "Person", aliases={"Musk"})
TWITTER = Entity.named("Twitter", "Organization", kind="company")
DEEPMIND = Entity.named("DeepMind", "Organization", kind="research_lab")
BABUSCHKIN = Entity.named("Igor Babuschkin", "Person")
GPU = Entity.named("GPU", "Product", kind="hardware")


def article(article_id: str, text: str, published: str | None = "2023-04-12") -> Article:
    return Article(id=article_id, text=text, published=published, lang="en")


def fact(art: Article, subject: Entity, predicate: str, obj: Entity, sentence: str | None = None,
         confidence: float = 0.8, **qualifiers) -> Fact:
    sentence = sentence or art.text
    start = art.text.index(sentence)
    return Fact(subject, predicate, obj, Qualifiers(**qualifiers),
                [Evidence(art.id, sentence, start, start + len(sentence), "test-rule", confidence)])


def counts(graph: GraphConnection) -> dict:
    record = graph.run("""
        CALL () { MATCH (e:Entity) RETURN count(e) AS entities }
        CALL () { MATCH (a:Article) RETURN count(a) AS articles }
        CALL () { MATCH (ev:Evidence) RETURN count(ev) AS evidence }
        CALL () { MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS facts }
        CALL () { MATCH (n) RETURN count(n) AS nodes }
        CALL () { MATCH ()-[r]->() RETURN count(r) AS relationships }
        RETURN entities, articles, evidence, facts, nodes, relationships""")[0]
    return record.data()



def test_same_fact_from_two_articles_is_one_fact_with_two_evidence(graph: GraphConnection) -> None:
    a1 = article("a1", "Igor Babuschkin left DeepMind to join Twitter.", "2023-04-01")
    a2 = article("a2", "Former DeepMind engineer Igor Babuschkin was hired by Twitter in March.", "2023-04-10")
    writer = GraphWriter(graph, "test-1")
    writer.write(ArticleExtraction(a1, facts=[fact(a1, BABUSCHKIN, "HIRED_FROM", DEEPMIND, confidence=0.7)]))
    writer.write(ArticleExtraction(a2, facts=[fact(a2, BABUSCHKIN, "HIRED_FROM", DEEPMIND, date="2023-03")]))
    rows = graph.run("MATCH (:Person {id: $p})-[r:HIRED_FROM]->(:Organization {id: $o}) RETURN r",
                     {"p": BABUSCHKIN.id, "o": DEEPMIND.id})
    assert len(rows) == 1
    r = rows[0]["r"]
    assert r["evidenceCount"] == 2
    assert r["firstPublished"] == "2023-04-01"
    assert r["date"] == "2023-03" and r["datePrecision"] == "month"  # the one article that dates it
    evidence = graph.run("MATCH (ev:Evidence {factId: $id})-[:FROM_ARTICLE]->(a:Article) RETURN a.id AS a",
                         {"id": r["id"]})
    assert sorted(e["a"] for e in evidence) == ["a1", "a2"]


def test_rewriting_an_unchanged_article_changes_nothing(graph: GraphConnection) -> None:
    a1 = article("a1", "Elon Musk's Twitter bought nearly 10,000 GPUs.")
    extraction = ArticleExtraction(a1, facts=[fact(a1, TWITTER, "PURCHASED", GPU, quantity=10000, approximate=True)])
    writer = GraphWriter(graph, "test-1")
    first = writer.write(extraction)
    before = snapshot(graph)
    second = writer.write(extraction)
    third = GraphWriter(graph, "test-1").write_batch([extraction, extraction])
    assert first.articles_written == 1 and first.facts_written == 1
    assert second.articles_unchanged == 1 and second.facts_written == 0
    assert third.articles_written == 0
    assert snapshot(graph) == before


def test_edited_article_replaces_its_evidence_and_drops_unsupported_facts(graph: GraphConnection) -> None:
    old = article("a1", "Igor Babuschkin left DeepMind. Twitter bought GPUs.")
    other = article("a2", "Twitter bought thousands of GPUs.")
    writer = GraphWriter(graph, "test-1")
    writer.write(ArticleExtraction(old, facts=[
        fact(old, BABUSCHKIN, "LEFT", DEEPMIND, "Igor Babuschkin left DeepMind."),
        fact(old, TWITTER, "PURCHASED", GPU, "Twitter bought GPUs.", quantity=5000)]))
    writer.write(ArticleExtraction(other, facts=[fact(other, TWITTER, "PURCHASED", GPU)]))
    edited = article("a1", "Twitter bought 10,000 GPUs last month.")
    result = writer.write(ArticleExtraction(edited, facts=[fact(edited, TWITTER, "PURCHASED", GPU, quantity=10000)]))
    assert result.articles_written == 1 and result.facts_removed == 1
    assert graph.run("MATCH ()-[r:LEFT]->() RETURN count(r) AS n")[0]["n"] == 0
    purchased = graph.run("MATCH ()-[r:PURCHASED]->() RETURN r")
    assert len(purchased) == 1
    assert purchased[0]["r"]["evidenceCount"] == 2
    assert purchased[0]["r"]["quantity"] == 10000  # the old 5000 went with the old evidence
    sentences = {r["s"] for r in graph.run("MATCH (ev:Evidence {articleId: 'a1'}) RETURN ev.sentence AS s")}
    assert sentences == {"Twitter bought 10,000 GPUs last month."}
    assert graph.run("MATCH (a:Article {id: 'a1'}) RETURN a.text AS t")[0]["t"] == edited.text


def test_entities_merge_on_id_and_keep_every_alias_in_every_language(graph: GraphConnection) -> None:
    a1 = article("a1", "The National Governors Association met Elon Musk.")
    a2 = Article(id="a2", text="L'Association nationale des gouverneurs a reçu Musk.", lang="fr")
    nga_en = Entity.named("National Governors Association", "Organization", kind="nonprofit")
    nga_fr = Entity(nga_en.id, "National Governors Association", "Organization",
                    aliases={"Association nationale des gouverneurs"}, wikidata_id="Q1369586")
    writer = GraphWriter(graph, "test-1")
    writer.write(ArticleExtraction(a1, entities=[nga_en, Entity.named("Elon Musk", "Person")]))
    writer.write(ArticleExtraction(a2, entities=[nga_fr, Entity(MUSK.id, "Elon Musk", "Person", aliases={"Musk"})]))
    rows = graph.run("MATCH (e:Entity) RETURN e.id AS id, e.name AS name, e.aliases AS aliases, e.kind AS kind, "
                     "e.wikidataId AS qid, labels(e) AS labels ORDER BY id")
    assert len(rows) == 2
    nga = next(r for r in rows if r["id"] == nga_en.id)
    assert set(nga["aliases"]) == {"National Governors Association", "Association nationale des gouverneurs"}
    assert nga["kind"] == "nonprofit" and nga["qid"] == "Q1369586"
    assert set(nga["labels"]) == {"Entity", "Organization"}
    musk = next(r for r in rows if r["id"] == MUSK.id)
    assert set(musk["aliases"]) == {"Elon Musk", "Musk"}


def test_entities_sharing_a_name_are_not_merged_across_types(graph: GraphConnection) -> None:
    a1 = article("a1", "Apple launched the Apple.")
    company = Entity.named("Apple", "Organization", kind="company")
    product = Entity.named("Apple", "Product", kind="hardware")
    GraphWriter(graph, "test-1").write(ArticleExtraction(a1, facts=[fact(a1, company, "LAUNCHED", product)]))
    rows = graph.run("MATCH (e:Entity {name: 'Apple'}) RETURN e.id AS id, e.type AS type, labels(e) AS labels")
    assert sorted((r["type"], sorted(r["labels"])) for r in rows) == [
        ("Organization", ["Entity", "Organization"]), ("Product", ["Entity", "Product"])]
    assert graph.run("MATCH (:Organization)-[r:LAUNCHED]->(:Product) RETURN count(r) AS n")[0]["n"] == 1


def test_an_id_already_stored_with_another_type_is_refused_not_retyped(graph: GraphConnection, caplog) -> None:
    a1 = article("a1", "Mercury bought GPUs.")
    a2 = article("a2", "Mercury joined Twitter.")
    org = Entity("kb:mercury", "Mercury", "Organization", kind="company")
    person = Entity("kb:mercury", "Mercury", "Person")
    writer = GraphWriter(graph, "test-1")
    writer.write(ArticleExtraction(a1, facts=[fact(a1, org, "PURCHASED", GPU)]))
    with caplog.at_level(logging.WARNING, logger="kg.store.writer"):
        result = writer.write(ArticleExtraction(a2, facts=[fact(a2, person, "JOINED", TWITTER)]))
    assert result.facts_written == 0
    assert any("stored as a Organization" in r.reason or "different type" in r.reason for r in result.refused)
    assert "kb:mercury" in caplog.text
    rows = graph.run("MATCH (e:Entity {id: 'kb:mercury'}) RETURN labels(e) AS labels, e.type AS type")
    assert rows[0]["type"] == "Organization" and "Person" not in rows[0]["labels"]
    assert graph.run("MATCH ()-[r:JOINED]->() RETURN count(r) AS n")[0]["n"] == 0


def test_writes_that_break_the_ontology_are_refused_and_logged(graph: GraphConnection, caplog) -> None:
    a1 = article("a1", "Twitter bought Elon Musk. Twitter frobnicated DeepMind. Twitter bought GPUs in 2023-13.")
    bad_object = fact(a1, TWITTER, "PURCHASED", MUSK)
    unknown = fact(a1, TWITTER, "FROBNICATED", DEEPMIND)
    bad_date = fact(a1, TWITTER, "PURCHASED", GPU, date="2023-13")
    bad_currency = fact(a1, TWITTER, "ACQUIRED", DEEPMIND, amount=5e8, currency="usd")
    good = fact(a1, TWITTER, "PURCHASED", GPU)
    with caplog.at_level(logging.WARNING, logger="kg.store.writer"):
        result = GraphWriter(graph, "test-1").write(
            ArticleExtraction(a1, facts=[bad_object, unknown, bad_date, bad_currency, good]))
    reasons = [r.reason for r in result.refused]
    assert result.facts_written == 1
    assert any("PURCHASED cannot have a Person as object" in r for r in reasons)
    assert any("Unknown predicate 'FROBNICATED'" in r for r in reasons)
    assert any("'2023-13' is not a real calendar date" in r for r in reasons)
    assert any("currency 'usd'" in r for r in reasons)
    assert "PURCHASED cannot have a Person as object" in caplog.text
    assert "FROBNICATED" in caplog.text
    assert graph.run("MATCH (:Entity)-[r]->(:Person) RETURN count(r) AS n")[0]["n"] == 0
    kept = graph.run("MATCH ()-[r]->(:Entity) RETURN type(r) AS t, r.date AS d")[0].data()
    assert kept == {"t": "PURCHASED", "d": None}
    assert graph.run("MATCH (ev:Evidence) RETURN count(ev) AS n")[0]["n"] == 1


def test_symmetric_facts_merge_whatever_the_direction(graph: GraphConnection) -> None:
    a1 = article("a1", "Twitter partnered with DeepMind.")
    a2 = article("a2", "DeepMind partnered with Twitter.")
    writer = GraphWriter(graph, "test-1")
    writer.write_batch([ArticleExtraction(a1, facts=[fact(a1, TWITTER, "PARTNERED_WITH", DEEPMIND)]),
                        ArticleExtraction(a2, facts=[fact(a2, DEEPMIND, "PARTNERED_WITH", TWITTER)])])
    rows = graph.run("MATCH ()-[r:PARTNERED_WITH]->() RETURN r.evidenceCount AS n")
    assert [r["n"] for r in rows] == [2]


def test_batch_write_equals_one_by_one_writes(graph: GraphConnection) -> None:
    extractions = []
    for i in range(30):
        a = article(f"b{i}", f"Company {i % 7} acquired Startup {i} for $ {i} million.", f"2023-01-{i % 28 + 1:02d}")
        buyer = Entity.named(f"Company {i % 7}", "Organization")
        target = Entity.named(f"Startup {i % 11}", "Organization")
        extractions.append(ArticleExtraction(a, facts=[fact(a, buyer, "ACQUIRED", target, amount=i * 1e6,
                                                            currency="USD", status="completed")]))
    GraphWriter(graph, "test-1").write_all(extractions[:1])
    GraphWriter(graph, "test-1").write_all(extractions, batch_size=1)
    one_by_one = snapshot(graph)
    graph.run("MATCH (n) DETACH DELETE n")
    seen = []
    result = GraphWriter(graph, "test-1").write_all(
        extractions, on_article=lambda e, _report: seen.append(e.article.id), batch_size=12)
    assert snapshot(graph) == one_by_one
    assert seen == [e.article.id for e in extractions]
    assert result.articles_written == 30 and result.facts_written == 30
    assert counts(graph)["evidence"] == 30


def test_entities_that_break_the_ontology_are_refused_with_their_reason(graph: GraphConnection, caplog) -> None:
    a1 = article("a1", "France sued Twitter. Twitter partnered with Twitter.")
    country = Entity.named("France", "Country")
    startup = Entity.named("Acme", "Organization", kind="startup")
    nameless = Entity("organization:x", "  ", "Organization")
    bad_qid = Entity.named("Mistral AI", "Organization", wikidata_id="mistral")
    with caplog.at_level(logging.WARNING, logger="kg.store.writer"):
        result = GraphWriter(graph, "test-1").write(ArticleExtraction(
            a1, entities=[country, startup, nameless, bad_qid, TWITTER],
            facts=[fact(a1, TWITTER, "PARTNERED_WITH", TWITTER, "Twitter partnered with Twitter.")]))
    reasons = " | ".join(r.reason for r in result.refused)
    assert "Unknown entity type 'Country'" in reasons
    assert "Kind 'startup' is not a kind of Organization" in reasons
    assert "has no canonical name" in reasons
    assert "not a QID such as Q95" in reasons
    assert "links 'Twitter' to itself" in reasons
    assert "Country" in caplog.text
    assert [r["id"] for r in graph.run("MATCH (e:Entity) RETURN e.id AS id")] == [TWITTER.id]


def test_fact_properties_do_not_depend_on_batching_or_order(graph: GraphConnection) -> None:
    """A fact created with all its evidence in one batch gets its properties computed before the write; one that
    already exists is recomputed in the database: both give the same properties, in any order."""
    specs = [("o1", "2023-05-02", 0.6, {"date": "2023", "amount": 1e9, "currency": "USD", "modality": "reported"}),
             ("o2", "2023-04-30", 0.9, {"date": "2023-04", "status": "announced"}),
             ("o3", None, 0.9, {"date": "2023-04-28", "amount": 1.2e9, "currency": "EUR", "status": "completed"})]
    extractions = []
    for article_id, published, confidence, qualifiers in specs:
        a = article(article_id, "Twitter agreed to buy DeepMind.", published)
        extractions.append(ArticleExtraction(a, facts=[fact(a, TWITTER, "ACQUIRED", DEEPMIND, confidence=confidence,
                                                            **qualifiers)]))

    def fact_props() -> dict:
        return graph.run("MATCH ()-[r:ACQUIRED]->() RETURN properties(r) AS p")[0]["p"]

    GraphWriter(graph, "test-1").write_batch(extractions)
    together = fact_props()
    assert together["evidenceCount"] == 3 and together["firstPublished"] == "2023-04-30"
    assert together["date"] == "2023-04-28" and together["datePrecision"] == "day"
    assert together["modality"] == "asserted"  # the two most confident pieces say nothing but the default
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        graph.run("MATCH (n) DETACH DELETE n")
        writer = GraphWriter(graph, "test-1")
        for i in order:
            writer.write(extractions[i])
        assert fact_props() == together, order
