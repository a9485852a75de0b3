"""The resolver's memory for one run: every entity it knows (from the graph or from earlier articles), filed under
its blocking keys, and the graph lookups already made, so that no key is asked of Neo4j twice in a run.

The cache is for one run: entities written by another process during the run are seen only through the keys asked
after they were written (the next run sees them all)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.resolution.known import KnownEntity
from ingest.resolution.names import blocking_keys
from kg.store.connection import GraphConnection
from kg.store.entity_lookup import StoredEntity, entities_by_terms


@dataclass
class EntityIndex:
    """Known entities by id and by blocking key; `redirects` maps an id merged away to the id it was merged into."""

    by_id: dict[str, KnownEntity] = field(default_factory=dict)
    by_key: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    redirects: dict[str, str] = field(default_factory=dict)

    def final_id(self, entity_id: str) -> str:
        seen = {entity_id}
        while entity_id in self.redirects and self.redirects[entity_id] not in seen:
            entity_id = self.redirects[entity_id]
            seen.add(entity_id)
        return entity_id

    def add(self, known: KnownEntity) -> KnownEntity:
        """File `known` (under its final id: an entity merged away adds its names to the one it was merged into)."""
        known.id = self.final_id(known.id)
        current = self.by_id.get(known.id)
        if current is None:
            current = self.by_id[known.id] = known
        elif current is not known:
            current.absorb(known)
        for forms in known.forms():
            for key in blocking_keys(forms):
                self.by_key[key].add(current.id)
        return current

    def merged(self, source_id: str, target_id: str) -> None:
        self.redirects[source_id] = target_id
        moved = self.by_id.pop(source_id, None)
        if moved is not None and source_id != self.final_id(target_id):
            moved.id = self.final_id(target_id)
            self.add(moved)

    def find(self, keys: Iterable[str]) -> list[KnownEntity]:
        ids = {self.final_id(i) for key in keys for i in self.by_key.get(key, ())}
        return [self.by_id[i] for i in sorted(ids) if i in self.by_id]


def _known(stored: StoredEntity, curated_ids: frozenset[str]) -> KnownEntity:
    return KnownEntity(id=stored.id, type=stored.type, names={stored.name, *stored.aliases},
                       neighbour_ids=set(stored.neighbour_ids), wikidata_id=stored.wikidata_id,
                       curated=stored.id in curated_ids)


@dataclass
class GraphCandidates:
    """Fills an `EntityIndex` from the graph, one query per article for the keys not asked before in the run."""

    conn: GraphConnection
    curated_ids: frozenset[str]
    asked: set[str] = field(default_factory=set)
    queries: int = 0

    def fill(self, index: EntityIndex, keys: set[str]) -> None:
        fresh = sorted(keys - self.asked)
        if not fresh:
            return
        self.asked.update(fresh)
        self.queries += 1
        for stored in {s.id: s for found in entities_by_terms(self.conn, fresh).values() for s in found}.values():
            if stored.id not in index.by_id:
                index.add(_known(stored, self.curated_ids))
