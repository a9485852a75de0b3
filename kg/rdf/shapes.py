"""SHACL: the shapes a valid graph meets, and validation with readable messages.

`ontology/shapes.ttl` is written by hand (cardinalities, datatypes, evidence, offsets). `ontology/shapes-vocabulary.ttl`
is generated from `ontology/techgraph.ttl` by `vocabulary_shapes()` (run `python -m kg.rdf.shapes` after changing
the ontology; a test fails while it is stale), so the lists of types, kinds and values exist only in the ontology.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pyshacl import validate
from rdflib import RDF, RDFS, Graph, Literal, Node, URIRef
from rdflib.collection import Collection
from rdflib.term import BNode

from kg.rdf.terms import ID, ONTOLOGY_IRI, SCHEMA, SH, TGSH
from kg.vocabulary import MAX_VALUES_SHOWN, ONTOLOGY_DIR, ONTOLOGY_FILE, TG, Vocabulary, vocabulary

CORE_SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
VOCABULARY_SHAPES_FILE = ONTOLOGY_DIR / "shapes-vocabulary.ttl"
FOCUS_NAME_CHARS = 60  # how much of a node's name or sentence a violation shows


def _one_of(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _a(name: str) -> str:
    return ("an " if name[0].lower() in "aeiou" else "a ") + name


def _list(graph: Graph, items: Sequence[Node]) -> BNode:
    head = BNode()
    Collection(graph, head, list(items))
    return head


def _class_options(graph: Graph, types: list[str]) -> BNode:
    """An RDF list of `sh:class` options, one per type (for sh:or and sh:xone)."""
    options = []
    for name in types:
        option = BNode()
        graph.add((option, SH["class"], TG[name]))
        options.append(option)
    return _list(graph, options)


def _class_constraint(graph: Graph, shape: URIRef, types: list[str]) -> None:
    if len(types) == 1:
        graph.add((shape, SH["class"], TG[types[0]]))
    else:
        graph.add((shape, SH["or"], _class_options(graph, types)))


def _property(graph: Graph, shape: URIRef, path: URIRef, message: str, **constraints: Node) -> None:
    prop = BNode()
    graph.add((shape, SH.property, prop))
    graph.add((prop, SH.path, path))
    for name, value in constraints.items():
        graph.add((prop, SH[name], value))
    graph.add((prop, SH.message, Literal(message, lang="en")))


def _node_shape(graph: Graph, shape: URIRef, target_kind: URIRef, target: URIRef) -> URIRef:
    graph.add((shape, RDF.type, SH.NodeShape))
    graph.add((shape, target_kind, target))
    return shape


def _entity_type_shapes(graph: Graph, vocab: Vocabulary) -> None:
    """An entity has exactly one type, a well-formed Wikidata id, and a kind its type allows."""
    type_names = sorted(vocab.entity_types)
    one_type = _node_shape(graph, TGSH.EntityHasOneType, SH.targetClass, TG.Entity)
    graph.add((one_type, SH.xone, _class_options(graph, type_names)))
    graph.add((one_type, SH.message, Literal(f"An entity is exactly one of {_one_of(type_names)}: it has exactly one "
                                             "of these types.", lang="en")))
    _property(graph, one_type, TG.wikidataId, "A Wikidata id is a QID such as Q95.",
              pattern=Literal(vocab.wikidata_pattern))
    for name in type_names:
        spec = vocab.entity_types[name]
        shape = _node_shape(graph, TGSH[f"{name}Kind"], SH.targetClass, TG[name])
        if spec.kinds:
            kinds = sorted(spec.kinds)
            _property(graph, shape, TG.kind, f"The kind of a {name} is one of {_one_of(kinds)}.",
                      **{"in": _list(graph, [Literal(k) for k in kinds])})
        else:
            _property(graph, shape, TG.kind, f"A {name} has no kind.", maxCount=Literal(0))


def _predicate_shapes(graph: Graph, vocab: Vocabulary) -> None:
    """The subject and object of each predicate have the types its signature (rdfs:domain, rdfs:range) allows."""
    for name in sorted(vocab.predicates):
        spec = vocab.predicates[name]
        for end, target, types in (("Subject", SH.targetSubjectsOf, spec.subject_types),
                                   ("Object", SH.targetObjectsOf, spec.object_types)):
            shape = _node_shape(graph, TGSH[f"{name}{end}"], target, spec.iri)
            _class_constraint(graph, shape, sorted(types))
            allowed = _one_of([_a(t) for t in sorted(types)])
            graph.add((shape, SH.message, Literal(f"{name}: the {end.lower()} must be {allowed}.", lang="en")))


def _qualifier_shapes(graph: Graph, vocab: Vocabulary) -> None:
    """Qualifier values of facts and evidence are among the allowed ones and have the required form."""
    values = _node_shape(graph, TGSH.QualifierValues, SH.targetClass, TG.Fact)
    graph.add((values, SH.targetClass, TG.Evidence))
    for name in sorted(vocab.qualifiers):
        spec = vocab.qualifiers[name]
        if spec.allowed:
            allowed = sorted(spec.allowed)
            shown = _one_of(allowed) if len(allowed) <= MAX_VALUES_SHOWN else "a code listed in the ontology"
            _property(graph, values, spec.iri, f"tg:{name} is {shown}.",
                      **{"in": _list(graph, [Literal(v) for v in allowed])})
        if spec.pattern:
            _property(graph, values, spec.iri, f"tg:{name} has the form {spec.pattern}.", pattern=Literal(spec.pattern))


_ORPHAN_TRIPLES = """
SELECT $this ?value ?s ?p WHERE {{
    ?s ?p ?value .
    FILTER (?p IN ({predicates}))
    FILTER NOT EXISTS {{ ?fact <{rdf}subject> ?s ; <{rdf}predicate> ?p ; <{rdf}object> ?value }}
}}"""


ENTITY_PROPERTIES = ("id", "name", "alias", "kind", "wikidataId")


def _closed_entity_shape(graph: Graph, vocab: Vocabulary) -> None:
    """An entity has only its own properties and the vocabulary's predicates: a misspelt property is a violation."""
    shape = _node_shape(graph, TGSH.EntityClosed, SH.targetClass, TG.Entity)
    graph.add((shape, SH.closed, Literal(True)))
    allowed = [RDF.type, SCHEMA.sameAs, RDFS.label, SCHEMA.alternateName, *(TG[name] for name in ENTITY_PROPERTIES),
               *(vocab.predicates[name].iri for name in sorted(vocab.predicates))]
    graph.add((shape, SH.ignoredProperties, _list(graph, allowed)))
    graph.add((shape, SH.message, Literal("An entity has only the properties of the ontology (tg:id, tg:name, "
                                          "tg:alias, tg:kind, tg:wikidataId, schema:sameAs), its names with their "
                                          "language (rdfs:label, schema:alternateName) and its predicates.",
                                          lang="en")))


