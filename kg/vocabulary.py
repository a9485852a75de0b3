"""The vocabulary, read from the Turtle in `ontology/` (the single source of truth).

Nothing here restates a predicate or a type by hand: they come from `ontology/techgraph.ttl`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import OntologyViolation

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "techgraph.ttl"
TG = Namespace("https://techgraph.example.org/ontology#")

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    symmetric: bool
    labels: dict[str, str]


@dataclass(frozen=True)
class EntityTypeSpec:
    name: str
    kinds: frozenset[str]
    labels: dict[str, str]


@dataclass(frozen=True)
class Vocabulary:
    entity_types: dict[str, EntityTypeSpec]
    predicates: dict[str, PredicateSpec]

    def predicate(self, name: str) -> PredicateSpec:
        try:
            return self.predicates[name]
        except KeyError:
            raise OntologyViolation(
                f"Unknown predicate {name!r}: the vocabulary has {', '.join(sorted(self.predicates))}."
            ) from None

    def check_fact_types(self, predicate: str, subject_type: str, object_type: str) -> None:
        spec = self.predicate(predicate)
        if subject_type not in spec.subject_types:
            raise OntologyViolation(
                f"{predicate} cannot have a {subject_type} as subject (allowed: {', '.join(sorted(spec.subject_types))})."
            )
        if object_type not in spec.object_types:
            raise OntologyViolation(
                f"{predicate} cannot have a {object_type} as object (allowed: {', '.join(sorted(spec.object_types))})."
            )

    def check_entity_type(self, type_name: str, kind: str | None = None) -> None:
        spec = self.entity_types.get(type_name)
        if spec is None:
            raise OntologyViolation(
                f"Unknown entity type {type_name!r}: use one of {', '.join(sorted(self.entity_types))}."
            )
        if kind is not None and kind not in spec.kinds:
            raise OntologyViolation(
                f"Kind {kind!r} is not a kind of {type_name} (allowed: {', '.join(sorted(spec.kinds)) or 'none'})."
            )


def _local(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _class_names(graph: Graph, node: Node) -> frozenset[str]:
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return frozenset(_local(member) for member in Collection(graph, union))
    return frozenset({_local(node)})


def _labels(graph: Graph, node: Node) -> dict[str, str]:
    return {lit.language or "": str(lit) for lit in graph.objects(node, RDFS.label)}


def load_vocabulary(path: Path = ONTOLOGY_FILE) -> Vocabulary:
    graph = Graph()
    graph.parse(path, format="turtle")
    entity_types: dict[str, EntityTypeSpec] = {}
    for cls in graph.subjects(RDFS.subClassOf, TG.Entity):
        kinds = frozenset(str(k) for k in graph.objects(cls, TG.allowedKind))
        entity_types[_local(cls)] = EntityTypeSpec(_local(cls), kinds, _labels(graph, cls))
    predicates: dict[str, PredicateSpec] = {}
    for prop in graph.subjects(RDF.type, TG.Predicate):
        name = _local(prop)
        if not _IDENTIFIER.match(name):
            raise OntologyViolation(f"Predicate {name!r} in {path} is not a valid relationship type name.")
        predicates[name] = PredicateSpec(
            name=name,
            subject_types=_class_names(graph, graph.value(prop, RDFS.domain)),
            object_types=_class_names(graph, graph.value(prop, RDFS.range)),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            labels=_labels(graph, prop),
        )
    return Vocabulary(entity_types=entity_types, predicates=predicates)


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()
