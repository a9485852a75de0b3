"""A fetched feed's bytes to items, through feedparser (never asked to fetch anything itself).

Each item carries a key (its guid, else its link, else a hash of its title and text) and a fingerprint of what the
feed says about it: a new key is a new item, a known key with another fingerprint is an updated one."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from ingest.loaders.feeds import _entry_date, _entry_link
from kg.errors import InputError


@dataclass(frozen=True)
class FeedItem:
    key: str
    fingerprint: str
    title: str | None
    link: str | None  # an http(s) address, or None
    published: str | None  # YYYY-MM-DD from the entry's published (else updated) date
    lang: str | None
    body_html: str  # the longest content block, else the summary
    summary_only: bool  # the feed gave a summary and no content: the linked page holds the article


@dataclass(frozen=True)
class ParsedFeed:
    site: str  # the feed's site (host of its link, else of its URL): the articles' source
    items: list[FeedItem]


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()[:24]


def _item(entry: Any, feed_lang: str | None) -> FeedItem:
    blocks = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = max(blocks, key=len) if blocks else (entry.get("summary") or "")
    link = _entry_link(entry)
    title = entry.get("title")
    key = (entry.get("id") or "").strip() or link or _digest(title, body)
    fingerprint = _digest(title, link, entry.get("published"), body)
    return FeedItem(key=key, fingerprint=fingerprint, title=title, link=link, published=_entry_date(entry),
                    lang=entry.get("language") or feed_lang, body_html=body, summary_only=not blocks)


def site_of(feed_link: str | None, feed_url: str) -> str:
    """`https://www.example.com/news` → `example.com`: the outlet, the same for all of a site's feeds."""
    host = urlsplit(feed_link or "").hostname or urlsplit(feed_url).hostname or feed_url
    return host.removeprefix("www.")


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """The items of an RSS or Atom document, in feed order; InputError when it is no feed at all. Malformed XML
    that feedparser's lenient parser still reads items from (an unescaped `&` is common) is accepted."""
    import feedparser

    headers = {"content-location": url, **({"content-type": content_type} if content_type else {})}
    try:
        parsed = feedparser.parse(body, response_headers=headers, sanitize_html=True, resolve_relative_uris=True)
    except Exception as exc:  # noqa: BLE001 - any parser failure is this feed's error, not the watcher's end
        raise InputError(f"cannot be parsed as a feed ({type(exc).__name__}); check that it serves RSS or Atom"
                         ) from exc
    reason = f" ({parsed.get('bozo_exception')})" if parsed.get("bozo") else ""
    if not parsed.get("version") and not parsed.entries:
        raise InputError(f"does not serve an RSS or Atom feed{reason}")
    if reason and not any(e.get("title") or e.get("link") for e in parsed.entries):
        raise InputError(f"serves broken XML that holds no usable RSS or Atom item{reason}")
    feed_lang = parsed.feed.get("language")
    return ParsedFeed(site=site_of(parsed.feed.get("link"), url),
                      items=[_item(entry, feed_lang) for entry in parsed.entries])
