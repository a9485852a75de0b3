"""Faults during ingest: the process killed at random points, Neo4j stopped mid-run, two ingests at once.

Each test compares a canonical dump of the graph (tests/graph_dump.py: every node and relationship with its
properties, keyed by ids) with the graph one clean `python -m kg ingest` run builds from the same articles, so a
duplicate fact, a half-written article or a lost piece of evidence fails it.

The kill test runs the real command line with small batches (4 articles extracted and written per transaction,
set by a wrapper that binds `batch_size` and `write_batch_size` before the command runs) so that a run spans many
transactions and a kill can land between or inside them; the clean reference run uses the command's own defaults."""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from fault_corpus import write_corpus
from graph_dump import GraphDump, dump_graph, integrity_problems

from kg.store import GraphWriter, connect
from kg.store.connection import GraphConnection

pytestmark = pytest.mark.slow  # left out of `make test-fast`

ROOT = Path(__file__).resolve().parents[1]
CORPUS_SIZE = 24
SMALL_BATCHES = (  # the real command, with 4 articles extracted and written per transaction
    "import sys, functools, ingest.ingestion as m\n"
    "m.extract_articles = functools.partial(m.extract_articles, batch_size=4)\n"
    "m.ingest_paths = functools.partial(m.ingest_paths, write_batch_size=4)\n"
    "from kg.cli.main import run\n"
    "sys.argv[0] = 'kg'\n"
    "run()\n"
)


def ingest_command(*folders: Path, small_batches: bool = False) -> list[str]:
    head = [sys.executable, "-c", SMALL_BATCHES] if small_batches else [sys.executable, "-m", "kg"]
    return [*head, "ingest", "--no-progress", *map(str, folders)]


