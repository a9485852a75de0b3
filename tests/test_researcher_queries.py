"""The example queries of docs/graph-model.md: the documented text is the code's, and each answers its question
on a real graph written through GraphWriter."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter
from kg.store.research_queries import RESEARCH_QUERIES, ResearchQuery

DOC = Path(__file__).resolve().parents[1] / "docs" / "graph-model.md"
_BLOCK = re.compile(r"```cypher\n// (?P<name>[\w-]+): [^\n]*\n(?P<text>.*?)\n```", re.S)

E = {name: Entity.named(name, type_name, **extra) for name, type_name, extra in [
    ("Igor Babuschkin", "Person", {}), ("Manuel Kroiss", "Person", {}),
    ("Elon Musk", "Person", {"aliases": {"Musk"}}),
    ("DeepMind", "Organization", {"kind": "research_lab", "aliases": {"Google DeepMind"}}),
    ("Twitter", "Organization", {"kind": "company"}), ("Alphabet", "Organization", {"kind": "company"}),
    ("Google", "Organization", {"kind": "company"}), ("Microsoft", "Organization", {"kind": "company"}),
    ("Nuance", "Organization", {"kind": "company"}), ("Activision Blizzard", "Organization", {"kind": "company"}),
    ("LinkedIn", "Organization", {"kind": "company"}),
    ("Bard", "Product", {"kind": "ai_model"}), ("AlphaFold", "Product", {"kind": "ai_model"}),
]}

# article id, published, [(subject, predicate, object, qualifiers)]
ARTICLES = [
    ("a1", "2023-04-12", [("Igor Babuschkin", "HIRED_FROM", "DeepMind", {"date": "2023-03"}),
                          ("Igor Babuschkin", "JOINED", "Twitter", {"date": "2023-03"}),
                          ("Manuel Kroiss", "HIRED_FROM", "DeepMind", {}),
                          ("Manuel Kroiss", "JOINED", "Twitter", {}),
                          ("Elon Musk", "WORKS_FOR", "Twitter", {"role": "ceo"}),
                          ("Elon Musk", "OWNS", "Twitter", {}),
                          ("DeepMind", "SUBSIDIARY_OF", "Alphabet", {}),
                          ("Google", "SUBSIDIARY_OF", "Alphabet", {})]),
    ("a2", "2023-05-01", [("Igor Babuschkin", "HIRED_FROM", "DeepMind", {}),
                          ("Google", "LAUNCHED", "Bard", {"date": "2023-03-21"})]),
    ("a3", "2021-04-12", [("Microsoft", "ACQUIRED", "Nuance",
                           {"date": "2021-04", "amount": 19.7e9, "currency": "USD", "status": "announced"})]),
    ("a4", "2022-01-18", [("Microsoft", "ACQUIRED", "Activision Blizzard",
                           {"date": "2022-01-18", "amount": 68.7e9, "currency": "USD", "status": "announced"})]),
    ("a5", "2016-06-13", [("Microsoft", "ACQUIRED", "LinkedIn",
                           {"date": "2016-06", "amount": 26.2e9, "currency": "USD", "status": "announced"})]),
    ("a6", "2020-12-01", [("DeepMind", "LAUNCHED", "AlphaFold", {"date": "2020-11"})]),
]


def extraction(article_id: str, published: str, facts: list) -> ArticleExtraction:
    sentences = [f"{s} {p.lower().replace('_', ' ')} {o}." for s, p, o, _ in facts]
    article = Article(id=article_id, text=" ".join(sentences), title=f"Story {article_id}",
                      url=f"https://news.example.org/{article_id}", published=published, lang="en")
    built, offset = [], 0
    for sentence, (s, p, o, q) in zip(sentences, facts, strict=True):
        built.append(Fact(E[s], p, E[o], Qualifiers(**q),
                          [Evidence(article_id, sentence, offset, offset + len(sentence), "test-rule", 0.9)]))
        offset += len(sentence) + 1
    return ArticleExtraction(article, facts=built)


@pytest.fixture(scope="module")
def research_graph(graph_connection: GraphConnection) -> GraphConnection:
    graph_connection.run("MATCH (n) DETACH DELETE n")
    result = GraphWriter(graph_connection, "test-1").write_all(extraction(*a) for a in ARTICLES)
    assert result.refused == [] and result.facts_written == 14
    return graph_connection


def documented() -> dict[str, str]:
    return {m["name"]: m["text"] for m in _BLOCK.finditer(DOC.read_text(encoding="utf-8"))}


def run(graph: GraphConnection, query: ResearchQuery, **parameters) -> list[dict]:
    text = documented()[query.name]  # exactly what the documentation shows
    return [r.data() for r in graph.run(text, {**query.example_parameters, **parameters})]


def by_name(name: str) -> ResearchQuery:
    return next(q for q in RESEARCH_QUERIES if q.name == name)


def test_the_documentation_shows_every_query_as_the_code_has_it() -> None:
    docs = documented()
    assert len(RESEARCH_QUERIES) >= 5
    for query in RESEARCH_QUERIES:
        assert docs.get(query.name) == query.cypher, f"docs/graph-model.md differs from {query.name}"


def test_who_was_hired_away_from_deepmind_and_by_whom(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("hired-away"))
    assert rows == [{"person": "Igor Babuschkin", "date": "2023-03", "hiredBy": ["Twitter"]},
                    {"person": "Manuel Kroiss", "date": "2023-04-12", "hiredBy": ["Twitter"]}]
    assert run(research_graph, by_name("hired-away"), organization="Google DeepMind") == rows


def test_acquisitions_by_a_company_in_a_period_with_amounts(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("acquisitions-in-period"))
    assert [(r["target"], r["date"], r["amount"], r["currency"]) for r in rows] == [
        ("Nuance", "2021-04", 19.7e9, "USD"), ("Activision Blizzard", "2022-01-18", 68.7e9, "USD")]
    assert [r["target"] for r in run(research_graph, by_name("acquisitions-in-period"), **{"from": "2010"})] == [
        "LinkedIn", "Nuance", "Activision Blizzard"]


def test_paths_between_two_people(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("paths-between-people"))
    assert {tuple(r["predicates"]) for r in rows} == {("JOINED", "WORKS_FOR"), ("JOINED", "OWNS")}
    assert all(r["entities"] == ["Igor Babuschkin", "Twitter", "Elon Musk"] and r["steps"] == 2 for r in rows)
    # Kroiss and Babuschkin: through the employer they left and the one they joined
    rows = run(research_graph, by_name("paths-between-people"), to="Manuel Kroiss")
    assert {tuple(r["entities"]) for r in rows} == {("Igor Babuschkin", "DeepMind", "Manuel Kroiss"),
                                                    ("Igor Babuschkin", "Twitter", "Manuel Kroiss")}


def test_most_cited_facts(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("most-cited-facts"), limit=3)
    assert rows[0] == {"subject": "Igor Babuschkin", "predicate": "HIRED_FROM", "object": "DeepMind",
                       "articles": 2, "evidence": 2, "firstPublished": "2023-04-12"}
    assert [r["articles"] for r in rows[1:]] == [1, 1]


def test_facts_with_a_single_source(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("single-source-facts"))
    assert len(rows) == 12  # 13 facts, one of them reported twice
    assert ("Igor Babuschkin", "HIRED_FROM", "DeepMind") not in {(r["subject"], r["predicate"], r["object"])
                                                                 for r in rows}
    bard = next(r for r in rows if r["object"] == "Bard")
    assert bard["article"] == "a2" and bard["url"] == "https://news.example.org/a2"
    assert bard["sentence"] == "Google launched Bard."


def test_what_a_group_and_its_subsidiaries_launched(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("group-launches"))
    assert rows == [{"launchedBy": "DeepMind", "product": "AlphaFold", "date": "2020-11"},
                    {"launchedBy": "Google", "product": "Bard", "date": "2023-03-21"}]


def test_who_worked_there_as_of_a_date(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("worked-there-as-of"))
    assert rows == [{"person": "Igor Babuschkin", "role": None, "since": "2023-03", "until": None}]
    assert run(research_graph, by_name("worked-there-as-of"), asOf="2022-12-31") == []
    assert run(research_graph, by_name("worked-there-as-of"), organization="DeepMind", asOf="2020-01-01") == [
        {"person": "Igor Babuschkin", "role": None, "since": None, "until": "2023-03"}]


def test_acquisitions_since_a_date_compare_native_dates(research_graph: GraphConnection) -> None:
    rows = run(research_graph, by_name("acquisitions-since"))
    assert [(r["target"], r["date"], str(r["earliestDay"])) for r in rows] == [
        ("Nuance", "2021-04", "2021-04-01"), ("Activision Blizzard", "2022-01-18", "2022-01-18")]


LOOKUP_QUERIES = ("hired-away", "acquisitions-in-period", "paths-between-people", "group-launches")


def plan_operators(graph: GraphConnection, text: str, parameters: dict) -> set[str]:
    _, summary, _ = graph.driver.execute_query("EXPLAIN " + text, parameters, database_=graph.database)
    found, todo = set(), [summary.plan]
    while todo:
        step = todo.pop()
        found.add(step["operatorType"].split("@")[0])
        todo += step.get("children", [])
    return found


def test_entities_are_looked_up_by_index_not_by_reading_every_entity(research_graph: GraphConnection) -> None:
    for name in LOOKUP_QUERIES:
        query = by_name(name)
        operators = plan_operators(research_graph, documented()[name], query.example_parameters)
        assert "NodeIndexSeek" in operators and "ProcedureCall" in operators, (name, operators)
        assert not operators & {"NodeByLabelScan", "AllNodesScan", "NodeIndexScan"}, (name, operators)


def test_lookup_by_alias_and_by_names_with_quotes_or_backslashes(research_graph: GraphConnection) -> None:
    odd = Entity.named('Lab "Q" \\ Research', "Organization", kind="company", aliases={'Q\\Lab "One"'})
    article = Article(id="a-odd", text="Lab Q Research launched Bard.", title="odd", published="2024-01-01",
                      url="https://news.example.org/odd", lang="en")
    fact = Fact(odd, "LAUNCHED", E["Bard"], Qualifiers(date="2024-01"),
                [Evidence("a-odd", article.text, 0, len(article.text), "test-rule", 0.9)])
    GraphWriter(research_graph, "test-1").write(ArticleExtraction(article, facts=[fact]))
    try:
        for parent in (odd.name, 'Q\\Lab "One"'):
            assert run(research_graph, by_name("group-launches"), parent=parent) == [
                {"launchedBy": odd.name, "product": "Bard", "date": "2024-01"}]
        assert run(research_graph, by_name("group-launches"), parent="Lab Q Research") == []  # exact names only
        assert [r["target"] for r in run(research_graph, by_name("acquisitions-in-period"), company="microsoft")] == []
    finally:
        research_graph.run("MATCH (n) WHERE n.id IN ['a-odd', $id] OR n.articleId = 'a-odd' DETACH DELETE n",
                           {"id": odd.id})
