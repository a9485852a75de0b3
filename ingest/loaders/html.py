"""HTML pages: the main text, title, publication date, url and language, through trafilatura."""

from __future__ import annotations

import logging
import re

from ingest.loaders.article import finish_article
from ingest.loaders.ids import article_id_from_path, article_id_from_url
from ingest.loaders.source import SourceFile
from kg.errors import InputError
from kg.model import Article

log = logging.getLogger(__name__)
# The publication date from the page's metadata, url and markup only: htmldate's extensive search would guess one
# from any date-like text with dateparser over every locale (slow, and a guess is worse than no date).
DATE_PARAMS = {"original_date": True, "extensive_search": False}
_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)
_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)", re.IGNORECASE)


def page_language(html: str) -> str | None:
    """The `lang` attribute of the page's <html> element, if any."""
    match = _HTML_LANG.search(html[:20_000])
    return match.group(1) if match else None


def article_from_html(html: str, source: str, relative: str) -> Article:
    import trafilatura

    options = {"include_comments": False, "include_tables": False, "favor_precision": True,
               "date_extraction_params": DATE_PARAMS}
    try:
        document = trafilatura.bare_extraction(html, with_metadata=True, **options)
    except Exception:  # noqa: BLE001 - trafilatura's date and metadata helpers trip on some broken trees
        log.info("metadata extraction failed on %s; reading the text alone", source, exc_info=True)
        try:
            document = trafilatura.bare_extraction(html, with_metadata=False, **options)
        except Exception as exc:  # noqa: BLE001 - any parser failure is this file's refusal, not the batch's end
            raise InputError(f"cannot be parsed as HTML ({type(exc).__name__}); check that it is a web page") from exc
    text = getattr(document, "text", None) or ""
    if not text.strip():
        raise InputError("is an HTML page with no article text in it (no body, or only navigation)")
    url = getattr(document, "url", None)
    article_id = article_id_from_url(url) if url else article_id_from_path(relative)
    return finish_article(article_id=article_id, text=text.strip(), source=source,
                          title=getattr(document, "title", None), url=url, published=getattr(document, "date", None),
                          lang=page_language(html))


def declared_charset(raw: bytes) -> str | None:
    """The charset a page declares in its first bytes (`<meta charset=…>` or the http-equiv form)."""
    match = _CHARSET.search(raw[:4096])
    return match.group(1).decode("ascii") if match else None


def load_html(source: SourceFile) -> Article:
    return article_from_html(source.read_text(declared_charset), source.label, source.relative)
