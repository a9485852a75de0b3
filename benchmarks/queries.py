"""Query latency at scale through the HTTP API, with load from a second process on loopback.

    python -m benchmarks.queries HOME [--requests 2000] [--seconds 240] [--clients 1,4] [--entities 250000]
                                      [--compare OTHER_CHECKOUT] [--rounds 2] [--workers 1]

HOME is a Neo4j home built by `python -m benchmarks.build_graph HOME` (>= 1,000,000 facts, >= 200,000 entities).
This script starts that Neo4j and the API (`uvicorn api.app:create_app --factory`, its own process), then acts as
the load generator: `--concurrency` client threads send a mix of requests, bounded by `--requests` in all and by
`--seconds`, after a warm-up. Per kind of request it reports p50 / p90 / p99 of the time from sending the request
to having read the whole response:
- search:        GET  /v1/entities?q=<name words>&limit=20
- timeline:      GET  /v1/entities/{id}/timeline?limit=50
- neighbourhood: GET  /v1/graph/neighborhood/{id}?depth=2&limit=50
- researcher:    POST /v1/cypher  (docs/graph-model.md "acquisitions in a period", for one company)
- timeline-as-of, neighbourhood-as-of: the same two with `as_of` (a year, a month or a day from 2010 to 2025), so
  one run shows the p99 with and without it
Entities are drawn half from the hubs (the most connected 1 %) and half uniformly, as users would. With `--paired`
(the way to compare with and without `as_of` on a shared, noisy machine), every timeline or neighbourhood draw sends
both variants for the same entity, back to back in random order, so both see the same entities and the same load.

Before/after in one run: `--compare DIR` serves a second API from another checkout (e.g. `git archive` of an older
commit) on the same Neo4j; for each number of clients in `--clients`, the two APIs are measured in turn, `--rounds`
times each, with the same request sequences, so both see the same graph, the same server and the same load. With
NEO4J_URI (and NEO4J_USER, NEO4J_PASSWORD) set, that server is used instead of starting one on HOME."""

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

from benchmarks.common import git_commit, header, percentile
from benchmarks.synthetic import EntityPools, Shape
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import free_port
from kg.settings import LocalNeo4jSettings
from kg.store.research_queries import ACQUISITIONS

TARGETS_MS = {"search": 50, "timeline": 50, "neighbourhood": 100, "timeline-as-of": 50, "neighbourhood-as-of": 100}


KINDS = ("search", "timeline", "neighbourhood", "researcher", "timeline-as-of", "neighbourhood-as-of")
AS_OF_YEARS = (2010, 2025)


def as_of_date(rng: random.Random) -> str:
    """A year, a month or a day (one in three each) between AS_OF_YEARS."""
    year = rng.randint(*AS_OF_YEARS)
    return rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}",
                       f"{year}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"])


PAIRED_KINDS = ("timeline", "neighbourhood")  # drawn as pairs, with and without as_of, under --paired


