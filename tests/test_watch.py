"""`kg watch` in process, against a local feed server (127.0.0.1) and the real test Neo4j: feed items and folder
files become articles with their metadata, conditional requests get 304s, failures get one event and a backoff."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from watch_feeds import TEXTS, FeedServer, Item, feed_server, page, rss

from ingest.watch.events import ArticleStored, InputRefused, SourceFailed, SourcePolled, WatchEvent
from ingest.watch.settings import WatchSettings
from ingest.watch.sources import FeedSource, FolderSource, WatchSource
from ingest.watch.state import WatchState
from ingest.watch.stop import StopFlag
from ingest.watch.watcher import run_watch
from kg.store import GraphConnection

PAGE_ONLY = "The page adds that regulators in Brussels will review the deal before the summer."


@pytest.fixture
def server() -> FeedServer:
    with feed_server() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> WatchSettings:
    return WatchSettings(state_dir=tmp_path / "state", interval=1.0, timeout=1.0, backoff_cap=30.0)


def watch_once(conn: GraphConnection, sources: list[WatchSource], settings: WatchSettings) -> list[WatchEvent]:
    events: list[WatchEvent] = []
    run_watch(conn, sources, settings, events.append, StopFlag(), once=True)
    return events


def articles(conn: GraphConnection) -> dict[str, dict]:
    rows = conn.run("MATCH (a:Article) RETURN a.id AS id, properties(a) AS props")
    return {r["id"]: dict(r["props"]) for r in rows}


def two_items(server: FeedServer) -> list[Item]:
    server.serve("/page/1.html", page("Brussels to review", [TEXTS[0], TEXTS[1], PAGE_ONLY]),
                 content_type="text/html; charset=utf-8")
    return [Item("guid-1", "Microsoft to buy Activision", server.url("/page/1.html"), summary="Microsoft buys."),
            Item("guid-2", "Google and Samsung", "https://news.example/google-samsung",
                 published="Wed, 19 Apr 2023 09:00:00 GMT", summary="Short.", content=f"{TEXTS[2]} {TEXTS[3]}")]


def test_items_become_articles_with_the_feeds_metadata(graph: GraphConnection, server: FeedServer,
                                                       settings: WatchSettings) -> None:
    feed = server.serve("/feed.rss", rss(two_items(server)))
    events = watch_once(graph, [FeedSource(feed)], settings)
    stored = articles(graph)
    assert len(stored) == 2, events
    by_url = {a["url"]: a for a in stored.values()}
    summary_only = by_url[server.url("/page/1.html")]
    assert PAGE_ONLY in summary_only["text"] and "Home" not in summary_only["text"]  # the page's main text
    assert (summary_only["title"], summary_only["published"], summary_only["source"]) == (
        "Microsoft to buy Activision", "2023-04-18", "news.example")
    full = by_url["https://news.example/google-samsung"]
    assert full["text"].startswith(TEXTS[2]) and full["published"] == "2023-04-19"
    assert len(server.requests("/page/1.html")) == 1  # the item with content needed no page
    assert sum(isinstance(e, ArticleStored) and e.outcome == "written" for e in events) == 2


def test_second_poll_is_conditional_and_reads_nothing(graph: GraphConnection, server: FeedServer,
                                                      settings: WatchSettings) -> None:
    feed = server.serve("/feed.rss", rss(two_items(server)))
    watch_once(graph, [FeedSource(feed)], settings)
    events = watch_once(graph, [FeedSource(feed)], settings)
    first, second = server.requests("/feed.rss")
    assert first.if_none_match is None and first.status == 200
    route = server.routes["/feed.rss"]
    assert (second.if_none_match, second.if_modified_since, second.status) == (route.etag, route.last_modified, 304)
    assert events == [SourcePolled(feed, not_modified=True, new_items=0)]
    assert len(server.requests("/page/1.html")) == 1


def test_a_changed_feed_gives_only_its_new_and_changed_items(graph: GraphConnection, server: FeedServer,
                                                            settings: WatchSettings) -> None:
    items = two_items(server)
    feed = server.serve("/feed.rss", rss(items))
    watch_once(graph, [FeedSource(feed)], settings)
    edited = Item("guid-2", "Google and Samsung (updated)", items[1].link, content=f"{TEXTS[2]} {TEXTS[4]}")
    added = Item("guid-3", "Amazon and Anthropic", "https://news.example/amazon", content=TEXTS[5])
    server.routes["/feed.rss"].replace_body(rss([items[0], edited, added]).encode())
    events = watch_once(graph, [FeedSource(feed)], settings)
    assert SourcePolled(feed, not_modified=False, new_items=2) in events
    assert sorted(e.article_id for e in events if isinstance(e, ArticleStored)) == sorted(
        [a for a, props in articles(graph).items() if props["url"] != items[0].link])
    assert articles(graph)[next(a for a, p in articles(graph).items() if p["url"] == edited.link)]["title"] == \
        "Google and Samsung (updated)"
    assert len(server.requests("/page/1.html")) == 1  # the unchanged summary-only item is not fetched again


def test_new_item_appears_within_one_interval(graph: GraphConnection, server: FeedServer, tmp_path: Path) -> None:
    interval = 3.0
    settings = WatchSettings(state_dir=tmp_path / "state", interval=interval, timeout=1.0)
    feed = server.serve("/feed.rss", rss([Item("a", "A", "https://news.example/a", content=TEXTS[0])]))
    stop, events = StopFlag(), []
    loop = threading.Thread(target=run_watch, args=(graph, [FeedSource(feed)], settings, events.append, stop))
    loop.start()
    try:
        wait_for(lambda: len(articles(graph)) == 1, 60)
        server.routes["/feed.rss"].replace_body(rss([Item("b", "B", "https://news.example/b", content=TEXTS[4]),
                                                     Item("a", "A", "https://news.example/a", content=TEXTS[0])]
                                                    ).encode())
        published = time.monotonic()
        wait_for(lambda: len(articles(graph)) == 2, 120)
        # polled within one interval (plus a slice of the loop's sleep); extraction time depends on the machine
        fetched = min(r.at for r in server.requests("/feed.rss") if r.at > published and r.status == 200)
        assert fetched - published < interval + 0.5
    finally:
        stop.request()
        loop.join(10)
    assert not loop.is_alive()
    assert len(server.requests("/feed.rss")) >= 2


def wait_for(condition, timeout: float) -> None:
    end = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < end, "timed out"
        time.sleep(0.05)


def test_failing_feeds_get_one_event_per_poll_and_a_backoff(graph: GraphConnection, server: FeedServer,
                                                          tmp_path: Path) -> None:
    settings = WatchSettings(state_dir=tmp_path / "state", interval=0.25, timeout=0.5, backoff_cap=30.0)
    bad = {"/500.rss": server.serve("/500.rss", "", status=500),
           "/slow.rss": server.serve("/slow.rss", rss([]), delay=2.0),
           "/garbage.rss": server.serve("/garbage.rss", b"\x00<rss><channel><item>not xml at all"),
           }
    good = server.serve("/good.rss", rss([Item("a", "A", "https://news.example/a", content=TEXTS[6])]))
    stop, events = StopFlag(), []
    sources = [*(FeedSource(u) for u in bad.values()), FeedSource(good)]
    loop = threading.Thread(target=run_watch, args=(graph, sources, settings, events.append, stop))
    loop.start()
    try:
        wait_for(lambda: all(len(server.requests(path)) >= 3 for path in bad), 180)
    finally:
        stop.request()
        loop.join(10)
    assert not loop.is_alive()
    for path, url in bad.items():
        failures = [e for e in events if isinstance(e, SourceFailed) and e.source == url]
        assert len(failures) == len(server.requests(path)) >= 3, (path, failures)
        assert [f.errors for f in failures] == list(range(1, len(failures) + 1))
        assert [f.retry_in for f in failures[:3]] == [0.5, 1.0, 2.0]  # 2, 4, 8 times the interval
        assert len(server.requests(path)) < len(server.requests("/good.rss"))
    reasons = {path: next(e.reason for e in events if isinstance(e, SourceFailed) and e.source == url)
               for path, url in bad.items()}
    assert "HTTP 500" in reasons["/500.rss"] and "timeout" in reasons["/slow.rss"]
    assert "broken XML" in reasons["/garbage.rss"]
    assert len(articles(graph)) == 1  # the good feed went on


def test_a_page_failing_for_now_keeps_its_item_and_the_full_feed_for_later(
        graph: GraphConnection, server: FeedServer, settings: WatchSettings) -> None:
    items = two_items(server)
    server.routes["/page/1.html"].status = 503
    feed = server.serve("/feed.rss", rss(items))
    events = watch_once(graph, [FeedSource(feed)], settings)
    assert [e.reason for e in events if isinstance(e, SourceFailed)] == [
        f"linked page {items[0].link}: HTTP 503 Service Unavailable"]
    assert len(articles(graph)) == 1  # the other item went through
    server.routes["/page/1.html"].status = 200
    watch_once(graph, [FeedSource(feed)], settings)
    assert server.requests("/feed.rss")[-1].status == 200  # no validators were kept: the full feed again
    assert len(articles(graph)) == 2


def test_a_feed_over_the_size_cap_is_refused(graph: GraphConnection, server: FeedServer, tmp_path: Path) -> None:
    settings = WatchSettings(state_dir=tmp_path / "state", max_bytes=1000)
    feed = server.serve("/big.rss", rss([Item(str(i), "T", f"https://news.example/{i}", content=TEXTS[0])
                                         for i in range(20)]))
    [failed] = [e for e in watch_once(graph, [FeedSource(feed)], settings) if isinstance(e, SourceFailed)]
    assert "1,000-byte cap" in failed.reason and articles(graph) == {}


def test_folders_give_new_and_changed_files(graph: GraphConnection, settings: WatchSettings,
                                           tmp_path: Path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "a.txt").write_text(f"Deal\n\n{TEXTS[0]}", encoding="utf-8")
    (folder / "picture.png").write_bytes(b"\x89PNG")
    source = FolderSource(folder)
    first = watch_once(graph, [source], settings)
    assert [type(e).__name__ for e in first].count("ArticleStored") == 1
    assert [e.what for e in first if isinstance(e, InputRefused)] == [str(folder / "picture.png")]
    assert [e for e in watch_once(graph, [source], settings) if not isinstance(e, SourcePolled)] == []
    time.sleep(0.01)
    (folder / "a.txt").write_text(f"Deal\n\n{TEXTS[0]} {TEXTS[1]}", encoding="utf-8")
    (folder / "b.txt").write_text(TEXTS[7], encoding="utf-8")
    third = watch_once(graph, [source], settings)
    assert sorted(e.outcome for e in third if isinstance(e, ArticleStored)) == ["written", "written"]
    assert len(articles(graph)) == 2 and any(TEXTS[1] in a["text"] for a in articles(graph).values())


def test_an_item_is_marked_seen_only_after_its_article_is_written(graph: GraphConnection, server: FeedServer,
                                                                  settings: WatchSettings,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """A crash inside the second write (the process dies there): the state names the first item only, and the
    next run writes the rest without fetching the first item's page again."""
    from ingest.watch.sink import ArticleSink

    items = two_items(server)
    feed = server.serve("/feed.rss", rss(list(reversed(items))))  # the item with content first
    real_put = ArticleSink.put
    calls: list[str] = []

    def crash_on_second(sink: ArticleSink, article) -> str:
        calls.append(article.id)
        if len(calls) == 2:
            raise RuntimeError("killed while writing")
        return real_put(sink, article)

    monkeypatch.setattr(ArticleSink, "put", crash_on_second)
    with pytest.raises(RuntimeError, match="killed while writing"):
        watch_once(graph, [FeedSource(feed)], settings)
    [state_file] = settings.state_dir.glob("*.json")
    state = WatchState.model_validate_json(state_file.read_bytes())
    [seen] = state.feeds[feed].seen  # feedparser resolves the guid against the feed URL
    assert seen.endswith("guid-2") and state.feeds[feed].etag is None
    monkeypatch.setattr(ArticleSink, "put", real_put)
    events = watch_once(graph, [FeedSource(feed)], settings)
    assert [e.outcome for e in events if isinstance(e, ArticleStored)] == ["written"]
    assert len(articles(graph)) == 2 and len(server.requests("/page/1.html")) == 2
