"""A feed server for the watcher's tests: RSS feeds and HTML pages served from 127.0.0.1 only, with ETag and
Last-Modified, 304 answers to conditional requests, and faults on demand (a status, a delay, any body). Every
request is logged with its conditional headers and the answer given."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TEXTS = [
    "Microsoft said on Tuesday that it would buy Activision Blizzard, the games maker, for $69bn.",
    "Satya Nadella, Microsoft's chief executive, called it the biggest deal in the company's history.",
    "Google announced a partnership with Samsung on Wednesday to build new chips for its phones.",
    "Sundar Pichai, the chief executive of Google, signed the agreement in Seoul.",
    "Apple hired Ian Goodfellow from Google to lead a machine learning team in Cupertino.",
    "Amazon invested $4bn in Anthropic, the start-up founded by former OpenAI researchers.",
    "Nvidia reported record revenue as demand for its data centre chips kept growing.",
    "IBM acquired Red Hat, the open source software company, for $34bn in 2019.",
    "Meta laid off thousands of employees in its second round of job cuts this year.",
    "Intel named Pat Gelsinger as its new chief executive, replacing Bob Swan.",
]


@dataclass
class Route:
    body: bytes
    content_type: str = "application/rss+xml; charset=utf-8"
    status: int = 200
    delay: float = 0.0  # seconds before answering (a slow server, a timeout)
    etag: str | None = None
    last_modified: str | None = None

    def replace_body(self, body: bytes) -> None:
        """New content: a new ETag and Last-Modified, as a real server would give."""
        self.body = body
        self.etag = f'"v{time.monotonic_ns()}"'
        self.last_modified = formatdate(time.time() + 1, usegmt=True)


@dataclass(frozen=True)
class Request:
    path: str
    if_none_match: str | None
    if_modified_since: str | None
    status: int
    at: float


@dataclass
class FeedServer:
    port: int = 0
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[Request] = field(default_factory=list)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def serve(self, path: str, body: bytes | str, **route: object) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.routes[path] = Route(data, **route)  # type: ignore[arg-type]
        self.routes[path].replace_body(data)
        return self.url(path)

    def requests(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        route = self.routes.get(handler.path)
        status = 404 if route is None else route.status
        inm, ims = handler.headers.get("If-None-Match"), handler.headers.get("If-Modified-Since")
        if route is not None and status == 200 and ((inm and inm == route.etag) or
                                                    (not inm and ims and ims == route.last_modified)):
            status = 304
        self.log.append(Request(handler.path, inm, ims, status, time.monotonic()))  # on arrival
        if route is not None and route.delay:
            time.sleep(route.delay)
        handler.send_response(status)
        if route is not None and status in (200, 304):
            handler.send_header("ETag", route.etag or "")
            handler.send_header("Last-Modified", route.last_modified or "")
        body = route.body if route is not None and status == 200 else b""
        handler.send_header("Content-Type", route.content_type if route else "text/plain")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        try:
            handler.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
            pass


@contextmanager
def feed_server() -> Iterator[FeedServer]:
    server = FeedServer()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            server.answer(self)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - http.server's signature
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    server.port = httpd.server_address[1]
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        httpd.shutdown()
        httpd.server_close()


@dataclass(frozen=True)
class Item:
    guid: str
    title: str
    link: str
    published: str = "Tue, 18 Apr 2023 10:00:00 GMT"
    summary: str = ""
    content: str | None = None  # full text (content:encoded); None: the feed holds only the summary


def rss(items: list[Item], site: str = "https://news.example/") -> str:
    def entry(item: Item) -> str:
        content = (f"<content:encoded>{escape(f'<p>{item.content}</p>')}</content:encoded>"
                   if item.content is not None else "")
        return (f"<item><guid>{escape(item.guid)}</guid><title>{escape(item.title)}</title>"
                f"<link>{escape(item.link)}</link><pubDate>{item.published}</pubDate>"
                f"<description>{escape(item.summary)}</description>{content}</item>")

    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Tech news</title>'
            f"<link>{escape(site)}</link><language>en</language>{''.join(map(entry, items))}</channel></rss>")


def page(title: str, paragraphs: list[str]) -> str:
    """An article page with navigation around it: trafilatura should keep the paragraphs only."""
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{escape(title)}</title></head>'
            '<body><nav><a href="/">Home</a> <a href="/tech">Tech</a></nav>'
            f"<article><h1>{escape(title)}</h1>{body}</article><footer>© News Example</footer></body></html>")
