"""Query latency at scale through the HTTP API, with load from a second process on loopback.

    python -m benchmarks.queries HOME [--requests 2000] [--seconds 240] [--concurrency 4] [--entities 250000]

HOME is a Neo4j home built by `python -m benchmarks.build_graph HOME` (>= 1,000,000 facts, >= 200,000 entities).
This script starts that Neo4j and the API (`uvicorn api.app:create_app --factory`, its own process), then acts as
the load generator: `--concurrency` client threads send a mix of requests, bounded by `--requests` in all and by
`--seconds`, after a warm-up. Per kind of request it reports p50 / p90 / p99 of the time from sending the request
to having read the whole response:
- search:        GET  /v1/entities?q=<name words>&limit=20
- timeline:      GET  /v1/entities/{id}/timeline?limit=50
- neighbourhood: GET  /v1/graph/neighborhood/{id}?depth=2&limit=50
- researcher:    POST /v1/cypher  (docs/graph-model.md "acquisitions in a period", for one company)
Entities are drawn half from the hubs (the most connected 1 %) and half uniformly, as users would."""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

from benchmarks.common import git_commit, header, percentile, summary_ms
from benchmarks.synthetic import EntityPools, Shape
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import free_port
from kg.settings import LocalNeo4jSettings
from kg.store.research_queries import ACQUISITIONS

TARGETS_MS = {"search": 50, "timeline": 50, "neighbourhood": 100}


KINDS = ("search", "timeline", "neighbourhood", "researcher")


def requests_for(pools: EntityPools, rng: random.Random, kinds: tuple[str, ...] = KINDS):
    orgs = pools.by_type["Organization"]
    everyone = [e for pool in pools.by_type.values() for e in pool]

    def entity():
        pool = rng.choice(list(pools.by_type.values()))
        if rng.random() < 0.5:
            return pool[rng.randrange(max(1, len(pool) // 100))]
        return rng.choice(everyone)

    def make():
        kind = rng.choice(kinds)
        if kind == "search":
            words = entity().name.split()
            q = " ".join(words[:2]) if rng.random() < 0.5 else words[0][:4]
            return kind, "GET", "/v1/entities", {"q": q, "limit": 20}, None
        if kind == "timeline":
            return kind, "GET", f"/v1/entities/{entity().id}/timeline", {"limit": 50}, None
        if kind == "neighbourhood":
            return kind, "GET", f"/v1/graph/neighborhood/{entity().id}", {"depth": 2, "limit": 50}, None
        company = orgs[rng.randrange(len(orgs) // 100)] if rng.random() < 0.5 else rng.choice(orgs)
        body = {"query": ACQUISITIONS.cypher, "parameters": {"company": company.name, "from": "2015", "to": "2030"}}
        return kind, "POST", "/v1/cypher", None, body

    return make


def wait_for_api(base: str, proc: subprocess.Popen, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit("the API process exited; see its output above")
        try:
            if httpx.get(base + "/health", timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit("the API did not answer in time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home", type=Path)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=240.0)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--entities", type=int, default=250_000, help="as given to build_graph")
    parser.add_argument("--kinds", default=",".join(KINDS), help="which kinds of request to mix")
    args = parser.parse_args()

    server = LocalNeo4j(LocalNeo4jSettings(home=args.home.resolve(), bolt_port=free_port(), http_port=free_port(),
                                           heap="2g", pagecache="1g"))
    status = server.start()
    user, password = server.credentials()
    port = free_port()
    env = {**os.environ, "NEO4J_URI": status.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}
    api = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
                            "127.0.0.1", "--port", str(port), "--log-level", "warning", "--workers", "1"], env=env)
    base = f"http://127.0.0.1:{port}"
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    slow: list = []  # failed or timed-out requests, to say which ones
    try:
        wait_for_api(base, api)
        with httpx.Client(base_url=base, timeout=30) as client:
            counts = client.post("/v1/cypher", json={"query": "MATCH (e:Entity) WITH count(e) AS entities "
                                                                "MATCH ()-[r]->() WHERE NOT r:FROM_ARTICLE "
                                                                "RETURN entities, count(r) AS facts"}).json()
        print(f"graph: {counts.get('rows')}", flush=True)
        pools = EntityPools(Shape(entities=args.entities))
        lock = threading.Lock()
        sent = [0]
        deadline = [time.monotonic() + args.seconds]

        def worker(seed: int, budget: int, record: bool) -> None:
            rng = random.Random(seed)
            make = requests_for(pools, rng, tuple(args.kinds.split(",")))
            with httpx.Client(base_url=base, timeout=30) as client:
                while True:
                    with lock:
                        if sent[0] >= budget or time.monotonic() > deadline[0]:
                            return
                        sent[0] += 1
                    kind, method, path, params, body = make()
                    started = time.perf_counter()
                    try:
                        response = client.request(method, path, params=params, json=body)
                        _ = response.content
                        status = response.status_code
                    except httpx.TimeoutException:
                        status = "timeout (30 s)"
                    elapsed = time.perf_counter() - started
                    if record:
                        with lock:
                            if status == 200:
                                latencies[kind].append(elapsed)
                            else:
                                errors[f"{kind} {status}"] += 1
                                slow.append((elapsed, kind, method, path, params, body and body["parameters"]))

        for phase, budget, record in (("warm-up", args.warmup, False), ("measured", args.requests, True)):
            sent[0] = 0
            deadline[0] = time.monotonic() + args.seconds
            threads = [threading.Thread(target=worker, args=(i + (1000 if record else 0), budget, record))
                       for i in range(args.concurrency)]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(f"{phase}: {sent[0]} requests in {time.perf_counter() - started:.0f} s", flush=True)
            measured_seconds = time.perf_counter() - started
    finally:
        api.terminate()
        api.wait(30)
        server.stop()

    print()
    print(header(f"Query latency through the HTTP API (commit {git_commit()})"))
    print(f"- graph: {counts.get('rows')} (entities, facts); {args.concurrency} concurrent clients in a second "
          f"process on loopback; {sum(map(len, latencies.values()))} measured requests in {measured_seconds:.0f} s; "
          f"errors: {dict(errors) or 'none'}")
    print()
    print("| request | n | p50 ms | p90 ms | p99 ms | max ms | target p99 |")
    print("|---|---|---|---|---|---|---|")
    for kind in KINDS:
        values = [v * 1000 for v in latencies.get(kind, [])]
        if not values:
            print(f"| {kind} | 0 | | | | | |")
            continue
        target = TARGETS_MS.get(kind)
        print(f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 90):.1f} | "
              f"{percentile(values, 99):.1f} | {max(values):.1f} | {f'<= {target} ms' if target else '-'} |")
    for kind, values in latencies.items():
        print(f"- {kind}: {summary_ms(values)}")
    for elapsed, *request in slow[:10]:
        print(f"- failed after {elapsed:.1f} s: {request}")


if __name__ == "__main__":
    main()
