"""What recording the change feed costs the writer: benchmarks/writes.py's workload with the feed on and off, side
by side in one run.

    python -m benchmarks.change_feed_cost [--facts 20000] [--rounds 3] [--threads 2] [--entities 250000]
                                          [--batch 500]

Same synthetic articles (benchmarks/synthetic.py) and articles per transaction as benchmarks/writes.py. Each round
runs every phase twice, feed on (the writer as it is: a snapshot of the pairs a batch touches before its writes, a
diff and one FactChange node per changed fact after them, the feed lock held to commit) and feed off (the writer's
two feed calls replaced by no-ops), in alternating order, so that the shared machine's noise falls on both:
1. new articles: `--facts` fact mentions of articles not seen before (each variant its own seed: similar facts);
2. rewritten: the same articles under a new extractor version (every MERGE matches; no fact changes, so the feed
   only pays its two snapshot reads);
3. concurrent: `--threads` writers at once, each `--facts / --threads` new mentions (the feed lock serialises their
   commits: this is where it would show).
Generation happens outside the clock."""

from __future__ import annotations

import argparse
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from benchmarks.common import git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import EntityPools, Shape, extractions
from benchmarks.writes import renamed
from kg.model import ArticleExtraction
from kg.store import GraphConnection, GraphWriter, changes

VARIANTS = ("on", "off")


@contextmanager
def feed(variant: str) -> Iterator[None]:
    """The writer with its feed calls as they are ("on") or replaced by no-ops ("off")."""
    saved = changes.snapshot_facts, changes.record_snapshot_changes
    if variant == "off":
        changes.snapshot_facts = lambda *_: {}  # type: ignore[assignment]
        changes.record_snapshot_changes = lambda *_, **__: 0  # type: ignore[assignment]
    try:
        yield
    finally:
        changes.snapshot_facts, changes.record_snapshot_changes = saved


@dataclass
class Tally:
    facts: int = 0
    seconds: float = 0.0
    rounds: list[float] = field(default_factory=list)  # facts/s of each round

    @property
    def rate(self) -> float:
        return self.facts / self.seconds if self.seconds else 0.0


def timed_write(writer: GraphWriter, articles: list[ArticleExtraction], batch: int) -> float:
    started = time.perf_counter()
    writer.write_all(articles, batch_size=batch)
    return time.perf_counter() - started


def timed_concurrent(conn: GraphConnection, parts: list[list[ArticleExtraction]], batch: int) -> float:
    threads = [threading.Thread(target=GraphWriter(conn, extractor_version="v1").write_all, args=(part,),
                                kwargs={"batch_size": batch}) for part in parts]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def _articles(args: argparse.Namespace, pools: EntityPools, seed: int, prefix: str) -> list[ArticleExtraction]:
    return list(renamed(extractions(Shape(entities=args.entities, seed=seed), args.facts, pools), prefix))


def _round(conn: GraphConnection, args: argparse.Namespace, pools: EntityPools, number: int,
           tallies: dict[tuple[str, str], Tally]) -> None:
    order = VARIANTS if number % 2 == 0 else tuple(reversed(VARIANTS))
    for variant in order:
        seed = 100 + 10 * number + VARIANTS.index(variant)
        fresh = _articles(args, pools, seed, f"{variant}-{number}-")
        parallel = _articles(args, pools, seed + 5, f"{variant}-{number}-p-")
        mentions = sum(len(a.facts) for a in fresh)
        with feed(variant):
            runs = {"new articles": (mentions, timed_write(GraphWriter(conn, "v1"), fresh, args.batch)),
                    "rewritten (new extractor version)": (mentions, timed_write(GraphWriter(conn, "v2"), fresh,
                                                                                 args.batch))}
            parts = [parallel[i::args.threads] for i in range(args.threads)]
            runs[f"concurrent ({args.threads} writers)"] = (sum(len(a.facts) for a in parallel),
                                                           timed_concurrent(conn, parts, args.batch))
        for phase, (facts, seconds) in runs.items():
            tally = tallies.setdefault((phase, variant), Tally())
            tally.facts += facts
            tally.seconds += seconds
            tally.rounds.append(facts / seconds)
        print(f"  round {number} feed {variant}: " + ", ".join(f"{p} {f / s:,.0f} facts/s"
                                                               for p, (f, s) in runs.items()), flush=True)


def _report(args: argparse.Namespace, tallies: dict[tuple[str, str], Tally], recorded: int, facts: int) -> None:
    print()
    print(header(f"Change feed cost on writes (commit {git_commit()})"))
    print(f"- {args.rounds} rounds, {args.facts:,} fact mentions per phase and variant, {args.batch} articles per "
          f"transaction, {args.entities:,} entities planned; {facts:,} facts and {recorded:,} recorded changes "
          "at the end")
    print()
    print("| phase | feed on, facts/s | feed off, facts/s | on / off | rounds on | rounds off |")
    print("|---|---|---|---|---|---|")
    for phase in dict.fromkeys(p for p, _ in tallies):
        on, off = tallies[(phase, "on")], tallies[(phase, "off")]
        print(f"| {phase} | {on.rate:,.0f} | {off.rate:,.0f} | {on.rate / off.rate:.2f} | "
              f"{', '.join(f'{r:,.0f}' for r in on.rounds)} | {', '.join(f'{r:,.0f}' for r in off.rounds)} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=20_000, help="fact mentions per phase, variant and round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2, help="writers at once in the concurrent phase")
    parser.add_argument("--entities", type=int, default=250_000)
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction (~5 facts each)")
    args = parser.parse_args()
    pools = EntityPools(replace(Shape(entities=args.entities), seed=7))
    tallies: dict[tuple[str, str], Tally] = {}
    with throwaway_neo4j() as (server, _, conn):
        GraphWriter(conn).ensure_schema()
        print(f"Neo4j {conn.server_version()} at {conn.uri}, home {server.home}", flush=True)
        for number in range(args.rounds):
            _round(conn, args, pools, number, tallies)
        recorded = conn.read("MATCH (c:FactChange) RETURN count(c) AS n")[0]["n"]
        facts = conn.read("MATCH ()-[r]->() WHERE r.evidenceCount IS NOT NULL RETURN count(r) AS n")[0]["n"]
    _report(args, tallies, recorded, facts)


if __name__ == "__main__":
    main()
