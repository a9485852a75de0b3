"""A hub's timeline read in index order (read_cypher.hub_timeline_query) gives the same pages as the plain read that
sorts every fact of the entity: same facts, same order, same cursors, on every page, with a date window, an
as-of date, a predicate filter, and with facts dated to a year, a month or a day, undated
facts placed by their publication, facts with neither, and many facts on one day (ties at a read's limit)."""

from __future__ import annotations

import itertools
import random

import pytest

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers
from kg.store import GraphConnection, GraphWriter, read_cypher, reader

HUB = Entity.named("Hubco", "Organization", kind="company")
# Few distinct dates so that many facts share a day, a month or a year; None: undated.
DATES = ["2019", "2020", "2020-03", "2020-03-01", "2020-03-15", "2021-01-01", "2021", None, None]
# Publication days of the articles (None: an article without one, so its undated facts sort last, key '~').
PUBLISHED = ["2020-03-01", "2020-03-15", "2021-06-01", None]
FACTS = 160

INDEX_EVERY_TYPE = reader.TimelinePlan(min_facts=1, min_degree=1, scan_share=float("inf"), scan_extra=0)
INDEX_WITH_EXTRA = reader.TimelinePlan(min_facts=1, min_degree=1, scan_share=float("inf"), scan_extra=5)
NEVER_INDEX = reader.TimelinePlan(min_facts=10**9)


def _fact(i: int, rng: random.Random) -> Fact:
    """One fact of the hub with the i-th counterpart: it joins, leaves, acquires, is acquired or partners."""
    person = Entity.named(f"Person {i}", "Person")
    company = Entity.named(f"Company {i}", "Organization", kind="company")
    subject, predicate, obj = rng.choice([(person, "JOINED", HUB), (person, "LEFT", HUB), (HUB, "ACQUIRED", company),
                                          (company, "ACQUIRED", HUB), (HUB, "PARTNERED_WITH", company)])
    sentence = f"Sentence {i}."
    return Fact(subject, predicate, obj, Qualifiers(date=rng.choice(DATES)),
                [Evidence(f"hub-{i % 40}", sentence, 0, len(sentence), "test:hand-built", 0.9)])


def write_hub(graph: GraphConnection) -> None:
    """FACTS facts of the hub over 40 articles, one in four of them without a publication day."""
    rng = random.Random(19)
    facts = [_fact(i, rng) for i in range(FACTS)]
    extractions = []
    for n in range(40):
        mine = [f for f in facts if f.evidence[0].article_id == f"hub-{n}"]
        text = " ".join(f.evidence[0].sentence for f in mine)
        for f in mine:
            start = text.index(f.evidence[0].sentence)
            f.evidence[0] = Evidence(f"hub-{n}", f.evidence[0].sentence, start, start + len(f.evidence[0].sentence),
                                     "test:hand-built", 0.9)
        article = Article(id=f"hub-{n}", text=text, title=f"hub {n}", published=PUBLISHED[n % len(PUBLISHED)],
                          lang="en", source=f"wire-{n % 3}")
        extractions.append(ArticleExtraction(article, facts=mine))
    GraphWriter(graph, extractor_version="test").write_batch(extractions)


@pytest.fixture(scope="module")
def hub_graph(graph_connection: GraphConnection) -> GraphConnection:
    """Written once for the module: every test here only reads."""
    graph_connection.run("MATCH (n) DETACH DELETE n")
    write_hub(graph_connection)
    return graph_connection


def _pages(graph: GraphConnection, plan: reader.TimelinePlan, **options: object) -> list[tuple[list[str], object]]:
    """Every page of the hub's timeline: its fact ids and its next key."""
    pages, after = [], None
    for _ in range(FACTS):
        page = reader.timeline(graph, HUB.id, after=after, plan=plan, **options)  # type: ignore[arg-type]
        pages.append(([entry.fact.id for entry in page.items], page.next_key))
        if page.next_key is None:
            return pages
        after = page.next_key
    raise AssertionError("the timeline did not end")


QUERIES = [
    {"limit": 7},
    {"limit": 2},
    {"limit": 25},
    {"limit": 5, "date_from": "2020-03", "date_to": "2021"},
    {"limit": 5, "date_from": "2020-03-10"},
    {"limit": 4, "date_to": "2020-03"},
    {"limit": 6, "as_of": "2020-03"},
    {"limit": 6, "selection": reader.FactSelection(min_sources=1)},
    {"limit": 3, "predicates": ["ACQUIRED", "JOINED"]},
]


def _cases() -> list:
    """Every query under both plans; one of them stays in the fast tests, the others are marked slow (each
    pages through the whole timeline twice; Neo4j plans each new query text once, ~1 s on a loaded machine)."""
    cases = itertools.product(QUERIES, [INDEX_WITH_EXTRA, INDEX_EVERY_TYPE])
    return [pytest.param(options, plan, marks=() if n == 0 else pytest.mark.slow) for n, (options, plan)
            in enumerate(cases)]


@pytest.mark.parametrize(("options", "plan"), _cases())
def test_index_ordered_pages_equal_the_plain_read(hub_graph: GraphConnection, options: dict,
                                                 plan: reader.TimelinePlan) -> None:
    plain = _pages(hub_graph, NEVER_INDEX, **options)
    assert sum(len(ids) for ids, _ in plain) > 0
    assert _pages(hub_graph, plan, **options) == plain


def test_the_graph_has_what_the_comparison_needs(hub_graph: GraphConnection) -> None:
    """Undated facts placed by publication, facts with no place at all, and days holding several facts."""
    entries = reader.timeline(hub_graph, HUB.id, limit=FACTS, plan=NEVER_INDEX).items
    placed_by = {entry.fact.placed_by for entry in entries}
    assert placed_by == {"fact_date", "evidence_published", "undated"}
    days = [entry.fact.placed_at for entry in entries if entry.fact.placed_at]
    assert max(days.count(day) for day in set(days)) >= 5


def test_the_index_ordered_query_serves_early_pages_itself(hub_graph: GraphConnection) -> None:
    """Not only the fallback: the index-ordered query alone returns the first page (full, same rows)."""
    types = ["ACQUIRED", "JOINED", "LEFT", "PARTNERED_WITH"]
    low, high = reader._day_range(None, None, None)
    parameters = {"id": HUB.id, "limit": 8, "dayFrom": low, "dayTo": high, "plainBelow": None,
                  **reader._window(None, None, None)}
    rows = hub_graph.read(read_cypher.hub_timeline_query(types),
                          reader._hub_parameters(types, types[:3], parameters, INDEX_WITH_EXTRA))
    plain = hub_graph.read(read_cypher.timeline_query(types), parameters)
    assert len(rows) == 8
    assert [r["id"] for r in rows] == [r["id"] for r in plain]


def test_a_plan_reads_big_types_in_index_order_only() -> None:
    plan = reader.TimelinePlan()
    assert plan.index_ordered(degree=16_000, total=126_000, limit=51)
    assert not plan.index_ordered(degree=500, total=1_000, limit=51)  # below min_degree
    assert not plan.index_ordered(degree=1_500, total=180_000, limit=51)  # a small share of a big type
    assert plan.scan(51) > 51
