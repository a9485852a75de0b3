"""Neo4j write throughput: the batched idempotent writer against one transaction per fact, same server, same run.

    python -m benchmarks.writes [--facts 1200000] [--entities 250000] [--batch 500] [--naive 2000]
                                [--rewrite 100000] [--home DIR]

1. `GraphWriter.write_all` (batches of `--batch` articles per transaction, i.e. `write_batch`) writes synthetic
   extractions (benchmarks/synthetic.py: power-law entity degrees, evidence per fact) into an empty graph;
   generation happens outside the clock.
2. Re-ingest, unchanged: the same articles again (same text, same extractor version): every article is recognised
   and skipped. Measured on the first `--rewrite` fact mentions.
3. Re-ingest, rewritten: the first `--rewrite` fact mentions again under a new extractor version, so every article
   is rewritten and every MERGE matches an existing node or relationship.
4. Naive: `--naive` fact mentions of new articles written one transaction per fact (MERGE article, both entities,
   the relationship and its evidence), next to the same number through the writer, on the full graph.
5. Ceiling: what this server can write at all, same run: `--ceiling` rows of the simplest statements, batched the
   same way (bare relationships between existing entities; evidence-like nodes with their properties and one
   relationship each), created then deleted. A fact costs at least one of each, so their rates bound the writer's.
`--home DIR` keeps the database there (benchmarks.queries reuses it); without it a temporary one is deleted."""

from __future__ import annotations

import argparse
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import islice
from pathlib import Path

from benchmarks.common import git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import EntityPools, Shape, extractions
from kg.model import ArticleExtraction
from kg.store import GraphConnection, GraphWriter
from kg.store.read_cypher import COUNTS

NAIVE_FACT = """
MERGE (a:Article {id: $articleId})
  ON CREATE SET a.title = $title, a.text = $text, a.published = $published, a.lang = $lang
MERGE (s:Entity {id: $subjectId}) ON CREATE SET s.name = $subjectName, s.type = $subjectType
MERGE (o:Entity {id: $objectId}) ON CREATE SET o.name = $objectName, o.type = $objectType
MERGE (s)-[r:%s {id: $factId}]->(o)
MERGE (ev:Evidence {id: $evidenceId})
  ON CREATE SET ev.factId = $factId, ev.articleId = $articleId, ev.sentence = $sentence, ev.start = $start,
                ev.end = $end, ev.confidence = $confidence, ev.predicate = $predicate
MERGE (ev)-[:FROM_ARTICLE]->(a)
"""


@dataclass
class Run:
    name: str
    facts: int = 0
    articles: int = 0
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.facts / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        articles = f"{self.articles:,}" if self.articles else "-"
        return f"| {self.name} | {articles} | {self.facts:,} | {self.seconds:.1f} | {self.rate:,.0f} |"


def batches(stream, size: int):
    it = iter(stream)
    while batch := list(islice(it, size)):
        yield batch


def write_with(writer: GraphWriter, stream, batch: int, run: Run, report_every: float = 30.0) -> Run:
    last = time.monotonic()
    for chunk in batches(stream, batch):  # generating the chunk is outside the clock
        started = time.perf_counter()
        writer.write_batch(chunk)
        run.seconds += time.perf_counter() - started
        run.articles += len(chunk)
        run.facts += sum(len(e.facts) for e in chunk)
        if time.monotonic() - last > report_every:
            last = time.monotonic()
            print(f"  {run.name}: {run.facts:,} facts in {run.seconds:.0f} s ({run.rate:,.0f} facts/s)", flush=True)
    return run


def write_naive(conn: GraphConnection, stream: list[ArticleExtraction], run: Run) -> Run:
    from kg.model import evidence_id
    from kg.vocabulary import vocabulary

    vocab = vocabulary()
    with conn.driver.session(database=conn.database) as session:
        for extraction in stream:
            article = extraction.article
            run.articles += 1
            for fact in extraction.facts:
                ev = fact.evidence[0]
                subject, obj = fact.subject, fact.object
                if vocab.is_symmetric(fact.predicate) and obj.id < subject.id:
                    subject, obj = obj, subject  # one direction for symmetric facts, as the writer does
                params = {"articleId": article.id, "title": article.title, "text": article.text,
                          "published": article.published, "lang": article.lang,
                          "subjectId": subject.id, "subjectName": subject.name,
                          "subjectType": subject.type, "objectId": obj.id,
                          "objectName": obj.name, "objectType": obj.type, "factId": fact.id,
                          "evidenceId": evidence_id(fact.id, article.id, ev.start, ev.end), "sentence": ev.sentence,
                          "start": ev.start, "end": ev.end, "confidence": ev.confidence,
                          "predicate": fact.predicate}
                query = NAIVE_FACT % fact.predicate
                started = time.perf_counter()
                session.execute_write(lambda tx, q=query, p=params: tx.run(q, p).consume())
                run.seconds += time.perf_counter() - started
                run.facts += 1
    return run


