"""Keyset paging: a large read as a series of short read transactions, each one page after the last key seen.

A full dump cannot be one transaction: the local server ends any transaction after `db.transaction.timeout` (5 min,
a security setting), and a dump of a 1M-fact graph takes longer. Each page is its own auto-committed read, found
through the id index or constraint by `WHERE x.id > $after ORDER BY x.id LIMIT $limit`, so every page costs the
same whatever its depth (unlike SKIP) and memory holds one page at a time. Invariant: a paged query returns its
rows in strictly increasing key order, so the last key of a page is where the next one starts."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, LiteralString

from neo4j import Record

from kg.errors import InputError
from kg.store.connection import GraphConnection

DEFAULT_PAGE_SIZE = 5_000  # rows per transaction: a few MB of records, well inside the timeout at 1M facts


def keyset_pages(conn: GraphConnection, query: LiteralString | str, key: Callable[[Record], Any],
                 page_size: int = DEFAULT_PAGE_SIZE, start: Any = "") -> Iterator[Record]:
    """Every row of `query` (which takes $after and $limit), page by page; `key(record)` is the row's paging key
    and `start` sorts before every key (the empty string for string ids)."""
    if page_size < 1:
        raise InputError(f"A page holds at least 1 row, not {page_size}: give a positive page size.")
    after = start
    while True:
        page = conn.read(query, {"after": after, "limit": page_size})
        yield from page
        if len(page) < page_size:
            return
        after = key(page[-1])
