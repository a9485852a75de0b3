"""Opaque cursors: the position after a page's last row, base64url-encoded JSON, tagged with what it pages."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any, TypeGuard

from api.problems import ApiProblem
from kg.store.reader import PageKey


def encode_key(scope: str, key: PageKey | None) -> str | None:
    if key is None:
        return None
    raw = json.dumps({"s": scope, "k": key.sort_key, "i": key.id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def encode_offset(scope: str, offset: int | None) -> str | None:
    if offset is None:
        return None
    raw = json.dumps({"s": scope, "o": offset}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(scope: str, cursor: str) -> dict[str, Any]:
    if len(cursor) > 4096:
        raise ApiProblem(400, "invalid-cursor", "The cursor is too long to be one this endpoint gave: pass the "
                         "`nextCursor` of the previous page unchanged.")
    try:
        data = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(data, dict) or data.get("s") != scope:
            raise ValueError
        return data
    except (ValueError, binascii.Error, UnicodeDecodeError, TypeError, RecursionError):
        raise ApiProblem(400, "invalid-cursor", "The cursor is not one this endpoint gave: pass the `nextCursor` of "
                         "the previous page unchanged, or leave it out to start from the first page.") from None


def _is_text(value: object) -> TypeGuard[str]:
    """A string Neo4j can take: not too long, no lone surrogate (JSON can carry "\\ud800", UTF-8 cannot)."""
    if not isinstance(value, str) or len(value) > 1000:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def decode_key(scope: str, cursor: str | None) -> PageKey | None:
    if not cursor:
        return None
    data = _decode(scope, cursor)
    key, ident = data.get("k"), data.get("i")
    if not (_is_text(key) and _is_text(ident)):
        raise ApiProblem(400, "invalid-cursor", "The cursor is damaged: pass the `nextCursor` of the previous page "
                         "unchanged.")
    return PageKey(sort_key=key, id=ident)


def decode_offset(scope: str, cursor: str | None) -> int:
    if not cursor:
        return 0
    data = _decode(scope, cursor)
    offset = data.get("o")
    # bool is a subclass of int: `{"o": true}` would reach Neo4j as `SKIP true`
    if type(offset) is not int or not 0 <= offset <= 10_000:
        raise ApiProblem(400, "invalid-cursor", "The cursor is damaged or too deep (10,000 rows at most): narrow "
                         "the search instead.")
    return offset
