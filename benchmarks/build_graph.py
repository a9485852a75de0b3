"""A large graph for the query benchmarks, built offline: synthetic extractions -> importer CSV -> neo4j-admin.

    python -m benchmarks.build_graph HOME [--facts 1250000] [--entities 250000]

Writes what `GraphWriter` would write for the same extractions (benchmarks/synthetic.py): Entity nodes with their
type label, aliases and name languages, Article nodes, Evidence nodes linked FROM_ARTICLE, one relationship per fact
with the properties the writer derives from its evidence (evidence count, first publication date, most precise
date and its native DATE bounds, qualifiers of the most confident evidence). Then imports them with `neo4j-admin
database import full` into a new local Neo4j home, starts it once to create the schema (`apply_schema`), derives
every validity interval (kg.store.migration.derive_all_intervals, the last step of `kg migrate`) and stops it.
Timings are printed: the import is the bulk path for very large first loads (docs/scaling.md).

One thing the writer does is left out: folding an undated report of an event into its pair's one dated fact. The
full `kg migrate` does it, and on the 1M-fact graph at a load of ~20 on 2 cores it had done 6 of the 14 predicates
after 40 minutes; the fold only moves some evidence between facts of one pair, which the query benchmarks do not
depend on."""

from __future__ import annotations

import argparse
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks.synthetic import EntityPools, Shape, extractions
from kg.bulk_export import ARRAY_DELIMITER, _format, _quote
from kg.model import QUALIFIER_PROPERTIES, Entity, evidence_id, qualifier_properties
from kg.name_languages import seen_names
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import ADMIN_TOOL, free_port
from kg.settings import LocalNeo4jSettings, Neo4jSettings
from kg.store import apply_schema, connect
from kg.store.corroboration import evidence_article
from kg.store.migration import derive_all_intervals
from kg.store.writer import derived_fact_properties
from kg.vocabulary import vocabulary

QUALIFIERS = list(QUALIFIER_PROPERTIES.values())
QUALIFIER_TYPES = {"date": "string", "quantity": "double", "approximate": "boolean", "amount": "double",
                   "currency": "string", "role": "string", "status": "string", "modality": "string",
                   "reportedBy": "string", "vendor": "string", "round": "string", "statedFrom": "string",
                   "statedTo": "string"}
ARTICLE_COLUMNS = [("text", "string"), ("title", "string"), ("url", "string"), ("published", "string"),
                   ("lang", "string"), ("source", "string"), ("contentHash", "string"),
                   ("extractorVersion", "string")]
EVIDENCE_COLUMNS = [("factId", "string"), ("predicate", "string"), ("articleId", "string"), ("sentence", "string"),
                    ("start", "long"), ("end", "long"), ("extractor", "string"), ("confidence", "double"),
                    *((q, QUALIFIER_TYPES[q]) for q in QUALIFIERS)]
ENTITY_COLUMNS = [("name", "string"), ("type", "string"), ("kind", "string"), ("wikidataId", "string"),
                  ("aliases", "string[]"), ("nameLanguages", "string[]")]
FACT_COLUMNS = [("id", "string"), ("evidenceCount", "long"), ("firstPublished", "string"), ("date", "string"),
                ("datePrecision", "string"), ("dateStart", "date"), ("dateEnd", "date"), ("firstPublishedOn", "date"),
                *((q, QUALIFIER_TYPES[q]) for q in QUALIFIERS if q != "date")]


def _row(values: list[str]) -> str:
    return ",".join(values) + "\n"


