"""Rename, retype, add an alias, set a Wikidata id. None of them changes an entity's id, so facts stay where they
are; each survives re-ingestion because the writer only fills what an entity lacks (a name and a type are set when
the entity is created, aliases only grow, a Wikidata id is kept once set) and adopts a curated type
(`typeCurated`, kg.curation.on_write)."""

from __future__ import annotations

import re
from typing import Any

from neo4j import ManagedTransaction

from kg.curation.audit import write_log
from kg.curation.errors import CurationConflict
from kg.curation.merging import live_entities, missing_entity
from kg.curation.records import Outcome
from kg.errors import OntologyViolation
from kg.store import curation_cypher as q
from kg.vocabulary import vocabulary

Row = dict[str, Any]


def _entity(tx: ManagedTransaction, entity_id: str) -> Row:
    found = live_entities(tx, [entity_id])
    if entity_id not in found:
        raise missing_entity(tx, entity_id)
    return found[entity_id]


def _text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise OntologyViolation(f"The {what} is empty: give a non-blank {what}.")
    return text


def rename_entity(tx: ManagedTransaction, entity_id: str, name: str, *, by: str, why: str) -> Outcome:
    """A new canonical name; the old one stays as an alias (search still finds it)."""
    entity, name = _entity(tx, entity_id), _text(name, "name")
    tx.run(q.RENAME_ENTITY, id=entity_id, name=name)
    detail = f"renamed {entity_id} from {entity['name']!r} to {name!r}"
    return Outcome(write_log(tx, "rename", by, why, detail, [entity_id]))


def _check_facts_fit(tx: ManagedTransaction, entity_id: str, type_name: str) -> None:
    """Every fact of the entity must allow the new type on the entity's side (else a 409 naming the first)."""
    vocab = vocabulary()
    for r in tx.run(q.ENTITY_FACT_SHAPES, id=entity_id):
        subject_type, object_type = ((type_name, r["otherType"]) if r["side"] == "subject"
                                     else (r["otherType"], type_name))
        try:
            vocab.check_fact_types(r["predicate"], subject_type, object_type)
        except OntologyViolation as exc:
            raise CurationConflict(f"{entity_id!r} cannot become a {type_name}: it has {r['predicate']} facts and "
                                   f"{str(exc).rstrip('.')}. Reject those facts first.") from None


def retype_entity(tx: ManagedTransaction, entity_id: str, type_name: str, *, by: str, why: str) -> Outcome:
    """A new type (and label), checked against the ontology and the entity's facts; its kind is kept when the new
    type has it. Marked `typeCurated`: an extractor's other type for this id is not written over it."""
    entity = _entity(tx, entity_id)
    vocabulary().check_entity_type(type_name)
    if type_name == entity["type"]:
        raise CurationConflict(f"{entity_id!r} is a {type_name} already.")
    _check_facts_fit(tx, entity_id, type_name)
    kind = entity["kind"] if entity["kind"] in vocabulary().entity_types[type_name].kinds else None
    tx.run(q.RETYPE_ENTITY, id=entity_id, type=type_name, kind=kind)
    detail = f"retyped {entity_id} from {entity['type']} to {type_name}"
    return Outcome(write_log(tx, "retype", by, why, detail, [entity_id]))


def add_alias(tx: ManagedTransaction, entity_id: str, alias: str, *, by: str, why: str) -> Outcome:
    entity, alias = _entity(tx, entity_id), _text(alias, "alias")
    if alias == entity["name"] or alias in entity["aliases"]:
        raise CurationConflict(f"{entity_id!r} is known as {alias!r} already.")
    tx.run(q.ADD_ALIAS, id=entity_id, alias=alias)
    return Outcome(write_log(tx, "alias", by, why, f"added alias {alias!r} to {entity_id}", [entity_id]))


def set_wikidata_id(tx: ManagedTransaction, entity_id: str, wikidata_id: str, *, by: str, why: str) -> Outcome:
    """A Wikidata QID (Q followed by digits, the ontology's pattern)."""
    entity = _entity(tx, entity_id)
    if not re.fullmatch(vocabulary().wikidata_pattern, wikidata_id):
        raise OntologyViolation(f"{wikidata_id!r} is not a Wikidata id: give a QID such as Q95.")
    tx.run(q.SET_WIKIDATA, id=entity_id, wikidataId=wikidata_id)
    return Outcome(write_log(tx, "wikidata", by, why, f"set the Wikidata id of {entity_id} from "
                     f"{entity['wikidataId'] or 'none'} to {wikidata_id}", [entity_id]))
