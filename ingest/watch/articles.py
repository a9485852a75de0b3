"""A feed item to an Article: the feed's own text, or, when the feed gives only a summary, the main text of the
linked page (fetched with the same politeness, extracted by trafilatura as the HTML loader does).

The Article has the item's link as url and id source (so `kg ingest` of the same feed saved to a file names it
the same), the item's title and date, and the feed's site as source. A page that cannot be had for good (404, too
big, no article text in it) leaves the summary as the text; a transient failure (timeout, 5xx) is raised so the
item is tried again at the next poll."""

from __future__ import annotations

from ingest.loaders.article import finish_article
from ingest.loaders.decoding import decode_bytes
from ingest.loaders.html import article_from_html, declared_charset
from ingest.loaders.htmltext import html_to_text
from ingest.loaders.ids import article_id_from_path, article_id_from_url
from ingest.watch.feed_items import FeedItem
from ingest.watch.fetch import FetchFailed, PoliteClient
from kg.errors import InputError
from kg.model import Article


def _page_text(client: PoliteClient, link: str) -> tuple[str, str | None] | None:
    """The main text and language of the page at `link`; None when it cannot be had for good."""
    try:
        page = client.get(link)
    except FetchFailed as exc:
        if exc.transient:
            raise FetchFailed(f"linked page {link}: {exc}", True, exc.retry_after) from exc
        return None
    raw = page.body or b""
    try:  # decoding refuses binary bodies; trafilatura refuses pages with no article text
        article = article_from_html(decode_bytes(raw, declared_charset(raw)), link, link)
    except InputError:
        return None
    return article.text, article.lang


def article_from_item(item: FeedItem, site: str, client: PoliteClient) -> Article:
    """The item as an Article; InputError when it has no text at all, FetchFailed when its page should be
    fetched again later."""
    text, lang = html_to_text(item.body_html), item.lang
    if item.summary_only and item.link:
        page = _page_text(client, item.link)
        if page is not None:
            text, lang = page[0], page[1] or lang
    if not text.strip():
        raise InputError("has neither text nor a readable linked page")
    article_id = article_id_from_url(item.link) if item.link else article_id_from_path(site, item.key)
    return finish_article(article_id=article_id, text=text, source=site, title=item.title, url=item.link,
                          published=item.published, lang=lang)
