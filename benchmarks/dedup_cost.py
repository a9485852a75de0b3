"""What duplicate detection costs an ingest: the same articles written with it on and off, side by side in one run.

    python -m benchmarks.dedup_cost [--articles 400] [--copies 0.1] [--rounds 3] [--batch 64]

BBC articles (path order) plus lightly edited copies of a share of them (ingest.dedup.edits, "combined", seeded)
are extracted once (spaCy, as `kg ingest` does: the extraction is the same work in both modes and is timed once);
then, in a throwaway Neo4j, the graph is emptied and the extractions written with `GraphWriter(...,
detect_duplicates=True)` and `False`, alternately, `--rounds` times each (`write_all`, `--batch` articles per
transaction, as `kg ingest`). Ingest throughput = articles / (extraction + writing). Also printed: the signature
alone (shingles + MinHash + band keys) per article, and the clusters the run found."""

from __future__ import annotations

import argparse
import random
import statistics
import time

from benchmarks.common import bbc_articles, git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j
from ingest.batch import extract_articles
from ingest.dedup.edits import edited_copy
from kg.model import Article, ArticleExtraction
from kg.store import GraphConnection, GraphWriter
from kg.store.text_signatures import signature

SEED = 16


def with_copies(articles: list[Article], share: float) -> list[Article]:
    """The articles, and after them an edited copy of a seeded `share` of them (another id, another outlet)."""
    rng = random.Random(SEED)
    chosen = rng.sample(articles, int(len(articles) * share))
    copies = [Article(id=f"{a.id}-copy", text=edited_copy(a.text, "combined", rng), lang=a.lang,
                      published=a.published, source="copy-desk") for a in chosen]
    return articles + copies


def extract(articles: list[Article]) -> tuple[list[ArticleExtraction], float]:
    started = time.perf_counter()
    extractions = [x for x in extract_articles(articles) if isinstance(x, ArticleExtraction)]
    return extractions, time.perf_counter() - started


def timed_write(conn: GraphConnection, extractions: list[ArticleExtraction], detect: bool, batch: int) -> float:
    conn.run("MATCH (n) DETACH DELETE n")
    writer = GraphWriter(conn, "bench", detect_duplicates=detect)
    writer.ensure_schema()
    started = time.perf_counter()
    writer.write_all(extractions, batch_size=batch)
    return time.perf_counter() - started


def clusters(conn: GraphConnection) -> tuple[int, int]:
    record = conn.run("MATCH (a:Article)-[:DUPLICATE_OF]->(root:Article) "
                      "RETURN count(a) AS members, count(DISTINCT root) AS roots")[0]
    return record["roots"], record["members"]


def signature_cost(articles: list[Article]) -> float:
    started = time.perf_counter()
    for article in articles:
        signature(article.text)
    return (time.perf_counter() - started) / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=400)
    parser.add_argument("--copies", type=float, default=0.1, help="share of the articles given an edited copy")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    articles = with_copies(bbc_articles(args.articles), args.copies)
    print(header(f"dedup cost: {len(articles)} articles ({args.articles} BBC + copies), commit {git_commit()}"))
    extractions, extraction_seconds = extract(articles)
    print(f"extraction (once): {extraction_seconds:.1f} s for {len(extractions)} articles")
    print(f"signature alone: {signature_cost(articles) * 1000:.2f} ms per article")
    times: dict[bool, list[float]] = {True: [], False: []}
    with throwaway_neo4j() as (_, _, conn):
        timed_write(conn, extractions, True, args.batch)  # warm-up: page cache, query plans
        for _ in range(args.rounds):
            for detect in (False, True):
                times[detect].append(timed_write(conn, extractions, detect, args.batch))
        print(f"clusters found (last run with detection): roots, members = {clusters(conn)}")
    for detect in (False, True):
        write = statistics.median(times[detect])
        rate = len(extractions) / (extraction_seconds + write)
        print(f"detection {'on ' if detect else 'off'}: writes {', '.join(f'{t:.1f}' for t in times[detect])} s "
              f"(median {write:.1f} s, {len(extractions) / write:.0f} articles/s); ingest {rate:.2f} articles/s")
    off, on = statistics.median(times[False]), statistics.median(times[True])
    throughput_change = (extraction_seconds + off) / (extraction_seconds + on) - 1
    print(f"detection on vs off: writes {(on - off) / off * 100:+.1f} % time; ingest (extraction + writes) "
          f"{throughput_change * 100:+.1f} % throughput")


if __name__ == "__main__":
    main()
