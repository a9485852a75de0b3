"""A small hand-made timeline (joins, a departure, a rejoin, acquisitions and a divestment by sale), written with
GraphWriter, for the time tests of the store and the API."""

from __future__ import annotations

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter

ADA = Entity.named("Ada Lovelace", "Person")
DEEPMIND = Entity.named("DeepMind", "Organization", kind="research_lab")
OPENAI = Entity.named("OpenAI", "Organization", kind="company")
GOOGLE = Entity.named("Google", "Organization", kind="company")
ACME = Entity.named("Acme", "Organization", kind="company")
ZETA = Entity.named("Zeta", "Organization", kind="company")
OMEGA = Entity.named("Omega", "Organization", kind="company")

# article id, publication day, [(subject, predicate, object, date, sentence, role)]
TIMELINE = [
    ("t-2014", "2014-01-27", [(GOOGLE, "ACQUIRED", DEEPMIND, "2014-01", "Google acquired DeepMind in January.", None)]),
    ("t-2015", "2015-06-10", [(ADA, "JOINED", DEEPMIND, "2015-06", "Ada Lovelace joined DeepMind in June.",
                               "researcher")]),
    ("t-2012", "2012-05-02", [(ZETA, "ACQUIRED", ACME, "2012", "Zeta bought Acme in 2012.", None)]),
    ("t-2018", "2018-03-20", [(ADA, "LEFT", DEEPMIND, "2018-02", "Ada Lovelace left DeepMind in February.", None),
                              (ADA, "JOINED", OPENAI, "2018-03", "She joined OpenAI in March.", "engineer")]),
    ("t-2019", "2019-09-01", [(OMEGA, "ACQUIRED", ACME, "2019-08", "Omega acquired Acme from Zeta in August.", None)]),
    ("t-2021", "2021-05-30", [(ADA, "HIRED_FROM", OPENAI, "2021-05", "DeepMind hired Ada Lovelace from OpenAI.",
                               None),
                              (ADA, "JOINED", DEEPMIND, "2021-05", "Ada Lovelace rejoined DeepMind in May.",
                               "director")]),
]


def timeline_article(article_id: str, published: str, facts: list) -> ArticleExtraction:
    text = " ".join(sentence for *_, sentence, _ in facts)
    article = Article(id=article_id, text=text, title=article_id, published=published, lang="en",
                      source="timeline-wire", url=f"https://example.org/{article_id}")
    out = []
    for subject, predicate, obj, date, sentence, role in facts:
        start = text.index(sentence)
        out.append(Fact(subject, predicate, obj, Qualifiers(date=date, role=role),
                        [Evidence(article_id, sentence, start, start + len(sentence), "test:hand-built", 0.9)]))
    return ArticleExtraction(article, facts=out)


def write_timeline(graph: GraphConnection) -> list[ArticleExtraction]:
    extractions = [timeline_article(*item) for item in TIMELINE]
    GraphWriter(graph, extractor_version="test").write_batch(extractions)
    return extractions
