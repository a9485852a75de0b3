"""The current writer against a baseline commit's writer, side by side on one server, in one run.

    python -m benchmarks.writer_ab [--baseline HEAD] [--facts 150000] [--entities 50000] [--batch 1000]
                                   [--rewrite 30000] [--ceiling 100000]

The baseline's whole `kg` package is read from git (`--baseline`) and loaded beside the working tree's under another
name, so a change anywhere on the write path (time writes, change feed, duplicates, Cypher) is measured; the schema
of both is created (the current one's indexes serve both).
One synthetic stream (benchmarks/synthetic.py) is cut into batches of `--batch` articles, dealt alternately to the
two writers (A = baseline, B = current) in the order A, B, B, A, A, B, ..., so both write onto the same growing
graph under the same load and neither always writes first (an A/A run of one commit against itself dealt A, B, A,
B and measured B 1.44x faster). Each writer's first chunk and a short last chunk are written off the clock. Then
each re-ingests its first `--rewrite` fact mentions under a new extractor version (every article re-read), dealt
the same way. Last, the server's bare-creation ceiling (benchmarks.writes) on the full graph."""

from __future__ import annotations

import argparse
import importlib
import io
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.common import ROOT, git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import EntityPools, Shape, extractions
from benchmarks.writes import Run, _ceiling_runs, batches
from kg.model import ArticleExtraction
from kg.store import GraphConnection, GraphWriter
from kg.store.read_cypher import COUNTS

BASELINE_PACKAGE = "kg_ab_baseline"  # the baseline commit's `kg` package, imported under this name


def _import_baseline_package(commit: str, into: Path) -> None:
    """Extract `kg/` and `ontology/` of `commit` into `into`, with `kg` renamed so that it loads beside the working
    tree's package (every `kg.` import of the copy is rewritten to the new name)."""
    archive = subprocess.run(["git", "archive", commit, "kg", "ontology"], cwd=ROOT, capture_output=True,
                             check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    package = into / BASELINE_PACKAGE
    (into / "kg").rename(package)
    imports = re.compile(r"\b(from|import) kg(?=[. ])")
    for source in package.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        source.write_text(imports.sub(rf"\1 {BASELINE_PACKAGE}", text), encoding="utf-8")
    sys.path.insert(0, str(into))


def baseline_writer_class(commit: str, into: Path) -> type[GraphWriter]:
    """`GraphWriter` as it was at `commit`, with every module of `kg` as it was then (time writes, change feed,
    duplicates, Cypher and schema included), so that a change anywhere on the write path is measured."""
    _import_baseline_package(commit, into)
    module = importlib.import_module(f"{BASELINE_PACKAGE}.store.writer")
    writer: type[GraphWriter] = module.GraphWriter
    return writer


@dataclass
class Pair:
    baseline: Run
    current: Run
    order: list[str] = field(default_factory=list)

    def rows(self) -> list[str]:
        ratio = self.current.rate / self.baseline.rate if self.baseline.rate else 0.0
        return [self.baseline.row(), self.current.row(), f"| current / baseline | | | | **{ratio:.2f}x** |"]


def _timed(writer: GraphWriter, chunk: list[ArticleExtraction], run: Run) -> None:
    started = time.perf_counter()
    writer.write_batch(chunk)
    run.seconds += time.perf_counter() - started
    run.articles += len(chunk)
    run.facts += sum(len(e.facts) for e in chunk)


ABBA = (0, 1, 1, 0)  # which writer takes chunk i (i % 4): neither always writes first nor onto the larger graph


def deal(chunks: Iterable[list[ArticleExtraction]]) -> Iterator[tuple[int, list[ArticleExtraction]]]:
    """(side, chunk): chunk i goes to writer ABBA[i % 4] (A, B, B, A, A, B, ...)."""
    for i, chunk in enumerate(chunks):
        yield ABBA[i % 4], chunk


def alternate(writers: tuple[GraphWriter, GraphWriter], dealt: Iterable[tuple[int, list[ArticleExtraction]]],
              pair: Pair, batch: int, kept: list[list] | None = None) -> None:
    """Each writer writes its chunks in the dealt order. Off the clock: the first chunk of each writer (the JVM's
    first queries: plans, caches) and a last chunk shorter than `batch` (its fixed cost is not amortised)."""
    runs = (pair.baseline, pair.current)
    warmed: set[int] = set()
    for side, chunk in dealt:
        if side not in warmed or len(chunk) < batch:
            writers[side].write_batch(chunk)
            warmed.add(side)
        else:
            _timed(writers[side], chunk, runs[side])
        if kept is not None:
            kept[side].append(chunk)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default="HEAD",
                        help="commit of the baseline writer (default: the last commit, against the working tree)")
    parser.add_argument("--facts", type=int, default=150_000, help="fact mentions, both writers together")
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--batch", type=int, default=1_000, help="articles per transaction")
    parser.add_argument("--rewrite", type=int, default=30_000, help="fact mentions each writer re-ingests")
    parser.add_argument("--ceiling", type=int, default=100_000, help="rows of the ceiling runs (0: skip)")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    with tempfile.TemporaryDirectory(prefix="writer-ab-") as folder:
        _run(args, baseline_writer_class(args.baseline, Path(folder)))


