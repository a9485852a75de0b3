"""A .json file: one article object, or a list of them, in the JSONL field layout."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ingest.loaders.article import RefusedInput
from ingest.loaders.jsonl import article_from_record
from ingest.loaders.source import SourceFile
from kg.errors import InputError
from kg.model import Article


def load_json(source: SourceFile) -> Iterator[Article | RefusedInput]:
    try:
        data = json.loads(source.read_text())
    except json.JSONDecodeError as exc:
        raise InputError(f"is not JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})") from exc
    except RecursionError as exc:
        raise InputError("is JSON nested too deeply to be an article") from exc
    records = data if isinstance(data, list) else [data]
    for index, record in enumerate(records, start=1):
        try:
            yield article_from_record(record, source, index)
        except InputError as exc:
            yield RefusedInput(f"{source.label}[{index}]" if isinstance(data, list) else source.label, str(exc))