def _write_entities(directory: Path, used: dict[str, Entity], languages: dict[str, set[str]]) -> list[Path]:
    """One node file per entity type (labels Entity and the type), names with the languages of the articles they
    were seen in (as the writer keeps them)."""
    entity_files = []
    by_type: dict[str, list[Entity]] = {}
    for entity in used.values():
        by_type.setdefault(entity.type, []).append(entity)
    for type_name, entities in sorted(by_type.items()):
        path = directory / f"nodes-Entity-{type_name}.csv"
        entity_files.append(path)
        with path.open("w", encoding="utf-8") as out:
            out.write(_row(["id:ID(Entity)", *(f"{k}:{t}" for k, t in ENTITY_COLUMNS), ":LABEL"]))
            for e in entities:
                values = {"name": e.name, "type": e.type, "kind": e.kind, "wikidataId": e.wikidata_id,
                          "aliases": e.all_names(),
                          "nameLanguages": sorted({entry for lang in sorted(languages[e.id])
                                                   for entry in seen_names(e.all_names(), lang)})}
                out.write(_row([_quote(e.id), *(_format(values[k], t) for k, t in ENTITY_COLUMNS),
                                _quote(f"Entity{ARRAY_DELIMITER}{type_name}")]))
    return entity_files


def _write_facts(directory: Path, aggregated: dict[str, list[Any]]) -> Path:
    """One relationship per fact, with the properties the writer derives from all its evidence."""
    facts_csv = directory / "rels-facts.csv"
    with facts_csv.open("w", encoding="utf-8") as out:
        out.write(_row([":START_ID(Entity)", ":END_ID(Entity)", ":TYPE", *(f"{k}:{t}" for k, t in FACT_COLUMNS)]))
        for fact_id, (predicate, subject_id, object_id, evidence) in aggregated.items():
            # the writer's own rule, on rows shaped like its evidence rows (each keyed by its evidence id)
            rows = [{**q, "confidence": confidence, "id": ev_id, "articleId": ev_id}
                    for confidence, ev_id, _, q in evidence]
            articles = {ev_id: evidence_article(ev_id, day, None, None, None, None) for _, ev_id, day, _ in evidence}
            props = {"id": fact_id, **derived_fact_properties(rows, articles)}
            out.write(_row([_quote(subject_id), _quote(object_id), predicate,
                            *(_format(props[k], t) for k, t in FACT_COLUMNS)]))
    return facts_csv


def write_csv(directory: Path, shape: Shape, facts: int) -> tuple[list[Path], list[Path], dict[str, int]]:
    directory.mkdir(parents=True, exist_ok=True)
    pools = EntityPools(shape)
    vocab = vocabulary()
    articles_csv = directory / "nodes-Article.csv"
    evidence_csv = directory / "nodes-Evidence.csv"
    from_article_csv = directory / "rels-FROM_ARTICLE.csv"
    # fact id -> [predicate, subject, object, [(confidence, evidence id, published, qualifiers)]]
    aggregated: dict[str, list[Any]] = {}
    used: dict[str, Entity] = {}
    languages: dict[str, set[str]] = defaultdict(set)  # entity id -> languages of the articles naming it
    counts = {"articles": 0, "evidence": 0}
    with articles_csv.open("w", encoding="utf-8") as arts, evidence_csv.open("w", encoding="utf-8") as evs, \
            from_article_csv.open("w", encoding="utf-8") as links:
        arts.write(_row(["id:ID(Article)", *(f"{k}:{t}" for k, t in ARTICLE_COLUMNS), ":LABEL"]))
        evs.write(_row(["id:ID(Evidence)", *(f"{k}:{t}" for k, t in EVIDENCE_COLUMNS), ":LABEL"]))
        links.write(_row([":START_ID(Evidence)", ":END_ID(Article)", ":TYPE"]))
        for extraction in extractions(shape, facts, pools):
            article = extraction.article
            counts["articles"] += 1
            values = {"text": article.text, "title": article.title, "url": article.url,
                      "published": article.published, "lang": article.lang, "source": article.source,
                      "contentHash": article.content_hash, "extractorVersion": "synthetic-1"}
            arts.write(_row([_quote(article.id), *(_format(values[k], t) for k, t in ARTICLE_COLUMNS), "Article"]))
            for fact in extraction.facts:
                fact_id = fact.id
                subject, obj = fact.subject, fact.object
                if vocab.is_symmetric(fact.predicate) and obj.id < subject.id:
                    subject, obj = obj, subject
                used[subject.id], used[obj.id] = subject, obj
                languages[subject.id].add(article.lang or "")
                languages[obj.id].add(article.lang or "")
                qualifiers = qualifier_properties(fact.qualifiers)
                entry = aggregated.setdefault(fact_id, [fact.predicate, subject.id, obj.id, []])
                for ev in fact.evidence:
                    ev_id = evidence_id(fact_id, ev.article_id, ev.start, ev.end)
                    row = {**qualifiers, "factId": fact_id, "predicate": fact.predicate, "articleId": article.id,
                           "sentence": ev.sentence, "start": ev.start, "end": ev.end, "extractor": ev.extractor,
                           "confidence": float(ev.confidence)}
                    evs.write(_row([_quote(ev_id), *(_format(row.get(k), t) for k, t in EVIDENCE_COLUMNS),
                                    "Evidence"]))
                    links.write(_row([_quote(ev_id), _quote(article.id), "FROM_ARTICLE"]))
                    entry[3].append((float(ev.confidence), ev_id, article.published, qualifiers))
                    counts["evidence"] += 1
    entity_files = _write_entities(directory, used, languages)
    facts_csv = _write_facts(directory, aggregated)
    counts.update(entities=len(used), facts=len(aggregated))
    nodes = [articles_csv, evidence_csv, *entity_files]
    return nodes, [from_article_csv, facts_csv], counts


