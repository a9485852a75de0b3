"""Duplicate clusters and corroboration, written through GraphWriter to a real Neo4j (docs/corroboration.md)."""

from __future__ import annotations

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter

ACME = Entity.named("Acme Robotics", "Organization", kind="company")
GAMMA = Entity.named("Gamma Vision", "Organization", kind="company")

CLAIM = "Acme Robotics acquired Gamma Vision for 300 million dollars."
STORY = (
    f"{CLAIM} The deal, announced on Tuesday in Lyon, gives the industrial robot maker a team of eighty engineers "
    "who build cameras and software that let machines see parts on a moving belt. Gamma Vision was founded in 2015 "
    "by two former researchers of a public laboratory and sold its first systems to car plants in Germany and Spain. "
    "Its chief executive said the company would keep its name and its offices, and that no job would be cut this "
    "year. Analysts said the price was high for a firm with modest sales, but that vision systems had become the "
    "part of factory automation where the largest customers now look for a single supplier. The sale still needs "
    "the approval of the competition authorities, which is expected before the end of the summer."
)
OTHER_STORY = (
    "Gamma Vision, the camera start-up from Grenoble, has a new owner. "
    f"{CLAIM} Engineers at the smaller company learned the news at a staff meeting on Wednesday morning, where the "
    "founders explained that the money would pay for a new plant and for the hiring of sales staff in Asia. A union "
    "representative asked for written promises on jobs. Rival makers of inspection software declined to comment, "
    "and one investor said the valuation reflected a bidding contest with two American groups."
)


def article(article_id: str, text: str, source: str | None = None, url: str | None = None, lang: str = "en",
            published: str = "2024-05-14") -> Article:
    return Article(id=article_id, text=text, source=source, url=url, lang=lang, published=published)


def acquisition(art: Article, sentence: str = CLAIM) -> ArticleExtraction:
    start = art.text.index(sentence)
    fact = Fact(ACME, "ACQUIRED", GAMMA, Qualifiers(),
                [Evidence(art.id, sentence, start, start + len(sentence), "test-rule", 0.8)])
    return ArticleExtraction(art, facts=[fact])


def lightly_edited(text: str) -> str:
    """A republished copy: a headline and boilerplate added, a sentence dropped, two words changed."""
    sentences = text.split(". ")
    edited = ". ".join(sentences[:4] + sentences[5:])
    edited = edited.replace("Tuesday", "Tuesday evening").replace("modest", "small")
    return f"Robot maker buys camera firm\n\n{edited}\n\nCopyright 2024 Daily Wire. All rights reserved."


def the_fact(graph: GraphConnection) -> dict:
    rows = graph.run("MATCH (:Entity {id: $s})-[r:ACQUIRED]->(:Entity {id: $o}) RETURN properties(r) AS r",
                     {"s": ACME.id, "o": GAMMA.id})
    assert len(rows) == 1
    return dict(rows[0]["r"])


def clusters(graph: GraphConnection) -> dict[str, str]:
    rows = graph.run("MATCH (a:Article)-[:DUPLICATE_OF]->(root:Article) RETURN a.id AS a, root.id AS root")
    return {r["a"]: r["root"] for r in rows}


def test_copies_from_other_outlets_form_one_cluster_and_count_once(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    original = article("wire-1", STORY, source="AFP", url="https://www.afp.com/en/acme")
    exact = article("copy-1", STORY, source="Le Progrès", url="https://leprogres.fr/eco/acme")
    edited = article("copy-2", lightly_edited(STORY), url="https://dailywire.example/robots/acme")
    for art in (original, exact, edited):
        writer.write(acquisition(art))
    assert clusters(graph) == {"copy-1": "wire-1", "copy-2": "wire-1"}
    fact = the_fact(graph)
    assert fact["evidenceCount"] == 3
    assert fact["sourceCount"] == 1
    assert fact["languages"] == ["en"]


def test_a_different_article_from_another_outlet_is_a_second_source_until_retracted(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("wire-1", STORY, source="AFP")))
    writer.write(acquisition(article("copy-1", STORY, source="Le Progrès")))
    writer.write(acquisition(article("own-1", OTHER_STORY, source="Le Dauphiné", lang="fr",
                                     published="2024-05-13")))
    fact = the_fact(graph)
    assert clusters(graph) == {"copy-1": "wire-1"}
    assert (fact["sourceCount"], fact["languages"], fact["firstPublished"]) == (2, ["en", "fr"], "2024-05-13")
    writer.retract(["own-1"])
    fact = the_fact(graph)
    assert (fact["sourceCount"], fact["languages"], fact["firstPublished"]) == (1, ["en"], "2024-05-14")


