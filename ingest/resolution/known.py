"""What the resolver knows of an entity, whether it comes from the graph, from an earlier article of the run, or is
the entity being resolved: its id, type, every name, and the entities it shares facts with (its context)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ingest.resolution.names import NameForms, name_forms
from kg.model import Entity, Fact


@dataclass
class KnownEntity:
    """An entity as the resolver sees it. `neighbour_ids`: ids of entities it shares a fact with (employers,
    acquirers, products); `curated`: its id comes from the knowledge base, so it is never merged into another."""

    id: str
    type: str
    names: set[str]
    neighbour_ids: set[str] = field(default_factory=set)
    wikidata_id: str | None = None
    curated: bool = False

    @property
    def is_person(self) -> bool:
        return self.type == "Person"

    def forms(self) -> list[NameForms]:
        """The forms of every name; for a person with a full name, without the bare-surname aliases."""
        forms = [name_forms(name, self.is_person) for name in sorted(self.names)]
        if self.is_person and any(len(f.words) >= 2 for f in forms):
            return [f for f in forms if len(f.words) >= 2]
        return forms

    def absorb(self, other: KnownEntity) -> None:
        """Take `other`'s names and context (it was resolved to this entity)."""
        self.names |= other.names
        self.neighbour_ids |= other.neighbour_ids
        self.wikidata_id = self.wikidata_id or other.wikidata_id


def fact_neighbours(entity_id: str, facts: list[Fact]) -> set[str]:
    """The ids of the entities `entity_id` shares a fact with in `facts`."""
    out: set[str] = set()
    for fact in facts:
        if fact.subject.id == entity_id:
            out.add(fact.object.id)
        elif fact.object.id == entity_id:
            out.add(fact.subject.id)
    return out


def known_from_extraction(entity: Entity, facts: list[Fact], curated_ids: frozenset[str]) -> KnownEntity:
    return KnownEntity(id=entity.id, type=entity.type, names=set(entity.all_names()),
                       neighbour_ids=fact_neighbours(entity.id, facts), wikidata_id=entity.wikidata_id,
                       curated=entity.id in curated_ids)
