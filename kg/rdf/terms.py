"""IRIs of the graph's nodes in RDF and the typed literals of their properties (one place for both directions)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from urllib.parse import quote, unquote

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict
from rdflib import XSD, Literal, Namespace, URIRef

from kg.model import date_bounds, date_precision
from kg.vocabulary import TG


class RdfSettings(BaseSettings):
    """Where exported nodes live (`KG_RDF_BASE_IRI`, or `kg export --base-iri`) and what an export says of itself."""

    model_config = SettingsConfigDict(env_prefix="KG_RDF_", extra="ignore")

    base_iri: str = Field(default="https://techgraph.example.org/id/",
                          description="IRI prefix of entities, facts, evidence and articles; ends with / or #")
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    creator: str = "techgraph"


ID = Namespace(RdfSettings().base_iri)  # the configured base: the default of every export
WD = Namespace("http://www.wikidata.org/entity/")
PROV = Namespace("http://www.w3.org/ns/prov#")
SH = Namespace("http://www.w3.org/ns/shacl#")
TGSH = Namespace("https://techgraph.example.org/shapes#")
SCHEMA = Namespace("https://schema.org/")
ORG = Namespace("http://www.w3.org/ns/org#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
ONTOLOGY_IRI = URIRef(str(TG).rstrip("#"))

PREFIXES = {"tg": TG, "tgid": ID, "wd": WD, "prov": PROV, "schema": SCHEMA, "void": VOID, "dcat": DCAT,
            "dcterms": DCTERMS}

_DATE_TYPES = {"year": XSD.gYear, "month": XSD.gYearMonth, "day": XSD.date}  # precision -> datatype


def node_iri(kind: str, node_id: str, base: Namespace = ID) -> URIRef:
    """kind is entity, fact, evidence, article or extractor; the id keeps ':' (valid in an IRI path) and escapes
    the rest."""
    return base[f"{kind}/{quote(node_id, safe=':-._~')}"]


def id_from_iri(iri: URIRef) -> str:
    return unquote(str(iri).rsplit("/", 1)[-1])


def fact_date(value: str) -> Literal:
    """A fact date keeps its precision in its datatype: xsd:gYear, xsd:gYearMonth or xsd:date."""
    precision = date_precision(value)
    return Literal(value) if precision is None else Literal(value, datatype=_DATE_TYPES[precision])


def date_bound_literals(value: str | None) -> tuple[Literal, Literal] | None:
    """The first and last day a fact date covers, as comparable xsd:date literals (kg.model.date_bounds' rule)."""
    bounds = date_bounds(value)
    if bounds is None:
        return None
    return Literal(bounds[0].isoformat(), datatype=XSD.date), Literal(bounds[1].isoformat(), datatype=XSD.date)


def publication_date(value: str) -> Literal:
    if date_precision(value) == "day":
        return Literal(value, datatype=XSD.date)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        return Literal(value)
    return Literal(value, datatype=XSD.dateTime)


def decimal(value: float | int) -> Literal:
    """An xsd:decimal whose lexical form always has a fraction ("260000000.0"), so Turtle keeps it a decimal."""
    lexical = format(Decimal(str(float(value))), "f")
    if "." not in lexical:
        lexical += ".0"
    return Literal(lexical, datatype=XSD.decimal)


def python_value(literal: Literal) -> object:
    """Back from RDF: decimals become float (as in kg.model), integers int, booleans bool, the rest its lexical form."""
    if literal.datatype == XSD.decimal:
        return float(Decimal(str(literal)))
    if literal.datatype in (XSD.integer, XSD.int, XSD.long, XSD.nonNegativeInteger):
        return int(literal)
    if literal.datatype == XSD.double or literal.datatype == XSD.float:
        return float(literal)
    if literal.datatype == XSD.boolean:
        return bool(literal.toPython())
    return str(literal)