CEILING_RELATIONSHIPS = """
UNWIND $rows AS row
MATCH (s:Entity {id: row.subjectId})
MATCH (o:Entity {id: row.objectId})
CREATE (s)-[:BENCH_CEILING]->(o)
"""
CEILING_NODES = """
UNWIND $rows AS row
MATCH (a:Article {id: row.articleId})
CREATE (n:BenchCeiling)
SET n = row
CREATE (n)-[:BENCH_CEILING]->(a)
"""
CEILING_CLEANUP = """
MATCH ()-[r:BENCH_CEILING]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 50000 ROWS
"""
CEILING_CLEANUP_NODES = "MATCH (n:BenchCeiling) CALL (n) { DELETE n } IN TRANSACTIONS OF 50000 ROWS"


def write_ceiling(conn: GraphConnection, sample: list[ArticleExtraction], article_id: str, rows: int,
                  batch: int) -> list[Run]:
    """Bare creations on the same server, `batch` rows per transaction: the machine's write capacity. Only facts
    whose two entities are stored are used, so that every row creates something."""
    from kg.model import evidence_id

    stored = {r["id"] for r in conn.run("MATCH (e:Entity) RETURN e.id AS id")}
    facts = [f for e in sample for f in e.facts if f.subject.id in stored and f.object.id in stored][:rows]
    relationships = [{"subjectId": f.subject.id, "objectId": f.object.id} for f in facts]
    nodes = [{"articleId": article_id, "factId": f.id, "id": evidence_id(f.id, "ceiling", i, i),
              "predicate": f.predicate,
              "sentence": f.evidence[0].sentence, "start": f.evidence[0].start, "end": f.evidence[0].end,
              "extractor": f.evidence[0].extractor, "confidence": f.evidence[0].confidence, "date": f.qualifiers.date,
              "modality": f.qualifiers.modality} for i, f in enumerate(facts)]
    runs = []
    with conn.driver.session(database=conn.database) as session:
        for name, query, payload in (
                ("ceiling: bare relationship CREATE, no property", CEILING_RELATIONSHIPS, relationships),
                ("ceiling: evidence-like node CREATE + 1 relationship", CEILING_NODES, nodes)):
            run = Run(name)
            for chunk in batches(payload, batch):
                started = time.perf_counter()
                session.execute_write(lambda tx, q=query, c=chunk: tx.run(q, rows=c).consume())
                run.seconds += time.perf_counter() - started
                run.facts += len(chunk)
            runs.append(run)
        session.run(CEILING_CLEANUP).consume()
        session.run(CEILING_CLEANUP_NODES).consume()
    return runs


def renamed(stream, prefix: str):
    """The same extractions under other article ids (new articles carrying the same kind of facts)."""
    from kg.model import Evidence, Fact

    for extraction in stream:
        article = replace(extraction.article, id=prefix + extraction.article.id)
        facts = [Fact(f.subject, f.predicate, f.object, f.qualifiers,
                      [Evidence(article.id, e.sentence, e.start, e.end, e.extractor, e.confidence)
                       for e in f.evidence]) for f in extraction.facts]
        yield ArticleExtraction(article, extraction.entities, facts)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=1_200_000, help="fact mentions to write (~86%% distinct)")
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction (~5 facts each)")
    parser.add_argument("--naive", type=int, default=2_000, help="fact mentions for the naive comparison")
    parser.add_argument("--rewrite", type=int, default=100_000, help="fact mentions re-ingested")
    parser.add_argument("--ceiling", type=int, default=200_000,
                        help="rows of the bare-creation ceiling runs (0: skip)")
    parser.add_argument("--home", type=Path, default=None,
                        help="keep the database in this folder; an existing graph there (benchmarks.build_graph) is "
                             "written onto, to measure writes at scale")
    parser.add_argument("--seed", type=int, default=7, help="seed of the articles (entities always use 7)")
    parser.add_argument("--prefix", default="", help="prefix of the article ids (new articles on an existing graph)")
    return parser.parse_args()


