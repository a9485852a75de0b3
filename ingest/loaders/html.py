"""HTML pages: the main text, title, publication date, url and language, through trafilatura."""

from __future__ import annotations

import re

from kg.errors import InputError
from kg.model import Article

from ingest.loaders.article import finish_article
from ingest.loaders.ids import article_id_from_path, article_id_from_url
from ingest.loaders.source import SourceFile

_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)


def page_language(html: str) -> str | None:
    """The `lang` attribute of the page's <html> element, if any."""
    match = _HTML_LANG.search(html[:20_000])
    return match.group(1) if match else None


def article_from_html(html: str, source: str, relative: str) -> Article:
    import trafilatura

    document = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False, include_tables=False,
                                           favor_precision=True)
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError("is an HTML page with no article text in it (no body, or only navigation)")
    url = getattr(document, "url", None)
    article_id = article_id_from_url(url) if url else article_id_from_path(relative)
    return finish_article(article_id=article_id, text=text.strip(), source=source,
                          title=getattr(document, "title", None), url=url, published=getattr(document, "date", None),
                          lang=page_language(html))


def load_html(source: SourceFile) -> Article:
    return article_from_html(source.read_text(), source.label, source.relative)
