"""Graphs for the API tests: hand-built facts (precise dates, qualifiers, evidence) written with GraphWriter."""

from __future__ import annotations

from dataclasses import dataclass

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter


@dataclass(frozen=True)
class Sample:
    babuschkin: Entity
    deepmind: Entity
    xai: Entity
    alphabet: Entity
    socgen: Entity
    hired: Fact
    joined: Fact
    subsidiary: Fact
    invested: Fact


def _evidence(article: Article, sentence: str, extractor: str = "test:hand-built") -> Evidence:
    start = article.text.index(sentence)
    return Evidence(article.id, sentence, start, start + len(sentence), extractor, 0.9)


def write_sample(graph: GraphConnection) -> Sample:
    babuschkin = Entity.named("Igor Babuschkin", "Person", aliases={"Babuschkin"})
    deepmind = Entity.named("DeepMind", "Organization", kind="research_lab", aliases={"Google DeepMind"},
                            wikidata_id="Q15733006")
    xai = Entity.named("xAI", "Organization", kind="company", aliases={"X.AI"})
    alphabet = Entity.named("Alphabet", "Organization", kind="company")
    socgen = Entity.named("Société Générale", "Organization", kind="company", aliases={"SocGen"})

    s1 = "Igor Babuschkin left DeepMind to join xAI in March 2023."
    s2 = "DeepMind is the AI research arm of Alphabet."
    a1 = Article(id="api-test-a1", text=f"{s1} {s2}", title="xAI hires from DeepMind",
                 url="https://example.org/news/a1", published="2023-04-14", lang="en")
    s3 = "Société Générale aurait investi 10 millions d'euros dans DeepMind en 2021."
    a2 = Article(id="api-test-a2", text=s3, title="SocGen et DeepMind", url="https://example.org/news/a2",
                 published="2022-11-02", lang="fr")
    s4 = "Alphabet owns the lab DeepMind, its AI research arm."
    a3 = Article(id="api-test-a3", text=f"Background. {s4}", title="Alphabet's labs", url=None,
                 published="2024-01-05", lang="en")

    hired = Fact(babuschkin, "HIRED_FROM", deepmind, Qualifiers(date="2023-03"), [_evidence(a1, s1)])
    joined = Fact(babuschkin, "JOINED", xai, Qualifiers(date="2023-03", role="engineer"), [_evidence(a1, s1)])
    subsidiary = Fact(deepmind, "SUBSIDIARY_OF", alphabet, Qualifiers(), [_evidence(a1, s2)])
    invested = Fact(socgen, "INVESTED_IN", deepmind,
                    Qualifiers(date="2021", amount=10_000_000, currency="EUR", modality="reported"),
                    [_evidence(a2, s3)])
    subsidiary_again = Fact(deepmind, "SUBSIDIARY_OF", alphabet, Qualifiers(), [_evidence(a3, s4)])

    writer = GraphWriter(graph, extractor_version="test")
    writer.write(ArticleExtraction(a1, [babuschkin, deepmind, xai, alphabet], [hired, joined, subsidiary]))
    writer.write(ArticleExtraction(a2, [socgen, deepmind], [invested]))
    writer.write(ArticleExtraction(a3, [deepmind, alphabet], [subsidiary_again]))
    return Sample(babuschkin, deepmind, xai, alphabet, socgen, hired, joined, subsidiary, invested)


def write_star(graph: GraphConnection, centre_name: str, n: int) -> Entity:
    """A hub organisation with `n` people who joined it (for limits and for the explorer at scale)."""
    centre = Entity.named(centre_name, "Organization", kind="company")
    people = [Entity.named(f"Person Number {i:03d}", "Person") for i in range(n)]
    text = " ".join(f"Person Number {i:03d} joined {centre_name}." for i in range(n))
    article = Article(id=f"star-{centre.id}", text=text, title=f"{centre_name} hires", published="2024-02-01",
                      url="https://example.org/news/star", lang="en")
    facts = []
    for i, person in enumerate(people):
        sentence = f"Person Number {i:03d} joined {centre_name}."
        facts.append(Fact(person, "JOINED", centre, Qualifiers(), [_evidence(article, sentence)]))
    GraphWriter(graph, extractor_version="test").write(ArticleExtraction(article, [centre, *people], facts))
    return centre