def import_into(home: Path, nodes: list[Path], relationships: list[Path]) -> LocalNeo4j:
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(), heap="2g",
                                           pagecache="1g"))
    runtime = server.provision()
    (home / "conf").mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "NEO4J_HOME": str(home), "NEO4J_CONF": str(home / "conf")}
    args = ["database", "import", "full", "neo4j", "--multiline-fields=true", f"--array-delimiter={ARRAY_DELIMITER}",
            "--overwrite-destination=true", *(f"--nodes={p}" for p in nodes),
            *(f"--relationships={p}" for p in relationships)]
    proc = subprocess.run(["java", "-Xmx2g", "-cp", str(runtime / "lib" / "*"), ADMIN_TOOL, *args], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"import failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}")
    return server


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home", type=Path, help="new folder for the Neo4j home (data kept there)")
    parser.add_argument("--facts", type=int, default=1_250_000)
    parser.add_argument("--entities", type=int, default=250_000)
    args = parser.parse_args()
    home = args.home.resolve()
    started = time.perf_counter()
    nodes, rels, counts = write_csv(home / "import-csv", Shape(entities=args.entities), args.facts)
    csv_seconds = time.perf_counter() - started
    print(f"CSV: {counts} in {csv_seconds:.0f} s", flush=True)
    started = time.perf_counter()
    server = import_into(home, nodes, rels)
    import_seconds = time.perf_counter() - started
    print(f"neo4j-admin import: {import_seconds:.0f} s", flush=True)
    started = time.perf_counter()
    status = server.start()
    try:
        user, password = server.credentials()
        with connect(Neo4jSettings(uri=status.bolt_uri, user=user, password=password)) as conn:
            apply_schema(conn)
            print(f"schema: {time.perf_counter() - started:.0f} s", flush=True)
            derived = time.perf_counter()
            intervals = derive_all_intervals(conn)
            print(f"validity intervals: {intervals} in {time.perf_counter() - derived:.0f} s", flush=True)
            stored = conn.run("MATCH (e:Entity) WITH count(e) AS entities MATCH ()-[r]->() "
                              "WHERE NOT r:FROM_ARTICLE RETURN entities, count(r) AS facts")[0]
    finally:
        server.stop()
    print(f"schema (constraints, indexes incl. full-text) on the imported graph: "
          f"{time.perf_counter() - started:.0f} s; stored: {dict(stored)}", flush=True)
    for path in (home / "import-csv").iterdir():
        path.unlink()


if __name__ == "__main__":
    main()
