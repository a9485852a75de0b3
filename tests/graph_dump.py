"""A canonical dump of a whole graph, for comparing two graphs built by different runs (or servers).

Nodes are keyed by their `id` property, relationships by (type, start id, end id, id); internal element ids never
appear. Lists of strings (aliases) are compared as sets: their order depends on which article came first."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kg.store.change_cypher import FEED_LABELS
from kg.store.connection import GraphConnection

# The change feed's log of what happened is left out: two histories can reach one graph.
NODES = """
MATCH (n) WHERE none(label IN labels(n) WHERE label IN $feed)
RETURN labels(n) AS labels, properties(n) AS props
"""
RELATIONSHIPS = """
MATCH (a)-[r]->(b)
RETURN type(r) AS type, a.id AS start, b.id AS end, properties(r) AS props
"""


def _canonical(value: Any) -> Any:
    if isinstance(value, list):
        items = [_canonical(v) for v in value]
        return tuple(sorted(items, key=repr))
    if isinstance(value, float) and value.is_integer():
        return value
    return value


def _props(props: dict[str, Any]) -> tuple:
    return tuple(sorted((key, _canonical(value)) for key, value in props.items()))


@dataclass(frozen=True)
class GraphDump:
    nodes: frozenset
    relationships: frozenset
    node_count: int  # counts before set semantics: a duplicate node or relationship shows here
    relationship_count: int

    def evidence_by_article(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for labels, props in self.nodes:
            if "Evidence" in labels:
                values = dict(props)
                found.setdefault(values["articleId"], set()).add(values["id"])
        return found

    def article_ids(self) -> set[str]:
        return {dict(props)["id"] for labels, props in self.nodes if "Article" in labels}

    def difference(self, other: GraphDump, limit: int = 8) -> str:
        """A short account of what differs, for assertion messages."""
        lines = [f"nodes {self.node_count} vs {other.node_count}, relationships {self.relationship_count} vs "
                 f"{other.relationship_count}"]
        for name, mine, theirs in (("node", self.nodes, other.nodes),
                                   ("relationship", self.relationships, other.relationships)):
            for item in sorted(mine - theirs, key=repr)[:limit]:
                lines.append(f"only in first {name}: {item}")
            for item in sorted(theirs - mine, key=repr)[:limit]:
                lines.append(f"only in second {name}: {item}")
        return "\n".join(lines)


def dump_graph(conn: GraphConnection) -> GraphDump:
    nodes = [(tuple(sorted(r["labels"])), _props(r["props"])) for r in conn.run(NODES, {"feed": FEED_LABELS})]
    rels = [(r["type"], r["start"], r["end"], _props(r["props"])) for r in conn.run(RELATIONSHIPS)]
    return GraphDump(frozenset(nodes), frozenset(rels), len(nodes), len(rels))


INTEGRITY_CHECKS = {
    "two nodes share an id": """
        MATCH (n) WHERE n.id IS NOT NULL
        WITH labels(n)[0] AS label, n.id AS id, count(*) AS c WHERE c > 1 RETURN label + ' ' + id AS problem""",
    "two facts share an id": """
        MATCH ()-[r]->() WHERE r.id IS NOT NULL
        WITH r.id AS id, count(*) AS c WHERE c > 1 RETURN id AS problem""",
    "evidence without its article": """
        MATCH (ev:Evidence) WHERE NOT (ev)-[:FROM_ARTICLE]->(:Article {id: ev.articleId})
        RETURN ev.id AS problem""",
    "fact without evidence": """
        MATCH (:Entity)-[r]->(:Entity) WHERE NOT EXISTS { MATCH (ev:Evidence {factId: r.id}) }
        RETURN r.id AS problem""",
    "evidence count out of date": """
        MATCH (:Entity)-[r]->(:Entity)
        CALL (r) { MATCH (ev:Evidence {factId: r.id}) RETURN count(ev) AS n }
        WITH r, n WHERE r.evidenceCount <> n RETURN r.id + ' ' + toString(r.evidenceCount) + '<>' + toString(n)
        AS problem""",
    "evidence for a fact that is not there": """
        MATCH (ev:Evidence) WHERE NOT EXISTS { MATCH ()-[r {id: ev.factId}]->() } RETURN ev.id AS problem""",
}


def integrity_problems(conn: GraphConnection) -> list[str]:
    """Every way the graph breaks the writer's invariants, as readable lines (empty when sound)."""
    problems = []
    for name, query in INTEGRITY_CHECKS.items():
        problems.extend(f"{name}: {r['problem']}" for r in conn.run(query))
    return problems
