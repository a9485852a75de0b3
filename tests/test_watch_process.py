"""`kg watch` as a real process against a local feed server and the test Neo4j: killed with SIGKILL mid-run and
restarted, it loses nothing and repeats nothing (the graph equals a clean run's, each page fetched at most once
more for the one item in flight); stopped with SIGTERM, it finishes its item, saves its state and exits 0."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from graph_dump import dump_graph, integrity_problems
from watch_feeds import TEXTS, FeedServer, Item, feed_server, page, rss

from kg.store import GraphConnection

pytestmark = pytest.mark.slow  # each run loads spaCy in a fresh process

ROOT = Path(__file__).resolve().parents[1]
ITEMS = 8


def start_watch(args: list[str], env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as handle:
        return subprocess.Popen([sys.executable, "-m", "kg", "watch", "--no-progress", *args], cwd=ROOT,
                                env={**os.environ, **env}, stdout=handle, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)


def finish(proc: subprocess.Popen, log: Path, timeout: float = 300) -> int:
    try:
        return proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        raise AssertionError(f"kg watch did not finish within {timeout} s:\n{log.read_text()[-3000:]}") from None


def article_urls(conn: GraphConnection) -> list[str]:
    return sorted(r["url"] for r in conn.run("MATCH (a:Article) RETURN a.url AS url"))


def wait_for_articles(conn: GraphConnection, count: int, proc: subprocess.Popen, log: Path) -> None:
    end = time.monotonic() + 300
    while len(article_urls(conn)) < count:
        assert proc.poll() is None, f"kg watch ended early:\n{log.read_text()[-3000:]}"
        assert time.monotonic() < end, f"no {count} articles after 300 s:\n{log.read_text()[-3000:]}"
        time.sleep(0.1)


def serve_slow_feed(server: FeedServer, items: int, page_delay: float) -> tuple[str, list[str]]:
    """A feed of summary-only items whose pages answer slowly, so a run spans seconds."""
    paths = [f"/story/{n}.html" for n in range(items)]
    for n, path in enumerate(paths):
        server.serve(path, page(f"Story {n}", [TEXTS[n % len(TEXTS)], TEXTS[(n + 3) % len(TEXTS)]]),
                     content_type="text/html; charset=utf-8", delay=page_delay)
    feed_items = [Item(f"story-{n}", f"Story {n}", server.url(path), summary=f"Summary {n}.")
                  for n, path in enumerate(paths)]
    return server.serve("/feed.rss", rss(feed_items)), paths


def test_sigkill_mid_run_then_restart_loses_and_repeats_nothing(graph: GraphConnection, neo4j_target,
                                                                tmp_path: Path) -> None:
    env = neo4j_target.env()
    log = tmp_path / "watch.log"
    with feed_server() as server:
        feed, paths = serve_slow_feed(server, ITEMS, page_delay=0.5)
        proc = start_watch([feed, "--interval", "1h", "--state-dir", str(tmp_path / "state")], env, log)
        wait_for_articles(graph, 2, proc, log)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        written_before_kill = len(article_urls(graph))
        assert written_before_kill < ITEMS, "the run ended before the kill; slow the pages down"
        restart = start_watch([feed, "--once", "--state-dir", str(tmp_path / "state")], env, log)
        assert finish(restart, log) == 0, log.read_text()[-3000:]
        fetches = {path: len(server.requests(path)) for path in paths}
        assert article_urls(graph) == sorted(server.url(p) for p in paths)
        assert integrity_problems(graph) == []
        assert all(1 <= n <= 2 for n in fetches.values()) and sum(fetches.values()) <= ITEMS + 1, fetches
        after_restart = dump_graph(graph)

        graph.run("MATCH (n) DETACH DELETE n")
        clean = start_watch([feed, "--once", "--state-dir", str(tmp_path / "clean-state")], env, log)
        assert finish(clean, log) == 0, log.read_text()[-3000:]
    reference = dump_graph(graph)
    assert after_restart == reference, after_restart.difference(reference)


def test_sigterm_finishes_the_item_saves_state_and_exits_0(graph: GraphConnection, neo4j_target,
                                                          tmp_path: Path) -> None:
    env = neo4j_target.env()
    log = tmp_path / "watch.log"
    state_dir = tmp_path / "state"
    with feed_server() as server:
        feed, paths = serve_slow_feed(server, 4, page_delay=1.0)
        proc = start_watch([feed, "--interval", "1s", "--state-dir", str(state_dir)], env, log)
        wait_for_articles(graph, 1, proc, log)
        proc.send_signal(signal.SIGTERM)
        assert finish(proc, log, timeout=60) == 0, log.read_text()[-3000:]
        assert "stopped:" in log.read_text()
        [state_file] = state_dir.glob("*.json")
        seen = json.loads(state_file.read_text())["feeds"][feed]["seen"]
        stored = len(article_urls(graph))
        assert len(seen) == stored < len(paths)  # every article written is marked seen, and no more
        rerun = start_watch([feed, "--once", "--state-dir", str(state_dir)], env, log)
        assert finish(rerun, log) == 0, log.read_text()[-3000:]
        assert article_urls(graph) == sorted(server.url(p) for p in paths)
        assert [len(server.requests(p)) for p in paths] == [1] * len(paths)  # a clean stop repeats nothing
