"""Load test of the API: N concurrent clients for D seconds on loopback, mixing search, timeline, neighbourhood and
read-only Cypher, against `kg serve` on a throwaway Neo4j filled with a synthetic graph.

What it checks and records (appended to benchmarks/load/RESULTS.md):
- every response's status (any 5xx or connection error is a failure; the run exits with status 1);
- latency per kind of request (p50, p90, p99, max) and throughput;
- the API process's resident memory, sampled every second: start, peak, end, and its slope over the second half
  of the run (flat memory means no leak per request).
The generator is bounded: a fixed number of clients, each sending one request at a time, for a fixed time, to
127.0.0.1 only.

    python -m benchmarks.load.run                        # 50 clients, 60 s, 5,000 synthetic facts
    python -m benchmarks.load.run --clients 10 --seconds 10 --facts 1000 --no-record   # a quick look
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from benchmarks.common import git_commit, header, percentile
from benchmarks.neo4j_server import throwaway_neo4j
from benchmarks.synthetic import Shape, extractions
from kg.neo4j_local.server import free_port
from kg.settings import Neo4jSettings
from kg.store import GraphConnection, GraphWriter

ROOT = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
API_KEY = "load-test-key-" + os.urandom(8).hex()
MIX = (("search", 30), ("timeline", 25), ("neighbourhood", 25), ("cypher", 20))
CYPHER = ("MATCH (e:Entity {id: $id})-[r]-(o:Entity) RETURN type(r) AS predicate, o.name AS other, r.date AS date "
          "ORDER BY date LIMIT 25")


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def slope_mb_per_min(samples: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) samples, in MB per minute."""
    if len(samples) < 3:
        return 0.0
    xs, ys = [s[0] for s in samples], [s[1] for s in samples]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    var = sum((x - mx) ** 2 for x in xs)
    return 60 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0


def _at(samples: list[tuple[float, float]], second: float) -> float:
    """The memory sample nearest to `second`."""
    return min(samples, key=lambda s: abs(s[0] - second))[1]


def request_for(kind: str, rng: random.Random, entities: list[tuple[str, str]]) -> tuple[str, str, dict]:
    entity_id, name = rng.choice(entities)
    if kind == "search":
        word = name.split()[0]
        return "GET", "/v1/entities", {"params": {"q": word[: rng.randint(3, max(3, len(word)))], "limit": 20}}
    if kind == "timeline":
        return "GET", f"/v1/entities/{entity_id}/timeline", {"params": {"limit": 50}}
    if kind == "neighbourhood":
        return "GET", f"/v1/graph/neighborhood/{entity_id}", {"params": {"depth": rng.choice([1, 1, 2]),
                                                                         "limit": 100}}
    return "POST", "/v1/cypher", {"json": {"query": CYPHER, "parameters": {"id": entity_id}}}


async def client_loop(base: str, deadline: float, seed: int, entities: list[tuple[str, str]], tally: Tally) -> None:
    rng = random.Random(seed)
    kinds = [k for k, w in MIX for _ in range(w)]
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=httpx.Limits(max_connections=1)) as client:
        while time.monotonic() < deadline:
            kind = rng.choice(kinds)
            method, path, kwargs = request_for(kind, rng, entities)
            started = time.perf_counter()
            try:
                response = await client.request(method, path, **kwargs)
            except httpx.HTTPError as exc:
                tally.errors[f"{kind}: {type(exc).__name__}"] += 1
                continue
            tally.latencies[kind].append(time.perf_counter() - started)
            tally.statuses[response.status_code] += 1
            if response.status_code >= 500:
                tally.server_errors.append(f"{kind} {path} -> {response.status_code} {response.text[:200]}")


async def sample_memory(pid: int, deadline: float, started: float, samples: list[tuple[float, float]]) -> None:
    while time.monotonic() < deadline:
        samples.append((time.monotonic() - started, rss_mb(pid)))
        await asyncio.sleep(1.0)


async def drive(base: str, clients: int, seconds: float, pid: int, entities: list[tuple[str, str]],
                tally: Tally, samples: list[tuple[float, float]]) -> float:
    started = time.monotonic()
    deadline = started + seconds
    await asyncio.gather(sample_memory(pid, deadline, started, samples),
                         *(client_loop(base, deadline, seed, entities, tally) for seed in range(clients)))
    return time.monotonic() - started


def wait_for_api(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"kg serve exited with {proc.returncode}")
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("kg serve did not answer in time")


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--facts", type=int, default=5000, help="synthetic fact mentions in the graph")
    parser.add_argument("--warmup", type=float, default=15.0, help="seconds of unmeasured load first")
    parser.add_argument("--heap", default="1g", help="Neo4j heap of the throwaway server")
    parser.add_argument("--no-record", action="store_true", help="print the results without appending them")
    return parser.parse_args()


FACTS_PER_ENTITY = 5  # the synthetic graph's density: entities = facts / this (at least MIN_ENTITIES)
MIN_ENTITIES = 200
LOAD_BATCH = 200  # articles per transaction while the graph is built
REQUEST_ENTITIES = 500  # the best-connected entities the clients ask about
GRAPH_SIZE = ("MATCH (e:Entity) WITH count(e) AS entities MATCH (:Entity)-[r]->(:Entity) "
              "RETURN entities, count(r) AS facts")
