"""Where the time of one `write_batch` transaction goes: every query it runs, with Neo4j's PROFILE.

    python -m benchmarks.profile_writes [--preload 20000] [--batch 500] [--entities 20000]

Preloads `--preload` synthetic fact mentions, then writes one more batch of `--batch` new articles with each query
of the writer's transaction prefixed by PROFILE: prints its wall time, rows, database hits and its costliest
operators."""

from __future__ import annotations

import argparse
import time
from dataclasses import replace

from benchmarks.common import header
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import EntityPools, Shape, extractions
from benchmarks.writes import batches, renamed
from kg.store import GraphWriter
from kg.store.writer import _prepare


def _operators(plan, out: list) -> list:
    args = plan.get("args", {}) if isinstance(plan, dict) else {}
    out.append((plan.get("dbHits", 0), plan.get("rows", 0), plan.get("operatorType", "?"),
                str(args.get("Details", ""))[:110]))
    for child in plan.get("children", []):
        _operators(child, out)
    return out


class Recorded(list):
    """A query's records, read in full, with the part of the driver's Result API the writer uses."""

    def single(self, strict: bool = False):
        if strict and len(self) != 1:
            raise ValueError(f"expected one record, got {len(self)}")
        return self[0] if self else None


class ProfilingTransaction:
    """Runs every query of the writer with PROFILE and records its cost."""

    def __init__(self, tx) -> None:
        self.tx = tx
        self.costs: list[tuple[float, int, int, str, list]] = []

    def run(self, query: str, parameters=None, **kwargs):
        started = time.perf_counter()
        result = self.tx.run("PROFILE " + query, parameters, **kwargs)
        records = Recorded(result)
        summary = result.consume()
        elapsed = time.perf_counter() - started
        operators = _operators(summary.profile or {}, [])
        hits = sum(op[0] for op in operators)
        first_line = " ".join(query.split())[:100]
        self.costs.append((elapsed, len(records), hits, first_line, operators))
        return records


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--preload", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--entities", type=int, default=20_000)
    args = parser.parse_args()
    shape = Shape(entities=args.entities)
    pools = EntityPools(shape)
    with throwaway_neo4j() as (_, _, conn):
        writer = GraphWriter(conn, extractor_version="synthetic-1")
        writer.ensure_schema()
        started = time.perf_counter()
        for chunk in batches(extractions(shape, args.preload, pools), args.batch):
            writer.write_batch(chunk)
        preload_seconds = time.perf_counter() - started
        sample = list(renamed(extractions(replace(shape, seed=99), args.batch * 5, pools), "profiled-"))
        prepared = [_prepare(e) for e in sample[:args.batch]]
        with conn.driver.session(database=conn.database) as session:
            tx = session.begin_transaction()
            profiling = ProfilingTransaction(tx)
            started = time.perf_counter()
            writer._write_transaction(profiling, prepared)
            tx.commit()
            total = time.perf_counter() - started
    facts = sum(len(p.facts) for p in prepared)
    print(header("Profile of one write_batch transaction"))
    print(f"- preload: {args.preload:,} fact mentions in {preload_seconds:.1f} s; profiled batch: "
          f"{len(prepared)} articles, {facts} facts, {total:.2f} s in the transaction (PROFILE adds overhead)\n")
    in_queries = sum(c[0] for c in profiling.costs)
    print(f"- server side (sum of the queries' round trips): {in_queries:.2f} s; Python side (row building, "
          f"packing, derived properties): {total - in_queries:.2f} s; {len(profiling.costs)} round trips\n")
    print("| seconds | rows | db hits | db hits per fact | query |")
    print("|---|---|---|---|---|")
    for elapsed, rows, hits, query, _ in profiling.costs:
        print(f"| {elapsed:.3f} | {rows} | {hits:,} | {hits / max(facts, 1):.1f} | `{query}` |")
    for cost in sorted(profiling.costs, key=lambda c: -c[0])[:3]:
        print(f"\nOperators of `{cost[3]}` (db hits, rows, operator, details):\n")
        for op in sorted(cost[4], key=lambda o: -o[0])[:6]:
            print(f"- {op[0]:,} hits, {op[1]:,} rows: {op[2]} {op[3]}")


if __name__ == "__main__":
    main()