def _fact_predicate_shapes(graph: Graph, vocab: Vocabulary) -> None:
    """A fact's predicate is one of the vocabulary's, and every direct triple of one has its reified tg:Fact. The
    predicates are listed (not found by their tg:Predicate type), so the shapes work with the ontology passed
    separately (`pyshacl -e`), which copies only RDFS and OWL axioms into the data."""
    iris = [vocab.predicates[name].iri for name in sorted(vocab.predicates)]
    shape = _node_shape(graph, TGSH.FactPredicate, SH.targetClass, TG.Fact)
    _property(graph, shape, RDF.predicate, f"A fact's predicate (rdf:predicate) is one of the vocabulary's "
              f"{len(iris)} predicates.", **{"in": _list(graph, iris)})
    orphans = _node_shape(graph, TGSH.DirectTriples, SH.targetNode, ONTOLOGY_IRI)
    constraint = BNode()
    graph.add((orphans, SH.sparql, constraint))
    graph.add((constraint, RDF.type, SH.SPARQLConstraint))
    graph.add((constraint, SH.message, Literal("The direct triple {?s} {?p} {?value} has no tg:Fact with its "
                                               "modality and evidence.", lang="en")))
    query = _ORPHAN_TRIPLES.format(predicates=", ".join(f"<{iri}>" for iri in iris), rdf=str(RDF))
    graph.add((constraint, SH.select, Literal(query)))


def vocabulary_shapes() -> Graph:
    """The shapes that follow from the vocabulary: types per predicate, kinds per type, values per qualifier."""
    vocab = vocabulary()
    graph = Graph()
    graph.bind("sh", SH)
    graph.bind("tg", TG)
    graph.bind("tgsh", TGSH)
    _entity_type_shapes(graph, vocab)
    _predicate_shapes(graph, vocab)
    _fact_predicate_shapes(graph, vocab)
    _closed_entity_shape(graph, vocab)
    _qualifier_shapes(graph, vocab)
    return graph


