"""Where an extracted entity id points now: merges are followed to their end (A merged into B merged into C
sends A to C), and an entity whose type a curator set keeps that type whatever an extractor says."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from neo4j import ManagedTransaction

from kg.store import curation_cypher

MAX_CHAIN = 100  # a longer chain of merges means a cycle (refused when merging, guarded here anyway)


@dataclass(frozen=True)
class Redirects:
    """`merged_into`: merged-away id -> the id it was merged into (one step); `curated_types`: id -> type a
    curator set."""

    merged_into: dict[str, str] = field(default_factory=dict)
    curated_types: dict[str, str] = field(default_factory=dict)

    def target(self, entity_id: str) -> str:
        """The live entity an id stands for now (itself when it was never merged away)."""
        current = entity_id
        for _ in range(MAX_CHAIN):
            nxt = self.merged_into.get(current)
            if nxt is None:
                return current
            current = nxt
        return current

    def is_redirected(self, entity_id: str) -> bool:
        return entity_id in self.merged_into

    def with_merges(self, merges: dict[str, str]) -> Redirects:
        return Redirects({**self.merged_into, **merges}, self.curated_types)


def load_redirects(tx: ManagedTransaction, ids: Iterable[str]) -> Redirects:
    """The stored merges (followed through chains) and curated types of these ids: one query per link of the
    longest chain, usually one in all."""
    merged: dict[str, str] = {}
    types: dict[str, str] = {}
    todo, seen = set(ids), set()
    while todo:
        seen |= todo
        following = set()
        for record in tx.run(curation_cypher.ENTITY_REDIRECTS, ids=sorted(todo)):
            if record["mergedInto"]:
                merged[record["id"]] = record["mergedInto"]
                following.add(record["mergedInto"])
            if record["curatedType"]:
                types[record["id"]] = record["curatedType"]
        todo = following - seen
    return Redirects(merged, types)