SAMPLE_SEED_OFFSET = 1000  # the naive-vs-batched sample: other articles than the main run's
CEILING_SEED_OFFSET = 2000  # the bare-creation ceiling's articles
FACTS_PER_ARTICLE = 5  # about, in the synthetic shape: the ceiling's rows per transaction is batch * this


def _comparison_runs(conn: GraphConnection, writer: GraphWriter, shape: Shape, pools: EntityPools,
                     args: argparse.Namespace) -> tuple[Run, Run]:
    """The same sample written one transaction per fact, then batched."""
    sample_shape = replace(shape, seed=shape.seed + SAMPLE_SEED_OFFSET)
    naive_sample = list(renamed(extractions(sample_shape, args.naive, pools), args.prefix + "naive-"))
    batch_sample = list(renamed(extractions(sample_shape, args.naive, pools), args.prefix + "batched-"))
    naive = write_naive(conn, naive_sample, Run("naive: one transaction per fact, full graph"))
    batched = write_with(writer, batch_sample, args.batch, Run("write_batch, same sample, full graph"))
    return naive, batched


def _ceiling_runs(conn: GraphConnection, writer: GraphWriter, shape: Shape, pools: EntityPools,
                  args: argparse.Namespace) -> list[Run]:
    sample = list(renamed(extractions(replace(shape, seed=shape.seed + CEILING_SEED_OFFSET), args.ceiling, pools),
                          args.prefix + "ceiling-"))
    writer.write_batch(sample[:1])  # the article the evidence-like nodes point to
    return write_ceiling(conn, sample, sample[0].article.id, args.ceiling, args.batch * FACTS_PER_ARTICLE)


def _report(args: argparse.Namespace, runs: list[Run], final: dict[str, int], naive: Run, batched: Run) -> None:
    print()
    print(header(f"Neo4j writes (commit {git_commit()})"))
    print(f"- synthetic shape: {args.entities:,} entities planned, {args.facts:,} fact mentions, "
          f"{args.batch} articles per transaction; Neo4j heap 2g, page cache 1g")
    print(f"- graph after the run: {final['entities']:,} entities, {final['facts']:,} facts (relationships), "
          f"{final['evidence']:,} evidence, {final['articles']:,} articles")
    print()
    print("| run | articles | fact mentions | seconds | facts/s |")
    print("|---|---|---|---|---|")
    for run in runs:
        print(run.row())
    print()
    print(f"- write_batch / naive on the same sample: {batched.rate / naive.rate:.1f}x; "
          f"main write_batch run / naive: {runs[0].rate / naive.rate:.1f}x")


def main() -> None:
    args = _arguments()
    pools = EntityPools(Shape(entities=args.entities))
    shape = Shape(entities=args.entities, seed=args.seed)

    def stream(count: int) -> Iterator[ArticleExtraction]:
        generated = extractions(shape, count, pools)
        return renamed(generated, args.prefix) if args.prefix else generated

    runs: list[Run] = []
    with throwaway_neo4j(args.home) as (server, _, conn):
        writer = GraphWriter(conn, extractor_version="synthetic-1", batch_size=args.batch)
        writer.ensure_schema()
        print(f"Neo4j {conn.server_version()} at {conn.uri}, home {server.home}", flush=True)

        before = conn.read(COUNTS)[0]
        label = ("write_batch, empty graph -> full" if before["facts"] == 0 else
                 f"write_batch onto a graph of {before['facts']:,} facts")
        runs.append(write_with(writer, stream(args.facts), args.batch, Run(label)))
        print(f"  graph: {dict(conn.read(COUNTS)[0])}", flush=True)

        runs.append(write_with(writer, stream(args.rewrite), args.batch,
                               Run("re-ingest unchanged (same version: skipped)")))
        rewriter = GraphWriter(conn, extractor_version="synthetic-2", batch_size=args.batch)
        runs.append(write_with(rewriter, stream(args.rewrite), args.batch,
                               Run("re-ingest rewritten (new version: every MERGE matches)")))
        naive, batched = _comparison_runs(conn, writer, shape, pools, args)
        runs.extend([naive, batched])
        if args.ceiling:
            runs.extend(_ceiling_runs(conn, writer, shape, pools, args))
        final = dict(conn.read(COUNTS)[0])
    _report(args, runs, final, naive, batched)


if __name__ == "__main__":
    main()