def write_vocabulary_shapes(path: Path = VOCABULARY_SHAPES_FILE) -> Path:
    """Regenerate the file, leaving it untouched when it already says the same (rdflib's blank-node order varies)."""
    from rdflib.compare import isomorphic

    shapes = vocabulary_shapes()
    if path.exists() and isomorphic(Graph().parse(path, format="turtle"), shapes):
        return path
    header = ("# GENERATED from techgraph.ttl by `python -m kg.rdf.shapes` — do not edit by hand.\n"
              "# The SHACL shapes that follow from the vocabulary: types per predicate, kinds, qualifier values, the\n"
              "# predicates a fact may have and the rule that each of their direct triples has its tg:Fact.\n")
    path.write_text(header + shapes.serialize(format="turtle"), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(CORE_SHAPES_FILE, format="turtle")
    graph.parse(VOCABULARY_SHAPES_FILE, format="turtle")
    return graph


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    graph = Graph()
    graph.parse(ONTOLOGY_FILE, format="turtle")
    return graph


@dataclass(frozen=True)
class Violation:
    focus: str  # a readable name of the node: "Twitter (entity organization:twitter)"
    path: str | None
    value: str | None
    message: str
    severity: str

    def __str__(self) -> str:
        where = f" [{self.path}]" if self.path else ""
        value = f" (value: {self.value})" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{value}"


@dataclass(frozen=True)
class ShaclReport:
    conforms: bool  # no violation (warnings allowed)
    violations: list[Violation]  # every result, warnings included

    @property
    def warnings(self) -> list[Violation]:
        return [v for v in self.violations if v.severity == "Warning"]

    def text(self) -> str:
        errors = len(self.violations) - len(self.warnings)
        head = ("The graph conforms to the SHACL shapes." if self.conforms
                else f"{errors} violation(s) of the SHACL shapes:")
        if self.warnings:
            head += f" {len(self.warnings)} warning(s)."
        return "\n".join([head, *(f"- {v}" for v in self.violations)])


def _short(graph: Graph, node: Node | None) -> str | None:
    if node is None:
        return None
    if isinstance(node, Literal):
        return repr(str(node)) + (f"^^{graph.namespace_manager.normalizeUri(node.datatype)}" if node.datatype else "")
    if isinstance(node, BNode):
        inverse = graph.value(node, SH.inversePath)
        if inverse is None:
            return "a blank node"
        return "^" + graph.namespace_manager.normalizeUri(str(inverse))
    return graph.namespace_manager.normalizeUri(str(node))


def _describe_focus(data: Graph, node: Node) -> str:
    name = data.value(node, TG.name) or data.value(node, TG.sentence)
    short = str(node).replace(str(ID), "")
    if name is not None:
        return f"{str(name)[:FOCUS_NAME_CHARS]!r} ({short})"
    subject, predicate, obj = (data.value(node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
    if predicate is not None:
        s_name = data.value(subject, TG.name) if subject is not None else None
        o_name = data.value(obj, TG.name) if obj is not None else None
        return f"fact {s_name} —{str(predicate).rsplit('#', 1)[-1]}→ {o_name} ({short})"
    return short


def validate_rdf(data: Graph) -> ShaclReport:
    """Validate a graph against the shapes, with the ontology passed separately (pyshacl's `ont_graph`, the `-e` of
    its command line), so the class hierarchy and tg:Predicate are known. Warnings do not break conformance."""
    conforms, results, _ = validate(data, shacl_graph=shapes_graph(), ont_graph=ontology_graph(), inference="none",
                                    abort_on_first=False, allow_warnings=True)
    violations = []
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        if focus == ONTOLOGY_IRI:  # a rule across nodes: the offending node is the value
            focus = results.value(result, SH.value)
        messages = [str(m) for m in results.objects(result, SH.resultMessage)]
        value = results.value(result, SH.value)
        violations.append(Violation(
            focus=_describe_focus(data, focus),
            path=_short(results, results.value(result, SH.resultPath)),
            value=None if focus == value else _short(results, value),
            message=" ".join(messages) or "violates a shape",
            severity=str(results.value(result, SH.resultSeverity)).rsplit("#", 1)[-1],
        ))
    violations.sort(key=lambda v: (v.focus, v.message))
    return ShaclReport(conforms=bool(conforms), violations=violations)


if __name__ == "__main__":
    print(f"wrote {write_vocabulary_shapes()}")