def requests_for(pools: EntityPools, rng: random.Random, kinds: tuple[str, ...] = KINDS, paired: bool = False):
    """A function giving the next requests to send: one, or under `paired` a timeline or neighbourhood twice."""
    orgs = pools.by_type["Organization"]
    everyone = [e for pool in pools.by_type.values() for e in pool]

    def entity():
        pool = rng.choice(list(pools.by_type.values()))
        if rng.random() < 0.5:
            return pool[rng.randrange(max(1, len(pool) // 100))]
        return rng.choice(everyone)

    def one(kind: str, target: str) -> tuple:
        as_of = {"as_of": as_of_date(rng)} if kind.endswith("-as-of") else {}
        if kind.startswith("timeline"):
            return kind, "GET", f"/v1/entities/{target}/timeline", {"limit": 50, **as_of}, None
        return kind, "GET", f"/v1/graph/neighborhood/{target}", {"depth": 2, "limit": 50, **as_of}, None

    def make() -> list[tuple]:
        kind = rng.choice(kinds)
        if kind == "search":
            words = entity().name.split()
            q = " ".join(words[:2]) if rng.random() < 0.5 else words[0][:4]
            return [(kind, "GET", "/v1/entities", {"q": q, "limit": 20}, None)]
        if paired and kind in PAIRED_KINDS:
            target = entity().id
            pair = [one(kind, target), one(f"{kind}-as-of", target)]
            rng.shuffle(pair)
            return pair
        if kind.startswith(("timeline", "neighbourhood")):
            return [one(kind, entity().id)]
        company = orgs[rng.randrange(len(orgs) // 100)] if rng.random() < 0.5 else rng.choice(orgs)
        body = {"query": ACQUISITIONS.cypher, "parameters": {"company": company.name, "from": "2015", "to": "2030"}}
        return [(kind, "POST", "/v1/cypher", None, body)]

    return make


def wait_for_api(base: str, proc: subprocess.Popen, timeout: float = 300.0) -> None:
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


REQUEST_TIMEOUT = 30  # seconds a client waits for one answer
MEASURED_SEED_OFFSET = 1000  # the measured phase's clients draw other requests than the warm-up's
SLOW_SHOWN = 10  # failed requests listed in the report


def _client_counts(text: str) -> list[int]:
    return [int(n) for n in text.split(",")]


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("home", type=Path)
    parser.add_argument("--requests", type=int, default=2000, help="measured requests per API and client count")
    parser.add_argument("--seconds", type=float, default=240.0, help="most seconds of one measured block")
    parser.add_argument("--clients", "--concurrency", dest="clients", type=_client_counts, default=[4],
                        help="concurrent clients, or a list of client counts measured one after the other: 1,4")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--entities", type=int, default=250_000, help="as given to build_graph")
    parser.add_argument("--kinds", default=",".join(KINDS), help="which kinds of request to mix")
    parser.add_argument("--paired", action="store_true",
                        help="send each timeline and neighbourhood with and without as_of, for the same entity")
    parser.add_argument("--compare", type=Path, help="another checkout whose API is measured in turn (before/after)")
    parser.add_argument("--rounds", type=int, default=1, help="measured blocks per API, alternating with --compare")
    parser.add_argument("--workers", type=int, default=1, help="uvicorn worker processes of each API")
    return parser.parse_args()


class _Load:
    """Clients sending a mix of requests to one API, in blocks of `budget` requests or `seconds`, whichever first;
    the latencies of every measured block add up."""

    def __init__(self, base: str, pools: EntityPools, args: argparse.Namespace, clients: int) -> None:
        self.base, self.pools, self.args, self.clients = base, pools, args, clients
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.slow: list[tuple[object, ...]] = []  # failed or timed-out requests, to say which ones
        self.lock = threading.Lock()
        self.sent = 0
        self.deadline = 0.0
        self.measured_seconds = 0.0

    def _take(self, budget: int, n: int = 1) -> bool:
        """Whether `n` more requests may go (a pair goes whole or not at all)."""
        with self.lock:
            if self.sent + n > budget or time.monotonic() > self.deadline:
                return False
            self.sent += n
            return True

    def _record(self, kind: str, status: object, elapsed: float, request: tuple[object, ...]) -> None:
        with self.lock:
            if status == 200:
                self.latencies[kind].append(elapsed)
            else:
                self.errors[f"{kind} {status}"] += 1
                self.slow.append((elapsed, *request))

    def worker(self, seed: int, budget: int, record: bool) -> None:
        make = requests_for(self.pools, random.Random(seed), tuple(self.args.kinds.split(",")), self.args.paired)
        with httpx.Client(base_url=self.base, timeout=REQUEST_TIMEOUT) as client:
            while True:
                batch = make()
                if not self._take(budget, len(batch)):
                    return
                for request in batch:
                    self._send(client, request, record)

    def _send(self, client: httpx.Client, request: tuple, record: bool) -> None:
        kind, method, path, params, body = request
        started = time.perf_counter()
        status: object
        try:
            response = client.request(method, path, params=params, json=body)
            _ = response.content
            status = response.status_code
        except httpx.TimeoutException:
            status = f"timeout ({REQUEST_TIMEOUT} s)"
        if record:
            self._record(kind, status, time.perf_counter() - started,
                         (kind, method, path, params, body and body["parameters"]))

    def block(self, budget: int, seed_offset: int, record: bool) -> None:
        """One block of requests from `self.clients` threads (client i draws from seed `seed_offset + i`)."""
        self.sent = 0
        self.deadline = time.monotonic() + self.args.seconds
        threads = [threading.Thread(target=self.worker, args=(i + seed_offset, budget, record))
                   for i in range(self.clients)]
        started = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - started
        if record:
            self.measured_seconds += elapsed
        print(f"{self.base} {self.clients} clients {'measured' if record else 'warm-up'}: {self.sent} requests in "
              f"{elapsed:.0f} s", flush=True)


def _report(loads: dict[tuple[str, int], _Load], counts: dict[str, object], args: argparse.Namespace) -> None:
    print()
    print(header(f"Query latency through the HTTP API (commit {git_commit()})"))
    print(f"- graph: {counts.get('rows')} (entities, facts); clients in a second process on loopback; "
          f"{args.workers} uvicorn worker(s) per API; {args.rounds} measured block(s) per API and client count")
    for (name, clients), load in loads.items():
        print(f"\n### {name}, {clients} client(s): {sum(map(len, load.latencies.values()))} measured requests in "
              f"{load.measured_seconds:.0f} s; errors: {dict(load.errors) or 'none'}\n")
        print("| request | n | p50 ms | p90 ms | p99 ms | max ms | target p99 |")
        print("|---|---|---|---|---|---|---|")
        for kind in KINDS:
            values = [v * 1000 for v in load.latencies.get(kind, [])]
            if not values:
                continue
            target = TARGETS_MS.get(kind)
            print(f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | {percentile(values, 90):.1f} | "
                  f"{percentile(values, 99):.1f} | {max(values):.1f} | {f'<= {target} ms' if target else '-'} |")
        for elapsed, *request in load.slow[:SLOW_SHOWN]:
            print(f"- failed after {elapsed:.1f} s: {request}")
    if args.compare:
        _side_by_side(loads, args)


def _side_by_side(loads: dict[tuple[str, int], _Load], args: argparse.Namespace) -> None:
    """p50 / p99 of this checkout and of --compare, per client count and kind, in one table."""
    print(f"\n### side by side: p50 / p99 ms, {args.compare} (before) and this checkout (after)\n")
    print("| clients | request | before p50 / p99 | after p50 / p99 |")
    print("|---|---|---|---|")
    for clients in args.clients:
        for kind in KINDS:
            cells = []
            for name in ("compare", "this"):
                values = [v * 1000 for v in loads[(name, clients)].latencies.get(kind, [])]
                cells.append(f"{percentile(values, 50):.1f} / {percentile(values, 99):.1f}" if values else "")
            if any(cells):
                print(f"| {clients} | {kind} | {cells[0]} | {cells[1]} |")


GRAPH_SIZE_QUERY = ("MATCH (e:Entity) WITH count(e) AS entities MATCH ()-[r]->() WHERE NOT r:FROM_ARTICLE "
                    "RETURN entities, count(r) AS facts")


def _start_api(tree: Path, env: dict[str, str], workers: int) -> tuple[str, subprocess.Popen]:
    """The API of the checkout `tree` in its own process (uvicorn), on a free port."""
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host",
                             "127.0.0.1", "--port", str(port), "--log-level", "warning", "--workers", str(workers)],
                            env={**env, "PYTHONPATH": str(tree)}, cwd=tree)
    base = f"http://127.0.0.1:{port}"
    wait_for_api(base, proc)
    return base, proc


def _neo4j(home: Path) -> tuple[LocalNeo4j | None, dict[str, str]]:
    """The server to measure: NEO4J_URI's if set, else one started on `home`."""
    if os.environ.get("NEO4J_URI"):
        return None, dict(os.environ)
    server = LocalNeo4j(LocalNeo4jSettings(home=home.resolve(), bolt_port=free_port(), http_port=free_port(),
                                           heap="2g", pagecache="1g"))
    status = server.start()
    user, password = server.credentials()
    return server, {**os.environ, "NEO4J_URI": status.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password}


def _measure(apis: dict[str, str], args: argparse.Namespace) -> dict[tuple[str, int], _Load]:
    """For each client count: a warm-up per API, then `rounds` measured blocks per API, taking turns."""
    pools = EntityPools(Shape(entities=args.entities))
    loads = {(name, clients): _Load(base, pools, args, clients) for clients in args.clients
             for name, base in apis.items()}
    per_block = max(1, args.requests // args.rounds)
    for clients in args.clients:
        for name in apis:
            loads[(name, clients)].block(args.warmup, 0, record=False)
        for round_ in range(args.rounds):
            for name in apis:
                loads[(name, clients)].block(per_block, MEASURED_SEED_OFFSET + 100 * round_, record=True)
    return loads


def main() -> None:
    args = _arguments()
    server, env = _neo4j(args.home)
    started: list[subprocess.Popen] = []
    try:
        apis = {}
        for name, tree in (("this", Path(__file__).resolve().parents[1]), ("compare", args.compare)):
            if tree is not None:
                apis[name], proc = _start_api(tree.resolve(), env, args.workers)
                started.append(proc)
        with httpx.Client(base_url=apis["this"], timeout=REQUEST_TIMEOUT) as client:
            counts = client.post("/v1/cypher", json={"query": GRAPH_SIZE_QUERY}).json()
        print(f"graph: {counts.get('rows')}", flush=True)
        loads = _measure(apis, args)
    finally:
        for proc in started:
            proc.terminate()
            proc.wait(30)
        if server is not None:
            server.stop()
    _report(loads, counts, args)


if __name__ == "__main__":
    main()
