"""Cypher a researcher would write against the graph: the examples of docs/graph-model.md, kept here once.

The documentation shows exactly these texts (tests/test_researcher_queries.py checks it and runs each one against
a graph written through GraphWriter). Entities are found by canonical name or alias, so the queries work with what
a person knows ("DeepMind", "Google DeepMind"): the name through the `entity_name` index, an alias through the
full-text index `entity_names` (the name as a phrase, then the exact alias checked), never by reading every
entity (an alias made only of English stop words, such as "IT", is not in the full-text index and is not found);
dates are ISO 8601 prefixes, compared as text, and an undated fact falls back to the publication date of its
first article; the last two use the native DATE values (`dateStart`, validity intervals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class ResearchQuery:
    name: str
    question: str
    cypher: str
    example_parameters: dict[str, Any] = field(default_factory=dict)


def _entity_named(var: str, parameter: str) -> str:
    """A subquery binding `var` to the entities whose name or one of whose aliases is `$parameter`: the name through
    the `entity_name` index, an alias through the full-text index (the name as a phrase, quotes and backslashes
    made spaces), then checked exactly."""
    return rf"""CALL () {{
  MATCH ({var}:Entity {{name: ${parameter}}}) RETURN {var}
  UNION
  CALL db.index.fulltext.queryNodes('entity_names', '"' + replace(replace(${parameter}, '\\', ' '), '"', ' ') + '"')
    YIELD node AS {var}
  WITH {var} WHERE ${parameter} IN {var}.aliases
  RETURN {var}
}}"""


HIRED_AWAY = ResearchQuery(
    name="hired-away",
    question="Who was hired away from DeepMind, and who hired them?",
    cypher=f"""
{_entity_named("former", "organization")}
MATCH (person:Person)-[hired:HIRED_FROM]->(former:Organization)
OPTIONAL MATCH (person)-[joined:JOINED]->(employer:Organization)
RETURN person.name AS person,
       coalesce(hired.date, hired.firstPublished) AS date,
       collect(DISTINCT employer.name) AS hiredBy
ORDER BY date, person
""".strip(),
    example_parameters={"organization": "DeepMind"},
)

ACQUISITIONS = ResearchQuery(
    name="acquisitions-in-period",
    question="Which companies did Microsoft acquire between two dates, and for how much?",
    cypher=f"""
{_entity_named("buyer", "company")}
MATCH (buyer:Organization)-[deal:ACQUIRED]->(target:Organization)
WHERE coalesce(deal.date, deal.firstPublished) >= $from
  AND coalesce(deal.date, deal.firstPublished) < $to
RETURN target.name AS target,
       coalesce(deal.date, deal.firstPublished) AS date,
       deal.amount AS amount, deal.currency AS currency, deal.status AS status,
       deal.evidenceCount AS evidence
ORDER BY date, target
""".strip(),
    example_parameters={"company": "Microsoft", "from": "2020", "to": "2024"},
)

PATHS_BETWEEN_PEOPLE = ResearchQuery(
    name="paths-between-people",
    question="How are two people connected (shortest chains of facts, up to 4 steps)?",
    cypher=f"""
{_entity_named("a", "from")}
{_entity_named("b", "to")}
MATCH (a:Person), (b:Person)
MATCH path = allShortestPaths((a)-[*..4]-(b))
RETURN [node IN nodes(path) | node.name] AS entities,
       [fact IN relationships(path) | type(fact)] AS predicates,
       length(path) AS steps
ORDER BY entities
""".strip(),
    example_parameters={"from": "Igor Babuschkin", "to": "Elon Musk"},
)

MOST_CITED = ResearchQuery(
    name="most-cited-facts",
    question="Which facts are reported by the most articles?",
    cypher="""
MATCH (s:Entity)-[fact]->(o:Entity)
CALL (fact) {
  MATCH (ev:Evidence {factId: fact.id})-[:FROM_ARTICLE]->(article:Article)
  RETURN count(DISTINCT article) AS articles
}
RETURN s.name AS subject, type(fact) AS predicate, o.name AS object,
       articles, fact.evidenceCount AS evidence, fact.firstPublished AS firstPublished
ORDER BY articles DESC, evidence DESC, subject, predicate, object
LIMIT $limit
""".strip(),
    example_parameters={"limit": 10},
)

SINGLE_SOURCE = ResearchQuery(
    name="single-source-facts",
    question="Which facts rest on a single article (to check before relying on them)?",
    cypher="""
MATCH (s:Entity)-[fact]->(o:Entity)
MATCH (ev:Evidence {factId: fact.id})-[:FROM_ARTICLE]->(article:Article)
WITH s, fact, o, collect(DISTINCT article) AS articles, collect(ev.sentence) AS sentences
WHERE size(articles) = 1
RETURN s.name AS subject, type(fact) AS predicate, o.name AS object,
       articles[0].id AS article, articles[0].title AS title, articles[0].url AS url,
       sentences[0] AS sentence
ORDER BY subject, predicate, object
""".strip(),
)

SUBSIDIARIES_LAUNCHES = ResearchQuery(
    name="group-launches",
    question="What did a group and its subsidiaries (at any depth) launch, and when?",
    cypher=f"""
{_entity_named("parent", "parent")}
MATCH (parent:Organization)
MATCH (unit:Organization)-[:SUBSIDIARY_OF*0..4]->(parent)
MATCH (unit)-[launch:LAUNCHED]->(product:Product)
RETURN DISTINCT unit.name AS launchedBy, product.name AS product,
       coalesce(launch.date, launch.firstPublished) AS date
ORDER BY date, product
""".strip(),
    example_parameters={"parent": "Alphabet"},
)

WORKED_THERE_THEN = ResearchQuery(
    name="worked-there-as-of",
    question="Who worked at an organisation at a given date, since when, and in which role?",
    cypher=f"""
{_entity_named("org", "organization")}
MATCH (org:Organization)
MATCH (period:Interval {{objectId: org.id}})
WHERE period.state = 'WORKS_FOR'
  AND coalesce(period.validFrom, date($asOf)) <= date($asOf)
  AND coalesce(period.validTo, date($asOf)) >= date($asOf)
MATCH (person:Entity {{id: period.subjectId}})
RETURN person.name AS person, period.role AS role,
       period.validFromDate AS since, period.validToDate AS until
ORDER BY person
""".strip(),
    example_parameters={"organization": "Twitter", "asOf": "2023-06-01"},
)

ACQUISITIONS_SINCE = ResearchQuery(
    name="acquisitions-since",
    question="Which acquisitions happened on or after a date (native DATE comparison)?",
    cypher="""
MATCH (buyer:Organization)-[deal:ACQUIRED]->(target:Organization)
WHERE deal.dateStart >= date($since)
RETURN buyer.name AS buyer, target.name AS target, deal.date AS date,
       deal.dateStart AS earliestDay, deal.dateEnd AS latestDay
ORDER BY deal.dateStart, target
""".strip(),
    example_parameters={"since": "2020-01-01"},
)

RESEARCH_QUERIES: tuple[ResearchQuery, ...] = (
    HIRED_AWAY, ACQUISITIONS, PATHS_BETWEEN_PEOPLE, MOST_CITED, SINGLE_SOURCE, SUBSIDIARIES_LAUNCHES,
    WORKED_THERE_THEN, ACQUISITIONS_SINCE,
)
