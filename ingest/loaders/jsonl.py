"""JSON Lines: one article per line, `{"id", "text", "title"?, "published"?, "url"?, "lang"?, "source"?}`.

Common names of the same fields in news dumps are read too (first found wins): `article`, `content` or `body` for
the text, `headline` for the title, `date`, `published_at` or `pubDate` for the date, `language` for the language.

Each line stands alone: a line that is not JSON, is not an object or has no text is refused with its line number,
and the lines around it are read as usual. Blank lines are skipped. Any other field (a gold file's `facts`) is
ignored here."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ingest.loaders.article import RefusedInput, finish_article
from ingest.loaders.ids import article_id_from_path, article_id_from_url, clean_given_id
from ingest.loaders.source import SourceFile
from kg.errors import InputError
from kg.model import Article

FIELD_NAMES = {  # our field -> the keys it is read from, in order
    "id": ("id",), "text": ("text", "article", "content", "body"), "title": ("title", "headline"),
    "url": ("url", "link"), "source": ("source",), "published": ("published", "date", "published_at", "pubDate"),
    "lang": ("lang", "language"),
}


def _field(record: dict, name: str) -> tuple[str, object]:
    for key in FIELD_NAMES[name]:
        if record.get(key) is not None:
            return key, record[key]
    return FIELD_NAMES[name][0], None


def _string_field(record: dict, name: str) -> str | None:
    key, value = _field(record, name)
    if value is None or isinstance(value, str):
        return value
    if name == "id" and isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    raise InputError(f"field {key!r} should be a string, not {type(value).__name__}")


def article_from_record(record: object, source: SourceFile, line_no: int) -> Article:
    if not isinstance(record, dict):
        raise InputError(f"is a JSON {type(record).__name__}, not an object with a \"text\" field")
    key, text = _field(record, "text")
    if not isinstance(text, str) or not text.strip():
        raise InputError("has no \"text\" field with the article text" if text is None or isinstance(text, str)
                         else f"field \"{key}\" should be a string, not {type(text).__name__}")
    fields = {name: _string_field(record, name) for name in ("id", "title", "url", "source")}
    url = fields["url"]
    article_id = (clean_given_id(fields["id"]) or (article_id_from_url(url) if url else None)
                  or article_id_from_path(source.relative, f"line{line_no}"))
    return finish_article(article_id=article_id, text=text, source=fields["source"] or f"{source.label}:{line_no}",
                          title=fields["title"], url=url, published=_field(record, "published")[1],
                          lang=_field(record, "lang")[1], trust_lang=True)


def load_jsonl(source: SourceFile) -> Iterator[Article | RefusedInput]:
    lines = source.read_text().split("\n")
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{source.label}:{line_no}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield RefusedInput(where, f"is not JSON ({exc.msg} at column {exc.colno})")
            continue
        except RecursionError:
            yield RefusedInput(where, "is JSON nested too deeply to be an article")
            continue
        try:
            yield article_from_record(record, source, line_no)
        except InputError as exc:
            yield RefusedInput(where, str(exc))
