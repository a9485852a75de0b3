"""Articles per transaction, side by side: one writer, one server, one synthetic stream, cut into transactions of
each `--sizes` in turn (the order rotates every round), so every size writes onto the same growing graph under the
same machine load.

    python -m benchmarks.batch_sweep [--facts 40000] [--entities 10000] [--sizes 250 500 1000 2000]

One warm-up transaction (the smallest size) is written off the clock."""

from __future__ import annotations

import argparse
import time
from itertools import islice

from benchmarks.common import git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import EntityPools, Shape, extractions
from benchmarks.writes import Run
from kg.store import GraphWriter
from kg.store.read_cypher import COUNTS


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=40_000, help="fact mentions, all sizes together")
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[250, 500, 1000, 2000], help="articles per transaction")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    shape = Shape(entities=args.entities)
    stream = extractions(shape, args.facts, EntityPools(shape))
    runs = {size: Run(f"{size:,} articles per transaction") for size in args.sizes}
    with throwaway_neo4j() as (_, _, conn):
        writer = GraphWriter(conn, extractor_version="v1")
        writer.write_batch(list(islice(stream, min(args.sizes))))  # warm-up, off the clock
        for round_number in range(10**9):
            order = args.sizes[round_number % len(args.sizes):] + args.sizes[:round_number % len(args.sizes)]
            for size in order:
                chunk = list(islice(stream, size))
                if not chunk:
                    break
                started = time.perf_counter()
                writer.write_batch(chunk)
                runs[size].seconds += time.perf_counter() - started
                runs[size].articles += len(chunk)
                runs[size].facts += sum(len(e.facts) for e in chunk)
            else:
                continue
            break
        final = dict(conn.read(COUNTS)[0])
    print()
    print(header(f"Articles per transaction (commit {git_commit()}, one writer, one server, same run)"))
    print(f"- graph after the run: {final}")
    print()
    print("| run | articles | fact mentions | seconds | facts/s |")
    print("|---|---|---|---|---|")
    for run in runs.values():
        print(run.row())


if __name__ == "__main__":
    main()
