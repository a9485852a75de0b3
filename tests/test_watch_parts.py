"""The watcher's parts that need no extractor: durations and feeds files, backoff, the state file (atomic,
locked), and `kg watch --once` printing one line per failing feed (the real test Neo4j, no article written)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner
from watch_feeds import FeedServer, feed_server

from ingest.watch.schedule import backoff_delay, due_at, record_failure, record_success
from ingest.watch.sources import FeedSource, parse_duration, read_feeds_file
from ingest.watch.state import FeedState, StateFile, WatchState, WatchStateError
from kg.cli.main import app, load_plugins
from kg.errors import InputError


def test_durations() -> None:
    assert [parse_duration(t) for t in ("90", "30s", "5m", "1.5h", "1d", " 2M ")] == [
        90, 30, 300, 5400, 86400, 120]
    for bad in ("", "0", "5 minutes", "-3s", "m"):
        with pytest.raises(InputError, match="not a duration"):
            parse_duration(bad)


def test_feeds_file(tmp_path: Path) -> None:
    listing = tmp_path / "feeds.txt"
    listing.write_text("# tech\nhttps://a.example/rss 10m\n\nhttps://b.example/feed#atom  # fragment kept\n",
                       encoding="utf-8")
    assert read_feeds_file(listing) == [FeedSource("https://a.example/rss", 600.0),
                                        FeedSource("https://b.example/feed#atom")]
    listing.write_text("https://a.example/rss\nftp://b.example/rss\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 2"):
        read_feeds_file(listing)
    listing.write_text("https://a.example/rss soon\n", encoding="utf-8")
    with pytest.raises(InputError, match="line 1: 'soon' is not a duration"):
        read_feeds_file(listing)


def test_backoff_doubles_up_to_the_cap_and_honours_retry_after() -> None:
    assert [backoff_delay(60, errors, cap=600) for errors in range(6)] == [60, 120, 240, 480, 600, 600]
    assert backoff_delay(3600, 3, cap=600) == 3600  # never sooner than the plain interval
    state = FeedState()
    assert due_at(state, 60, 600) == 0.0  # never polled: due now
    record_failure(state, 1000.0, InputError("x"), retry_after=None)
    assert due_at(state, 60, 600) == 1120.0
    record_failure(state, 1120.0, InputError("x"), retry_after=3000.0)
    assert due_at(state, 60, 600) == 4120.0
    record_success(state, 5000.0)
    assert (state.errors, due_at(state, 60, 600)) == (0, 5060.0)


def test_state_file_round_trip_is_atomic_and_locked(tmp_path: Path) -> None:
    with StateFile(tmp_path, "graph-a") as store:
        assert store.load() == WatchState(graph="graph-a")
        state = store.load()
        state.feed("https://a.example/rss").seen["item"] = "fingerprint"
        store.save(state)
        with pytest.raises(WatchStateError, match="another kg watch"), StateFile(tmp_path, "graph-a"):
            pass
        with StateFile(tmp_path, "graph-b"):  # another graph: another file, another lock
            pass
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph-a.json", "graph-a.lock", "graph-b.lock"]
    with StateFile(tmp_path, "graph-a") as store:
        assert store.load().feeds["https://a.example/rss"].seen == {"item": "fingerprint"}
    (tmp_path / "graph-a.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(WatchStateError, match="move it aside"), StateFile(tmp_path, "graph-a") as store:
        store.load()


def test_forgetting_keeps_the_items_still_in_the_feed() -> None:
    state = FeedState(seen={f"old{n}": "f" for n in range(5)} | {"current": "f"})
    state.forget_oldest(keep=3, in_feed={"old0", "current"})
    assert list(state.seen) == ["old0", "old4", "current"]


@pytest.fixture
def cli() -> typer.Typer:
    if not any(c.name == "watch" for c in app.registered_commands):
        load_plugins(app)
    return app


@pytest.fixture
def server() -> FeedServer:
    with feed_server() as running:
        yield running


@pytest.mark.usefixtures("neo4j_env")
def test_cli_once_prints_one_line_per_failing_feed_and_exits_0(cli: typer.Typer, server: FeedServer,
                                                               tmp_path: Path) -> None:
    urls = [server.serve("/500.rss", "", status=500), server.serve("/slow.rss", "", delay=3.0),
            server.serve("/garbage.rss", "<html><body>Not a feed</body></html>", content_type="text/html")]
    listing = tmp_path / "feeds.txt"
    listing.write_text("\n".join(urls[1:]), encoding="utf-8")
    result = CliRunner().invoke(cli, ["watch", urls[0], "--feeds", str(listing), "--once",  # progress line on
                                      "--timeout", "1s", "--state-dir", str(tmp_path / "state")])
    assert result.exit_code == 0, result.output
    for url, reason in zip(urls, ["HTTP 500 Internal Server Error", "no answer within 1 s (timeout)",
                                  "does not serve an RSS or Atom feed"], strict=True):
        lines = [line for line in result.output.splitlines() if url in line]
        assert len(lines) == 1 and lines[0].startswith(f"failed {url}: {reason}"), result.output
        assert "next try in 30 min (failure 1 in a row)" in lines[0]  # twice the 15-minute default interval
    [state_file] = (tmp_path / "state").glob("*.json")
    assert {url: feed["errors"] for url, feed in json.loads(state_file.read_text())["feeds"].items()} == {
        url: 1 for url in urls}


def test_cli_refuses_nothing_to_watch_and_a_missing_folder(cli: typer.Typer, tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["watch", "--once"])
    assert result.exit_code == 1 and "nothing to watch" in result.output
    result = CliRunner().invoke(cli, ["watch", str(tmp_path / "nowhere"), "--once"])
    assert result.exit_code == 1 and "neither an http(s) feed URL nor an existing folder" in result.output