BEST_CONNECTED = ("MATCH (e:Entity) WITH e, COUNT { (e)--() } AS degree ORDER BY degree DESC, e.id LIMIT $n "
                  "RETURN e.id AS id, e.name AS name")
SERVER_ERRORS_SHOWN = 10


def _build_graph(conn: GraphConnection, facts: int) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """The synthetic graph; its size, and the entities the clients will ask about."""
    load_started = time.perf_counter()
    shape = Shape(entities=max(MIN_ENTITIES, facts // FACTS_PER_ENTITY))
    GraphWriter(conn, extractor_version="synthetic").write_all(extractions(shape, facts), batch_size=LOAD_BATCH)
    counts = dict(conn.read(GRAPH_SIZE)[0])
    entities = [(r["id"], r["name"]) for r in conn.read(BEST_CONNECTED, {"n": REQUEST_ENTITIES})]
    print(f"graph: {counts['entities']} entities, {counts['facts']} facts, "
          f"loaded in {time.perf_counter() - load_started:.1f} s", flush=True)
    return counts, entities


def _serve_and_drive(settings: Neo4jSettings, args: argparse.Namespace, entities: list[tuple[str, str]],
                     tally: Tally, samples: list[tuple[float, float]]) -> float:
    """Start `kg serve` against the graph, warm it up, then drive the measured load; returns its duration."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "NEO4J_URI": settings.uri or "", "NEO4J_USER": settings.user,
           "NEO4J_PASSWORD": settings.password or "", "KG_API_KEY": API_KEY}
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"kg-load-serve-{port}.log"
    with log.open("wb") as handle:
        proc = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--host", "127.0.0.1", "--port", str(port)],
                                cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    try:
        wait_for_api(base, proc)
        # warm-up at full concurrency, so that the thread pool, the driver's connection pool and caches have
        # grown before memory is measured: growth after that is what a leak would look like
        asyncio.run(drive(base, args.clients, args.warmup, proc.pid, entities, Tally(), []))
        return asyncio.run(drive(base, args.clients, args.seconds, proc.pid, entities, tally, samples))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _memory(samples: list[tuple[float, float]], seconds: float) -> str:
    if not samples:
        return "not sampled"
    half = [s for s in samples if s[0] >= seconds / 2]
    return (f"start {samples[0][1]:.0f} MB, peak {max(s[1] for s in samples):.0f} MB, end {samples[-1][1]:.0f} MB, "
            f"slope over the second half {slope_mb_per_min(half):+.1f} MB/min; at each tenth of the run: "
            + ", ".join(f"{_at(samples, seconds * k / 10):.0f}" for k in range(1, 11)) + " MB")


def _report(args: argparse.Namespace, counts: dict[str, int], tally: Tally, samples: list[tuple[float, float]],
            elapsed: float) -> str:
    total = sum(tally.statuses.values())
    lines = [header(f"API load: {args.clients} clients, {args.seconds:.0f} s"),
             f"- commit: {git_commit()}",
             f"- graph: {counts['entities']} entities, {counts['facts']} facts (synthetic, {args.facts} fact mentions)",
             f"- requests: {total} in {elapsed:.1f} s ({total / elapsed:.0f} req/s); statuses "
             + ", ".join(f"{code}: {n}" for code, n in sorted(tally.statuses.items())),
             f"- 5xx: {sum(n for c, n in tally.statuses.items() if c >= 500)}; connection errors: "
             f"{sum(tally.errors.values())}" + (f" ({dict(tally.errors)})" if tally.errors else ""),
             f"- API memory (RSS, after {args.warmup:.0f} s of warm-up at full concurrency): "
             f"{_memory(samples, args.seconds)}", "",
             "| request | count | p50 ms | p90 ms | p99 ms | max ms |", "|---|---:|---:|---:|---:|---:|"]
    for kind, _ in MIX:
        ms = [v * 1000 for v in tally.latencies[kind]] or [0.0]
        lines.append(f"| {kind} | {len(tally.latencies[kind])} | {percentile(ms, 50):.0f} | {percentile(ms, 90):.0f} "
                     f"| {percentile(ms, 99):.0f} | {max(ms):.0f} |")
    return "\n".join(lines) + "\n"


def main() -> None:
    args = _arguments()
    tally = Tally()
    samples: list[tuple[float, float]] = []  # (seconds, API memory in MB)
    with throwaway_neo4j(heap=args.heap, pagecache="256m") as (_server, settings, conn):
        counts, entities = _build_graph(conn, args.facts)
        elapsed = _serve_and_drive(settings, args, entities, tally, samples)
    report = _report(args, counts, tally, samples, elapsed)
    print(report)
    for line in tally.server_errors[:SERVER_ERRORS_SHOWN]:
        print("5xx:", line)
    if not args.no_record:
        with RESULTS.open("a", encoding="utf-8") as fh:
            fh.write("\n" + report)
    failed = tally.server_errors or tally.errors
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