def test_retracting_a_root_keeps_its_copies_together(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("wire-1", STORY, source="AFP", published="2024-05-14")))
    writer.write(acquisition(article("copy-2", lightly_edited(STORY), source="B", published="2024-05-16")))
    writer.write(acquisition(article("copy-1", STORY, source="C", published="2024-05-15")))
    writer.retract(["wire-1"])
    assert clusters(graph) == {"copy-2": "copy-1"}  # the earliest published copy is the new root
    assert the_fact(graph)["sourceCount"] == 1
    writer.write(acquisition(article("wire-1", STORY, source="AFP")))  # back: it joins the cluster that is left
    assert clusters(graph) == {"copy-2": "copy-1", "wire-1": "copy-1"}
    assert the_fact(graph)["sourceCount"] == 1


def test_one_outlet_counts_once_by_source_or_by_host(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("a1", STORY, source="Reuters")))
    writer.write(acquisition(article("a2", OTHER_STORY, source="REUTERS", url="https://www.reuters.com/x")))
    assert the_fact(graph)["sourceCount"] == 1
    writer.write(acquisition(article("a3", OTHER_STORY.replace("Grenoble", "Grenoble, France,") + " " + STORY[:60],
                                     url="https://reuters.com/y")))
    fact = the_fact(graph)
    assert fact["sourceCount"] == 1 and fact["evidenceCount"] == 3


def test_copies_within_one_batch_form_one_cluster(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write_batch([acquisition(article("wire-1", STORY, source="AFP")),
                        acquisition(article("copy-1", lightly_edited(STORY), source="B")),
                        acquisition(article("own-1", OTHER_STORY, source="C"))])
    assert clusters(graph) == {"copy-1": "wire-1"}
    assert the_fact(graph)["sourceCount"] == 2


def test_an_edited_copy_that_is_no_longer_a_copy_leaves_its_cluster(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("wire-1", STORY, source="AFP")))
    writer.write(acquisition(article("copy-1", STORY, source="B")))
    assert the_fact(graph)["sourceCount"] == 1
    writer.write(acquisition(article("copy-1", OTHER_STORY, source="B")))
    assert clusters(graph) == {}
    assert the_fact(graph)["sourceCount"] == 2


def test_short_texts_are_never_clustered(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1")
    writer.write(acquisition(article("a1", CLAIM, source="A")))
    writer.write(acquisition(article("a2", CLAIM, source="B")))
    assert clusters(graph) == {}
    assert the_fact(graph)["sourceCount"] == 2


def test_detection_off_clusters_nothing(graph: GraphConnection) -> None:
    writer = GraphWriter(graph, "test-1", detect_duplicates=False)
    writer.write(acquisition(article("wire-1", STORY, source="AFP")))
    writer.write(acquisition(article("copy-1", STORY, source="B")))
    assert clusters(graph) == {}
    assert the_fact(graph)["sourceCount"] == 2


def test_kg_dedup_index_clusters_an_existing_graph_once(graph: GraphConnection) -> None:
    from ingest.dedup.backfill import index_stored_articles

    old = GraphWriter(graph, "test-1", detect_duplicates=False)  # as a graph written before detection
    old.write(acquisition(article("wire-1", STORY, source="AFP", published="2024-05-14")))
    old.write(acquisition(article("copy-1", STORY, source="B", published="2024-05-15")))
    old.write(acquisition(article("own-1", OTHER_STORY, source="C", published="2024-05-16")))
    graph.run("MATCH ()-[r:ACQUIRED]->() REMOVE r.sourceCount, r.languages")
    report = index_stored_articles(graph, batch_size=2)
    assert (report.articles, report.joined) == (3, 1)
    assert clusters(graph) == {"copy-1": "wire-1"}  # oldest publication first: the wire is the root
    fact = the_fact(graph)
    assert (fact["sourceCount"], fact["languages"]) == (2, ["en"])
    assert index_stored_articles(graph).articles == 0
