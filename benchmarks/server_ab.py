"""Server settings for bulk writes, side by side: the current writer on two local servers, one with our default
configuration (A) and one with `--setting` lines added to its neo4j.conf (B), in one run.

    python -m benchmarks.server_ab [--facts 20000] [--entities 10000] [--batch 500]
                                   [--setting db.checkpoint.interval.time=1h ...]

One synthetic stream (benchmarks/synthetic.py) is cut into batches of `--batch` articles and dealt to the two
servers in the order A, B, B, A, ... (benchmarks.writer_ab.deal; the first batch of each off the clock), so both grow
the same graph under the same machine load; only one server works at a time. Both run with a 1 GB heap and a
512 MB page cache."""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from benchmarks.common import git_commit, header
from benchmarks.synthetic import EntityPools, Shape, extractions
from benchmarks.writer_ab import Pair, alternate, deal
from benchmarks.writes import Run, batches
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import free_port
from kg.settings import LocalNeo4jSettings, Neo4jSettings
from kg.store import GraphConnection, GraphWriter, connect
from kg.store.read_cypher import COUNTS

BULK_SETTINGS = [
    "db.checkpoint.interval.time=1h",  # default 15m
    "db.checkpoint.interval.tx=1000000",  # default 100000
    "db.checkpoint.interval.volume=4g",  # default 250MiB
    "db.tx_log.rotation.size=1g",  # default 256MiB
    "db.logs.query.enabled=OFF",  # default VERBOSE: one log line per query
]


@contextmanager
def _server(extra_config: list[str]) -> Iterator[GraphConnection]:
    home = Path(tempfile.mkdtemp(prefix="kg-server-ab-"))
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(), heap="1g",
                                           pagecache="512m"), extra_config)
    try:
        status = server.start()
        user, password = server.credentials()
        with connect(Neo4jSettings(uri=status.bolt_uri, user=user, password=password)) as conn:
            yield conn
    finally:
        server.stop()
        shutil.rmtree(home, ignore_errors=True)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--facts", type=int, default=20_000, help="fact mentions, both servers together")
    parser.add_argument("--entities", type=int, default=10_000)
    parser.add_argument("--batch", type=int, default=500, help="articles per transaction")
    parser.add_argument("--setting", action="append", default=None,
                        help=f"a neo4j.conf line for server B (repeatable; default: {BULK_SETTINGS})")
    return parser.parse_args()


def main() -> None:
    args = _arguments()
    settings = args.setting or BULK_SETTINGS
    shape = Shape(entities=args.entities)
    pools = EntityPools(shape)
    with ExitStack() as stack:
        conns = (stack.enter_context(_server([])), stack.enter_context(_server(settings)))
        writers = (GraphWriter(conns[0], extractor_version="v1"), GraphWriter(conns[1], extractor_version="v1"))
        for writer in writers:
            writer.ensure_schema()
        pair = Pair(Run("A default configuration: new articles"), Run("B with the settings: new articles"))
        alternate(writers, deal(batches(extractions(shape, args.facts, pools), args.batch)), pair, args.batch)
        finals = [dict(conn.read(COUNTS)[0]) for conn in conns]
    print()
    print(header(f"Server settings A/B (commit {git_commit()}, same writer, two servers, same run)"))
    print(f"- B's settings: {settings}")
    print(f"- graphs after the run: A {finals[0]}, B {finals[1]}")
    print()
    print("| run | articles | fact mentions | seconds | facts/s |")
    print("|---|---|---|---|---|")
    for row in pair.rows():
        print(row.replace("current / baseline", "B / A"))


if __name__ == "__main__":
    main()
