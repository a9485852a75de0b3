"""The vocabulary, read from the Turtle in `ontology/` (the single source of truth).

Nothing here restates a predicate, a type, a kind or an allowed qualifier value by hand: they all come from
`ontology/techgraph.ttl`. `vocabulary()` is the cached, parsed form every other module uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import OWL, RDF, RDFS, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.term import Node, URIRef

from kg.errors import OntologyViolation

ONTOLOGY_DIR = Path(__file__).resolve().parent.parent / "ontology"
ONTOLOGY_FILE = ONTOLOGY_DIR / "techgraph.ttl"
TG = Namespace("https://techgraph.example.org/ontology#")
SKOS_DEFINITION = URIRef("http://www.w3.org/2004/02/skos/core#definition")

# A name that may stand unquoted in Cypher as a label or relationship type (the one definition; kg.store.cypher
# checks every name it places in a query against it).
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
MAX_VALUES_SHOWN = 12  # an error lists the allowed values when there are at most this many (not the currencies)
TERMS_MODULE = Path(__file__).resolve().parent / "terms.py"
# The closed value sets the generated `kg/terms.py` names as types: (type name, enum name, qualifier).
_QUALIFIER_TERMS = (("Modality", "ModalityValue", "modality"), ("DealStatus", "DealStatusValue", "status"),
                    ("DatePrecision", "DatePrecisionValue", "datePrecision"))


@dataclass(frozen=True)
class PredicateSpec:
    name: str
    subject_types: frozenset[str]
    object_types: frozenset[str]
    symmetric: bool
    labels: dict[str, str]
    definitions: dict[str, str]

    @property
    def iri(self) -> URIRef:
        return TG[self.name]


@dataclass(frozen=True)
class EntityTypeSpec:
    name: str
    kinds: frozenset[str]
    labels: dict[str, str]
    definitions: dict[str, str]

    @property
    def iri(self) -> URIRef:
        return TG[self.name]


@dataclass(frozen=True)
class QualifierSpec:
    """A datatype property of a fact: its RDF range, and where the ontology closes it, its allowed values."""

    name: str  # the property's local name, camelCase as in Neo4j (reportedBy)
    datatype: URIRef | None
    allowed: frozenset[str]
    pattern: str | None
    labels: dict[str, str]

    @property
    def iri(self) -> URIRef:
        return TG[self.name]


@dataclass(frozen=True)
class Vocabulary:
    entity_types: dict[str, EntityTypeSpec]
    predicates: dict[str, PredicateSpec]
    qualifiers: dict[str, QualifierSpec]
    date_precisions: frozenset[str]
    wikidata_pattern: str

    def predicate(self, name: str) -> PredicateSpec:
        try:
            return self.predicates[name]
        except KeyError:
            raise OntologyViolation(
                f"Unknown predicate {name!r}: the vocabulary has {', '.join(sorted(self.predicates))}."
            ) from None

    def is_symmetric(self, predicate: str) -> bool:
        spec = self.predicates.get(predicate)
        return spec is not None and spec.symmetric

    def allowed_values(self, qualifier: str) -> frozenset[str]:
        return self.qualifiers[qualifier].allowed

    def check_fact_types(self, predicate: str, subject_type: str, object_type: str) -> None:
        spec = self.predicate(predicate)
        if subject_type not in spec.subject_types:
            allowed = ", ".join(sorted(spec.subject_types))
            raise OntologyViolation(f"{predicate} cannot have a {subject_type} as subject (allowed: {allowed}).")
        if object_type not in spec.object_types:
            allowed = ", ".join(sorted(spec.object_types))
            raise OntologyViolation(f"{predicate} cannot have a {object_type} as object (allowed: {allowed}).")

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

    def check_qualifier_value(self, qualifier: str, value: str) -> None:
        spec = self.qualifiers[qualifier]
        if spec.pattern is not None and not re.match(spec.pattern, value):
            raise OntologyViolation(f"{qualifier} {value!r} does not have the form {spec.pattern}.")
        if spec.allowed and value not in spec.allowed:
            shown = (", ".join(sorted(spec.allowed)) if len(spec.allowed) <= MAX_VALUES_SHOWN
                     else "the codes listed in the ontology")
            raise OntologyViolation(f"{qualifier} {value!r} is not one of {shown}.")


def local_name(node: Node) -> str:
    return str(node).rsplit("#", 1)[-1]


def _class_names(graph: Graph, node: Node | None, prop: Node) -> frozenset[str]:
    if node is None:
        raise OntologyViolation(f"Predicate {local_name(prop)} has no rdfs:domain or rdfs:range in the ontology.")
    union = graph.value(node, OWL.unionOf)
    if union is not None:
        return frozenset(local_name(member) for member in Collection(graph, union))
    if (node, RDFS.subClassOf, TG.Entity) not in graph:  # a named class of entity types (tg:Agent): its subclasses
        members = frozenset(local_name(sub) for sub in graph.subjects(RDFS.subClassOf, node))
        if members:
            return members
    return frozenset({local_name(node)})


def _texts(graph: Graph, node: Node, prop: URIRef) -> dict[str, str]:
    return {lit.language or "": str(lit) for lit in graph.objects(node, prop) if isinstance(lit, Literal)}


def load_vocabulary(path: Path = ONTOLOGY_FILE) -> Vocabulary:
    graph = Graph()
    graph.parse(path, format="turtle")
    entity_types: dict[str, EntityTypeSpec] = {}
    for cls in graph.subjects(RDFS.subClassOf, TG.Entity):
        kinds = frozenset(str(k) for k in graph.objects(cls, TG.allowedKind))
        entity_types[local_name(cls)] = EntityTypeSpec(local_name(cls), kinds, _texts(graph, cls, RDFS.label),
                                                       _texts(graph, cls, SKOS_DEFINITION))
    predicates: dict[str, PredicateSpec] = {}
    for prop in graph.subjects(RDF.type, TG.Predicate):
        name = local_name(prop)
        if not IDENTIFIER.match(name):
            raise OntologyViolation(f"Predicate {name!r} in {path} is not a valid relationship type name.")
        spec = PredicateSpec(
            name=name,
            subject_types=_class_names(graph, graph.value(prop, RDFS.domain), prop),
            object_types=_class_names(graph, graph.value(prop, RDFS.range), prop),
            symmetric=(prop, RDF.type, OWL.SymmetricProperty) in graph,
            labels=_texts(graph, prop, RDFS.label),
            definitions=_texts(graph, prop, SKOS_DEFINITION),
        )
        unknown = (spec.subject_types | spec.object_types) - entity_types.keys()
        if unknown:
            raise OntologyViolation(
                f"Predicate {name} in {path} names classes that are not entity types: {sorted(unknown)}.")
        predicates[name] = spec
    qualifiers: dict[str, QualifierSpec] = {}
    for prop in [*graph.subjects(RDF.type, TG.Qualifier), TG.datePrecision]:
        pattern = graph.value(prop, TG.valuePattern)
        datatype = graph.value(prop, RDFS.range)
        qualifiers[local_name(prop)] = QualifierSpec(
            name=local_name(prop),
            datatype=datatype if isinstance(datatype, URIRef) else None,
            allowed=frozenset(str(v) for v in graph.objects(prop, TG.allowedValue)),
            pattern=None if pattern is None else str(pattern),
            labels=_texts(graph, prop, RDFS.label),
        )
    return Vocabulary(entity_types=entity_types, predicates=predicates, qualifiers=qualifiers,
                      date_precisions=qualifiers["datePrecision"].allowed,
                      wikidata_pattern=str(graph.value(TG.wikidataId, TG.valuePattern)))


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    return load_vocabulary()


def _literal(name: str, values: list[str]) -> str:
    return f"{name} = Literal[\n" + "".join(f'    "{v}",\n' for v in values) + "]\n"


def _enum(name: str, values: list[str], doc: str) -> str:
    members = "".join(f'    {v.upper()} = "{v}"\n' for v in values)
    return f"class {name}(StrEnum):\n    \"\"\"{doc}\"\"\"\n\n{members}"


def render_terms(vocab: Vocabulary) -> str:
    """The text of `kg/terms.py`: the vocabulary's closed sets as `Literal` types (for the code) and `StrEnum`s (for
    the API's schema), generated so that no list is typed twice. A test fails while the file is stale."""
    sets = [("EntityTypeName", "EntityType", sorted(vocab.entity_types), "The type of an entity."),
            ("PredicateName", "Predicate", sorted(vocab.predicates), "The predicate (relationship type) of a fact.")]
    for type_name, enum_name, qualifier in _QUALIFIER_TERMS:
        spec = vocab.qualifiers[qualifier]
        label = spec.labels.get("en", qualifier)
        sets.append((type_name, enum_name, sorted(spec.allowed), f"tg:{qualifier}: {label}."))
    parts = ['"""GENERATED from ontology/techgraph.ttl by `python -m kg.vocabulary`: do not edit by hand.\n\n'
             'The closed sets of the vocabulary as types: `Literal`s for the code, `StrEnum`s for the API\'s schema.\n'
             '"""\n\nfrom __future__ import annotations\n\nfrom enum import StrEnum\nfrom typing import Literal\n']
    blocks = [_literal(type_name, values) + "\n\n" + _enum(enum_name, values, doc)
              for type_name, enum_name, values, doc in sets]
    return "\n".join(parts) + "\n" + "\n\n".join(blocks)


def write_terms(path: Path = TERMS_MODULE) -> Path:
    text = render_terms(vocabulary())
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path


if __name__ == "__main__":
    print(f"wrote {write_terms()}")


__all__ = ["IDENTIFIER", "TG", "EntityTypeSpec", "PredicateSpec", "QualifierSpec", "Vocabulary", "load_vocabulary",
           "local_name", "vocabulary"]