def start_ingest(command: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    handle = log.open("wb")
    try:
        return subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=handle,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    finally:
        handle.close()


def run_ingest(command: list[str], env: dict[str, str], log: Path, timeout: float = 600) -> int:
    proc = start_ingest(command, env, log)
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(f"ingest did not finish within {timeout} s; output:\n{log.read_text()[-3000:]}") from None


def article_count(conn: GraphConnection) -> int:
    return conn.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("fault-corpus")
    write_corpus(folder, CORPUS_SIZE)
    return folder


@pytest.fixture(scope="module")
def clean_dump(corpus: Path, graph_connection: GraphConnection, neo4j_target,
               tmp_path_factory: pytest.TempPathFactory) -> GraphDump:
    """The graph one uninterrupted `python -m kg ingest` (default batches) builds from the corpus."""
    graph_connection.run("MATCH (n) DETACH DELETE n")
    log = tmp_path_factory.mktemp("clean") / "ingest.log"
    code = run_ingest(ingest_command(corpus), neo4j_target.env(), log)
    assert code == 0, log.read_text()
    dump = dump_graph(graph_connection)
    assert len(dump.article_ids()) == CORPUS_SIZE, log.read_text()
    assert sum(len(v) for v in dump.evidence_by_article().values()) >= CORPUS_SIZE, "the corpus should give facts"
    assert integrity_problems(graph_connection) == []
    graph_connection.run("MATCH (n) DETACH DELETE n")
    return dump


def assert_complete_articles(conn: GraphConnection, clean: GraphDump, context: str) -> None:
    """Every article in the graph has exactly the evidence it has after a clean run; invariants hold."""
    partial = dump_graph(conn)
    expected = clean.evidence_by_article()
    got = partial.evidence_by_article()
    for article_id in partial.article_ids():
        assert got.get(article_id, set()) == expected.get(article_id, set()), (
            f"{context}: article {article_id} is half-written")
    assert set(got) <= partial.article_ids(), f"{context}: evidence of an article that is not there"
    assert integrity_problems(conn) == [], context
    assert partial.nodes <= clean.nodes | {n for n in partial.nodes if "Entity" in n[0]}, (
        f"{context}: a node that a clean run does not make:\n{partial.difference(clean)}")


def test_ingest_killed_at_random_points_then_rerun_equals_one_clean_run(
        corpus: Path, clean_dump: GraphDump, graph: GraphConnection, neo4j_target, tmp_path: Path) -> None:
    seed = int(os.environ.get("KG_FAULT_SEED", time.time_ns() % 1_000_000))
    rng = random.Random(seed)
    # Kill points: one while the process starts (model loading, schema), then after the graph holds k articles
    # plus a random delay of up to half a second (often inside the next batch's extraction or transaction).
    targets = [0, *sorted(rng.sample(range(1, CORPUS_SIZE), 5))]
    env = neo4j_target.env()
    kills: list[str] = []
    for round_no, target in enumerate(targets):
        log = tmp_path / f"kill-{round_no}.log"
        proc = start_ingest(ingest_command(corpus, small_batches=True), env, log)
        started = time.monotonic()
        try:
            if target == 0:
                time.sleep(rng.uniform(0.3, 3.0))
            else:
                while proc.poll() is None and article_count(graph) < target and time.monotonic() - started < 300:
                    time.sleep(0.02)
                time.sleep(rng.uniform(0.0, 0.5))
            finished_first = proc.poll() is not None
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        present = article_count(graph)
        kills.append(f"target {target}: killed after {time.monotonic() - started:.1f} s with {present} articles"
                     + (" (had already finished)" if finished_first else ""))
        context = f"seed {seed}, kill {round_no} ({kills[-1]})"
        assert_complete_articles(graph, clean_dump, context)

    assert sum("had already finished" not in k for k in kills) >= 5, f"seed {seed}: too few real kills: {kills}"
    log = tmp_path / "final.log"
    assert run_ingest(ingest_command(corpus, small_batches=True), env, log) == 0, log.read_text()
    final = dump_graph(graph)
    assert final == clean_dump, f"seed {seed}, kills {kills}:\n{final.difference(clean_dump)}"
    assert final.node_count == clean_dump.node_count and final.relationship_count == clean_dump.relationship_count


def test_neo4j_stopped_mid_ingest_then_ingest_completes_or_resumes(
        corpus: Path, clean_dump: GraphDump, tmp_path: Path) -> None:
    from kg.neo4j_local import LocalNeo4j
    from kg.neo4j_local.server import free_port
    from kg.settings import LocalNeo4jSettings, Neo4jSettings

    server = LocalNeo4j(LocalNeo4jSettings(home=tmp_path / "neo4j", bolt_port=free_port(), http_port=free_port(),
                                           heap="512m", pagecache="64m"))
    status = server.start()
    user, password = server.credentials()
    env = {"NEO4J_URI": status.bolt_uri, "NEO4J_USER": user, "NEO4J_PASSWORD": password, "NEO4J_DATABASE": "neo4j"}
    settings = Neo4jSettings(uri=status.bolt_uri, user=user, password=password)
    try:
        with connect(settings) as conn:
            from kg.store import apply_schema

            apply_schema(conn)
        log = tmp_path / "ingest.log"
        proc = start_ingest(ingest_command(corpus, small_batches=True), env, log)
        try:
            with connect(settings) as conn:
                deadline = time.monotonic() + 300
                while proc.poll() is None and article_count(conn) < 4 and time.monotonic() < deadline:
                    time.sleep(0.05)
                written_before_stop = article_count(conn)
            assert proc.poll() is None, f"ingest ended before Neo4j could be stopped:\n{log.read_text()}"
            assert 0 < written_before_stop < CORPUS_SIZE
            server.stop()
            time.sleep(2)
            server.start()
            code = proc.wait(timeout=600)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        output = log.read_text()
        print(f"\nNeo4j stopped after {written_before_stop} articles; ingest exit status {code}"
              + (" (retried through the outage)" if code == 0 else " (stopped with a message; rerun)"))
        assert "Traceback" not in output, output
        if code != 0:
            # It gave up: the message says what happened and what to do, and a second run finishes the job.
            assert "Neo4j" in output and "run the command again" in output, output
            rerun_log = tmp_path / "rerun.log"
            assert run_ingest(ingest_command(corpus), env, rerun_log) == 0, rerun_log.read_text()
            # it resumed: what the first run had committed was recognised and left alone, not written again
            unchanged = re.search(r"articles unchanged\D+(\d+)", rerun_log.read_text())
            assert unchanged and int(unchanged.group(1)) >= written_before_stop, rerun_log.read_text()
        with connect(settings) as conn:
            final = dump_graph(conn)
            assert integrity_problems(conn) == []
        assert final == clean_dump, f"exit {code}:\n{output[-2000:]}\n{final.difference(clean_dump)}"
    finally:
        server.stop()


def test_two_overlapping_ingests_at_once_equal_one_after_the_other(
        graph: GraphConnection, neo4j_target, tmp_path: Path) -> None:
    # Articles 8..15 are in both runs: the same files (same ids, same source paths), named in both commands.
    only_first, both, only_second = tmp_path / "only-first", tmp_path / "both", tmp_path / "only-second"
    write_corpus(only_first, 8, start=0)
    write_corpus(both, 8, start=8)
    write_corpus(only_second, 8, start=16)
    runs = {"first": [only_first, both], "second": [both, only_second]}
    env = neo4j_target.env()

    for name, folders in runs.items():
        log = tmp_path / f"sequential-{name}.log"
        assert run_ingest(ingest_command(*folders), env, log) == 0, log.read_text()
    sequential = dump_graph(graph)
    assert len(sequential.article_ids()) == 24

    for attempt in range(2):  # two rounds: process start-up times differ, so the overlap differs too
        graph.run("MATCH (n) DETACH DELETE n")
        procs = [start_ingest(ingest_command(*folders, small_batches=True), env,
                              tmp_path / f"concurrent-{attempt}-{name}.log") for name, folders in runs.items()]
        codes = [p.wait(timeout=600) for p in procs]
        logs = [(tmp_path / f"concurrent-{attempt}-{name}.log").read_text() for name in runs]
        assert codes == [0, 0], "\n".join(logs)
        concurrent = dump_graph(graph)
        assert integrity_problems(graph) == []
        assert concurrent == sequential, concurrent.difference(sequential)


def test_many_writers_in_threads_on_overlapping_articles_equal_sequential_writes(graph: GraphConnection) -> None:
    """Four writers at once, each with the whole overlapping set in its own order and two articles per
    transaction: the driver retries deadlocks and constraint races, and the result equals sequential writes."""
    from ingest.batch import extract_articles, extractor_version
    from kg.model import Article

    folder_articles = []
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp), 16)
        from ingest.loaders import read_inputs

        folder_articles = [a for a in read_inputs([Path(tmp)]) if isinstance(a, Article)]
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):  # the rule layer finds facts in every article of this corpus
        extractions = [e for e in extract_articles(folder_articles) if not hasattr(e, "reason")]
    assert len(extractions) == 16 and all(e.facts for e in extractions)

    GraphWriter(graph, extractor_version=extractor_version()).write_all(extractions)
    sequential = dump_graph(graph)

    for round_no in range(3):
        graph.run("MATCH (n) DETACH DELETE n")
        errors: list[BaseException] = []
        barrier = threading.Barrier(4)

        def write(order: list, errors=errors, barrier=barrier) -> None:
            try:
                writer = GraphWriter(graph, extractor_version=extractor_version())
                barrier.wait()
                writer.write_all(order, batch_size=2)
            except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
                errors.append(exc)

        rng = random.Random(round_no)
        orders = [rng.sample(extractions, len(extractions)) for _ in range(4)]
        threads = [threading.Thread(target=write, args=(order,)) for order in orders]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        assert errors == [], errors
        concurrent = dump_graph(graph)
        assert integrity_problems(graph) == []
        assert concurrent == sequential, f"round {round_no}:\n{concurrent.difference(sequential)}"