def _run(args: argparse.Namespace, baseline_class: type[GraphWriter]) -> None:
    pools = EntityPools(Shape(entities=args.entities))
    shape = Shape(entities=args.entities)
    with throwaway_neo4j() as (_, _, conn):
        writers = (baseline_class(conn, extractor_version="v1"), GraphWriter(conn, extractor_version="v1"))
        for writer in writers:
            writer.ensure_schema()
        first = Pair(Run(f"A baseline {args.baseline}: new articles"),
                     Run(f"B current (working tree on {git_commit()}): new articles"))
        written: list[list] = [[], []]
        alternate(writers, deal(batches(extractions(shape, args.facts, pools), args.batch)), first, args.batch,
                  written)
        print(f"  written: {dict(conn.read(COUNTS)[0])}", flush=True)
        rewriters = (baseline_class(conn, extractor_version="v2"), GraphWriter(conn, extractor_version="v2"))
        second = Pair(Run("A baseline: re-ingest, new extractor version"),
                      Run("B current: re-ingest, new extractor version"))
        for side in (0, 1):  # each side rewrites its own articles, interleaved again
            written[side] = _first_mentions(written[side], args.rewrite)
        interleaved = [(side, written[side][k]) for k in range(min(map(len, written))) for side in ABBA[k % 2 * 2:][:2]]
        alternate(rewriters, interleaved, second, args.batch)
        ceiling = _ceiling(conn, writers[1], shape, pools, args) if args.ceiling else []
        final = dict(conn.read(COUNTS)[0])
    _report(args, [first, second], ceiling, final)


def _first_mentions(chunks: list[list[ArticleExtraction]], mentions: int) -> list[list[ArticleExtraction]]:
    kept, count = [], 0
    for chunk in chunks:
        if count >= mentions:
            break
        kept.append(chunk)
        count += sum(len(e.facts) for e in chunk)
    return kept


def _ceiling(conn: GraphConnection, writer: GraphWriter, shape: Shape, pools: EntityPools,
             args: argparse.Namespace) -> list[Run]:
    ceiling_args = argparse.Namespace(ceiling=args.ceiling, prefix="", batch=args.batch)
    return _ceiling_runs(conn, writer, shape, pools, ceiling_args)


def _report(args: argparse.Namespace, pairs: list[Pair], ceiling: list[Run], final: dict[str, int]) -> None:
    print()
    print(header(f"Writer A/B: baseline {args.baseline} vs current {git_commit()} (same server, same run)"))
    print(f"- graph after the run: {final}")
    print()
    print("| run | articles | fact mentions | seconds | facts/s |")
    print("|---|---|---|---|---|")
    for pair in pairs:
        for row in pair.rows():
            print(row)
    for run in ceiling:
        print(run.row())
    if ceiling:
        bound = min(r.rate for r in ceiling)
        print(f"\n- current new-article rate / evidence-like ceiling: {pairs[0].current.rate / bound:.0%}")


if __name__ == "__main__":
    main()
