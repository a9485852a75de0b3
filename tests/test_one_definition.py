"""Each concept is written down once: a second definition fails here, naming the file that restates it.

Where each one lives (and what to import instead of retyping it):
- ISO 8601 date prefix pattern, date length -> precision, the qualifier field <-> property map, evidence ids:
  `kg/model.py` (`ISO_DATE`, `date_precision`, `QUALIFIER_PROPERTIES` / `QUALIFIER_FIELDS`, `evidence_id`);
- the Cypher identifier pattern: `kg/vocabulary.py` (`IDENTIFIER`);
- the vocabulary's closed sets as types: `kg/terms.py`, generated from the Turtle (tests/test_ontology.py);
- "does this entity exist" and "a fact as a graph edge" in Cypher: `kg/store/read_cypher.py`
  (`ENTITY_EXISTS`, `_EDGE_OF_R`);
- Cypher text at all: the query modules in `QUERY_MODULES`.
Scope: kg/, api/ and benchmarks/. ingest/ (reworked by the extraction work) still has its own ISO date pattern in
ingest/loaders/article.py and the spaCy component name in both ingest/nlp.py and ingest/extraction/component.py.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCOPE = ("kg", "api", "benchmarks")
SECURITY_OWNED = ("kg/store/cypher_guard.py", "kg/neo4j_local/", "api/routers/cypher.py", "api/routers/articles.py",
                  "api/limits.py", "api/cypher_values.py", "api/pagination.py")

# concept -> (a regex that finds a definition of it in source text, the one file allowed to hold it)
DEFINITIONS = {
    "ISO date pattern": (r"\\d\{4\}\)?\(", "kg/model.py"),
    "date length -> precision": (r"\b4\s*:\s*[\"']year[\"']", "kg/model.py"),
    "identifier pattern": (r"\[A-Za-z_\]\[A-Za-z0-9_\]\*", "kg/vocabulary.py"),
    "qualifier property map": (r"[\"']reportedBy[\"']\s*:\s*[\"']reported_by[\"']|QUALIFIER_(PROPERTIES|FIELDS)"
                               r"\s*(:[^=]*)?=\s*\{", "kg/model.py"),
    "evidence id": (r"def evidence_id\b|\|\{start\}\|\{end\}|\|\{self\.start\}\|", "kg/model.py"),
    "entity exists query": (r"MATCH \(e:Entity \{id: \$id\}\) RETURN e\.id AS id", "kg/store/read_cypher.py"),
    "fact as a graph edge": (r"evidenceCount:\s*coalesce\(", "kg/store/read_cypher.py"),
    "most precise date rule": (r"len\([^)]*\)\s*>\s*len\(date\)|key=len\b", "kg/store/writer.py"),
}

# Where Cypher text may be written: query modules, grouped by concern.
QUERY_MODULES = {
    "kg/store/cypher.py": "schema and writes",
    "kg/store/read_cypher.py": "the API's and the CLI's reads",
    "kg/store/research_queries.py": "the researchers' example queries (docs/graph-model.md)",
    "kg/store/bulk_cypher.py": "kg bulk-export's reads",
    "kg/store/entity_lookup.py": "candidate entities for cross-article resolution (ingest.resolution)",
    "kg/store/reading_cypher.py": "the explorer's reader view of one article",
    "kg/store/duplicate_cypher.py": "duplicate article clusters",
    "kg/store/curation_cypher.py": "curation (kg.curation) and the writer's curation step",
    "kg/rdf/queries.py": "the RDF export's reads",
}
# Benchmarks measure hand-written variants of queries on purpose; they are not product code.
CYPHER = re.compile(r"^\s*(MATCH|OPTIONAL MATCH|MERGE|UNWIND|CREATE|CALL|DETACH DELETE|SHOW)\b")


def _sources() -> list[Path]:
    paths = [p for package in SCOPE for p in sorted((ROOT / package).rglob("*.py"))]
    return [p for p in paths if not str(p.relative_to(ROOT)).startswith(SECURITY_OWNED)]


@pytest.mark.parametrize("concept", sorted(DEFINITIONS))
def test_each_concept_is_defined_once(concept: str) -> None:
    pattern, home = DEFINITIONS[concept]
    found = {str(p.relative_to(ROOT)) for p in _sources() if re.search(pattern, p.read_text(encoding="utf-8"))}
    assert found == {home}, f"{concept} is defined in {sorted(found)}; keep the one in {home} and import it"


def test_cypher_lives_in_query_modules() -> None:
    offenders = []
    for path in _sources():
        relative = str(path.relative_to(ROOT))
        if relative in QUERY_MODULES or relative.startswith("benchmarks/"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        examples = {id(n) for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg == "examples"
                    for n in ast.walk(k.value)}  # a user's query shown in the API's documentation
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str) and CYPHER.match(node.value)
                    and id(node) not in examples):
                offenders.append(f"{relative}:{node.lineno} {node.value.strip()[:40]!r}")
    assert offenders == [], f"move this Cypher into a query module ({sorted(QUERY_MODULES)}): {offenders}"


def test_date_bounds_cover_the_precision_the_text_gives() -> None:
    import datetime as dt

    from kg.model import date_bounds

    assert date_bounds("2023") == (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
    assert date_bounds("2024-02") == (dt.date(2024, 2, 1), dt.date(2024, 2, 29))
    assert date_bounds("2020-05-31") == (dt.date(2020, 5, 31), dt.date(2020, 5, 31))
    assert date_bounds("2023-02-30") is None and date_bounds("2023-13") is None and date_bounds(None) is None
