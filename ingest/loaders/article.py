"""What every loader shares: the refusal record, the size limit, and turning raw fields into a checked Article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from email.utils import parsedate_to_datetime

from ingest.language import detect_language, language_scores, supported_languages
from kg.errors import InputError
from kg.model import Article

# One article may hold at most this many characters: spaCy's own default `max_length`, about 150,000 words,
# a hundred times the longest news feature. Longer inputs are books or dumps: split them into articles.
MAX_ARTICLE_CHARS = 1_000_000

_ISO_DATE_PREFIX = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_LANG_TAG = re.compile(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$")


@dataclass(frozen=True)
class RefusedInput:
    """A file, a JSONL line or a feed entry that could not be read as an article, and why."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


def too_long_reason(size: int, unit: str = "characters") -> str:
    return (f"{size:,} {unit} is more than one article may hold (at most {MAX_ARTICLE_CHARS:,} characters, "
            "about 150,000 words); split it into several articles")


def normalise_published(value: object) -> str | None:
    """An ISO 8601 date or date-time as given, or an RFC 2822 date (feeds, mail) as YYYY-MM-DD; None if empty."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    if _ISO_DATE_PREFIX.match(text):  # 2023, 2023-03, 2023-03-18: checked as the full date they start
        try:
            date.fromisoformat((text + "-01-01")[:10] if len(text) < 10 else text)
            return text
        except ValueError:
            raise InputError(f"published value {text!r} is not a real date; give an ISO 8601 date such as "
                             "2023-03-18") from None
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
        return text
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date().isoformat()
    except (TypeError, ValueError, IndexError):
        raise InputError(f"published value {text!r} is not a date; give an ISO 8601 date such as 2023-03-18"
                         ) from None


def language_code(tag: object) -> str | None:
    """`fr-FR`, `en_US`, `EN` → `fr`, `en`, `en`; None for a missing or malformed tag."""
    match = _LANG_TAG.match(str(tag).strip()) if tag else None
    return match.group(1).lower() if match else None


def _text_contradicts(text: str, code: str) -> bool:
    """Whether the text itself clearly is in another language than `code` (twice the evidence, at least 3)."""
    scores = language_scores(text)
    best = max(scores, key=scores.get)
    return best != code and scores[best] >= 3 and scores[best] > 2 * scores.get(code, 0.0)


def finish_article(*, article_id: str, text: str, source: str, title: str | None = None, url: str | None = None,
                   published: object = None, lang: object = None, trust_lang: bool = False) -> Article:
    """A checked Article: text present (kept exactly as given) and within the limit, date normalised, language known.

    A language the source states is kept when trust_lang is set (a JSONL `lang`, refused if no profile covers it);
    otherwise (HTML or feed metadata, often a site-wide default) it is kept only if it is supported and the text
    itself does not clearly say otherwise. Without one, the language is detected from the text."""
    if not text.strip():
        raise InputError("has no article text")
    if len(text) > MAX_ARTICLE_CHARS:
        raise InputError(too_long_reason(len(text)))
    code = language_code(lang)
    if lang and code is None and trust_lang:
        raise InputError(f"lang {lang!r} is not a language code; use one of {', '.join(supported_languages())}")
    if code is not None and code not in supported_languages():
        if trust_lang:
            raise InputError(f"lang {code!r} is not supported; supported: {', '.join(supported_languages())}")
        code = None
    if code is None or (not trust_lang and _text_contradicts(text, code)):
        code = detect_language(text)
    return Article(id=article_id, text=text, title=(title or "").strip() or None, url=(url or "").strip() or None,
                   published=normalise_published(published), lang=code, source=source)
