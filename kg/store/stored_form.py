"""A row of properties in the form Neo4j keeps it, so that what a write would store can be compared with what is
stored (the writer then writes only the difference: kg.store.time_writes, kg.store.rereads).

Neo4j stores no null property (`SET n += row` skips nulls, `SET n = row` drops them) and returns its own DATE type
and lists; the form here drops nulls, writes dates as ISO text and lists as tuples, so that equal forms mean the
stored node already holds exactly these properties."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from neo4j.time import Date

StoredForm = frozenset[tuple[str, Any]]


def comparable(value: Any) -> Any:
    """A property value as stored or as about to be written, in one form (dates as ISO text, lists as tuples)."""
    if isinstance(value, (dt.date, Date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return tuple(comparable(v) for v in value)
    return value


def stored_form(row: Mapping[str, Any]) -> StoredForm:
    """The properties a node would hold after `SET n = row`, comparable with those read back (`n {.*}`)."""
    return frozenset((k, comparable(v)) for k, v in row.items() if v is not None)
