"""Time and peak memory of a full RDF export, streamed (N-Triples) and, for comparison, built in memory.

    python -m benchmarks.export HOME [HOME ...] [--in-memory-up-to 100000] [--pages also|only]

Each HOME is a Neo4j home made by `python -m benchmarks.build_graph` (stopped). For each: start it, count the
facts, and run the export in a fresh child process (`kg export --format ntriples --output FILE` in-process, so its
peak resident memory is the export's own), once streamed and, for graphs up to --in-memory-up-to facts, once built
as an rdflib Graph (the former export path). Prints one Markdown table row per run."""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.neo4j_server import throwaway_neo4j
from kg.store import GraphConnection

COUNTS = ("MATCH (e:Entity) WITH count(e) AS entities MATCH (:Entity)-[r]->(:Entity) "
          "WITH entities, count(r) AS facts MATCH (ev:Evidence) RETURN entities, facts, count(ev) AS evidence")


def child(mode: str, output: Path) -> None:
    """Run one export in this process and print its time and peak RSS as JSON (the connection comes from NEO4J_*)."""
    from kg.rdf.export import export_graph, stream_ntriples
    from kg.store import connect

    started = time.perf_counter()
    with connect() as conn, open(output, "w", encoding="utf-8") as out:
        if mode == "stream":
            for line in stream_ntriples(conn):
                out.write(line)
        else:
            out.write(export_graph(conn, "ntriples"))
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": round(seconds, 1), "peak_mb": round(peak_mb)}))


def run_child(mode: str, output: Path, env: dict[str, str]) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-m", "benchmarks.export", "--child", mode, "--output", str(output)],
                          env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {mode} export failed:\n{done.stderr[-4000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    with open(output, "rb") as f:
        result["triples"] = sum(1 for _ in f)
    result["mb_written"] = round(output.stat().st_size / 1e6)
    output.unlink()
    return result


def measure_pages(conn: GraphConnection, facts: int) -> None:
    """What `GET /v1/export?offset=&limit=10000` does: one page of facts with their entities, evidence, articles."""
    from kg.rdf.export import MAX_PAGE_FACTS, export_page

    for offset in (0, facts // 2):
        started = time.perf_counter()
        text = export_page(conn, "turtle", offset, MAX_PAGE_FACTS)
        seconds = time.perf_counter() - started
        print(f"page of {MAX_PAGE_FACTS:,} facts at offset {offset:,} as Turtle: {seconds:.1f} s, "
              f"{len(text.encode('utf-8')) / 1e6:.0f} MB", flush=True)


def measure(home: Path, in_memory_up_to: int, scratch: Path, pages: str | None) -> None:
    with throwaway_neo4j(home.resolve()) as (_, settings, conn):
        counts = conn.run(COUNTS)[0].data()
        env = {**os.environ, "NEO4J_URI": str(settings.uri), "NEO4J_USER": settings.user,
               "NEO4J_PASSWORD": settings.password or "", "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
        modes = ["stream"] + (["in-memory"] if counts["facts"] <= in_memory_up_to else [])
        modes = [] if pages == "only" else modes
        for mode in modes:
            r = run_child(mode, scratch / f"export-{mode}.nt", env)
            rate = r["triples"] / r["seconds"] if r["seconds"] else 0
            print(f"| {home.name} | {counts['entities']:,} | {counts['facts']:,} | {counts['evidence']:,} | {mode} | "
                  f"{int(r['triples']):,} | {r['mb_written']:,} | {r['seconds']} | {rate:,.0f} | {r['peak_mb']:,} |",
                  flush=True)
        if pages:
            measure_pages(conn, counts["facts"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("homes", type=Path, nargs="*")
    parser.add_argument("--in-memory-up-to", type=int, default=100_000, help="facts; larger graphs stream only")
    parser.add_argument("--scratch", type=Path, default=Path("/tmp"), help="where the export files go (deleted)")
    parser.add_argument("--pages", choices=("also", "only"), help="time a 10,000-fact page (the API's largest)")
    parser.add_argument("--child", choices=("stream", "in-memory"), help=argparse.SUPPRESS)
    parser.add_argument("--output", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.output)
        return
    print("| graph | entities | facts | evidence | export | triples | MB | s | triples/s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for home in args.homes:
        measure(home, args.in_memory_up_to, args.scratch, args.pages)


if __name__ == "__main__":
    main()
