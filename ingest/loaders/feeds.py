"""RSS and Atom feeds: one article per entry, from its content (or summary) with the HTML stripped, its date,
link and title. An entry without text is refused on its own; a file that is no feed is refused whole."""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator

from ingest.loaders.article import RefusedInput, finish_article
from ingest.loaders.decoding import decode_bytes
from ingest.loaders.htmltext import html_to_text
from ingest.loaders.ids import article_id_from_path, article_id_from_url, clean_given_id
from ingest.loaders.source import SourceFile
from kg.errors import InputError
from kg.model import Article

log = logging.getLogger(__name__)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _entry_text(entry: dict) -> str:
    """The longest of the entry's content blocks, else its summary, as plain text."""
    blocks = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    html = max(blocks, key=len) if blocks else entry.get("summary", "")
    return html_to_text(html or "")


def _entry_date(entry: dict) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _entry_link(entry: dict) -> str | None:
    """The entry's web address; an Atom id copied into `link` (urn:…) is no address."""
    link = (entry.get("link") or "").strip()
    return link if link.startswith(("http://", "https://")) else None


def _entry_id(entry: dict, source: SourceFile, index: int) -> str:
    link = _entry_link(entry)
    if link:
        return article_id_from_url(link)
    guid = clean_given_id(entry.get("id"))
    if guid:
        return article_id_from_path(source.relative, guid)
    return article_id_from_path(source.relative, f"entry{index}")


def article_from_entry(entry: dict, source: SourceFile, index: int, feed_lang: str | None) -> Article:
    text = _entry_text(entry)
    if not text:
        raise InputError("has neither content nor summary text")
    return finish_article(article_id=_entry_id(entry, source, index), text=text, source=source.label,
                          title=entry.get("title"), url=_entry_link(entry), published=_entry_date(entry),
                          lang=entry.get("language") or feed_lang)


def load_feed(source: SourceFile) -> Iterator[Article | RefusedInput]:
    import feedparser

    raw = source.read_bytes()
    try:
        parsed = feedparser.parse(raw, sanitize_html=True, resolve_relative_uris=False)
    except Exception:  # noqa: BLE001 - feedparser trips on some broken encoding declarations; decode it ourselves
        log.info("feedparser failed on %s; retrying as UTF-8 without its declaration", source.label, exc_info=True)
        text = _XML_DECLARATION.sub("", decode_bytes(raw), count=1)
        try:
            parsed = feedparser.parse(text.encode("utf-8"), sanitize_html=True, resolve_relative_uris=False)
        except Exception as exc:  # noqa: BLE001 - any parser failure is this file's refusal, not the batch's end
            raise InputError(f"cannot be parsed as a feed ({type(exc).__name__}); check that it is RSS or Atom"
                             ) from exc
    if not parsed.get("version") and not parsed.entries:
        reason = parsed.get("bozo_exception")
        raise InputError("is not an RSS or Atom feed" + (f" ({reason})" if reason else ""))
    if not parsed.entries:
        raise InputError("is a feed with no entries")
    feed_lang = parsed.feed.get("language")
    for index, entry in enumerate(parsed.entries, start=1):
        label = f"{source.label}#{index}" + (f" ({entry['title'][:60]})" if entry.get("title") else "")
        try:
            yield article_from_entry(entry, source, index, feed_lang)
        except InputError as exc:
            yield RefusedInput(label, str(exc))
