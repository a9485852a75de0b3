"""Checks that an entity or fact respects the vocabulary before it may be written.

Every allowed value (types, kinds, predicates and their subject/object types, modality, deal status, currency codes)
comes from the ontology through `kg.vocabulary`; this module only says how a value is checked.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from kg.errors import OntologyViolation
from kg.intervals import check_stated_span
from kg.model import ISO_DATE, Entity, Fact, date_precision
from kg.terms import DatePrecision
from kg.vocabulary import vocabulary

TEXT_QUALIFIERS = ("role", "reported_by", "vendor", "round")
DATE_FORMS = "YYYY, YYYY-MM or YYYY-MM-DD"


def check_date(value: str, what: str = "date") -> DatePrecision:
    """Return the precision (year, month, day) of an ISO 8601 date prefix, or raise with the reason."""
    match = ISO_DATE.match(value) if isinstance(value, str) else None
    precision = date_precision(value) if match is not None else None
    if match is None or precision is None:
        raise OntologyViolation(f"{what} {value!r} is not an ISO 8601 date ({DATE_FORMS}).")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise OntologyViolation(f"{what} {value!r} is not a real calendar date.") from None
    return precision


def validate_entity(entity: Entity) -> None:
    if not entity.id or not isinstance(entity.name, str) or not entity.name.strip():
        raise OntologyViolation(f"Entity {entity.id!r} has no canonical name: give it a non-empty name.")
    vocabulary().check_entity_type(entity.type, entity.kind)
    if entity.wikidata_id is not None:
        if not re.match(vocabulary().wikidata_pattern, entity.wikidata_id):
            raise OntologyViolation(
                f"Entity {entity.name!r} has Wikidata id {entity.wikidata_id!r}, not a QID such as Q95.")


def _check_number(fact: Fact, name: str, value: object) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
        raise OntologyViolation(f"{fact.predicate} {name} {value!r} is not a non-negative number.")


def validate_fact(fact: Fact) -> None:
    """Raise OntologyViolation with a readable reason when the fact breaks the vocabulary."""
    vocab = vocabulary()
    vocab.predicate(fact.predicate)
    validate_entity(fact.subject)
    validate_entity(fact.object)
    vocab.check_fact_types(fact.predicate, fact.subject.type, fact.object.type)
    if fact.subject.id == fact.object.id:
        raise OntologyViolation(f"{fact.predicate} fact links {fact.subject.name!r} to itself.")
    q = fact.qualifiers
    if q.date is not None:
        check_date(q.date, f"{fact.predicate} date")
    for name in ("stated_from", "stated_to"):  # an explicit period (kg.intervals): real dates, start before end
        if getattr(q, name) is not None:
            check_date(getattr(q, name), f"{fact.predicate} {name}")
    check_stated_span(fact.predicate, q.stated_from, q.stated_to)
    if q.currency is not None:
        vocab.check_qualifier_value("currency", q.currency)
    vocab.check_qualifier_value("modality", q.modality)
    if q.status is not None:
        vocab.check_qualifier_value("status", q.status)
    _check_number(fact, "quantity", q.quantity)
    _check_number(fact, "amount", q.amount)
    if q.approximate is not None and not isinstance(q.approximate, bool):
        raise OntologyViolation(f"{fact.predicate} approximate {q.approximate!r} is not true or false.")
    for name in TEXT_QUALIFIERS:
        value = getattr(q, name)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise OntologyViolation(f"{fact.predicate} {name} {value!r} is not a non-empty text.")
    if not fact.evidence:
        raise OntologyViolation(f"{fact.predicate} fact {fact.subject.name} → {fact.object.name} has no evidence.")
    for ev in fact.evidence:
        if not (0 <= ev.start <= ev.end) or not (0.0 <= ev.confidence <= 1.0):
            raise OntologyViolation(
                f"Evidence offsets {ev.start}-{ev.end} or confidence {ev.confidence} are out of range "
                "(offsets 0 <= start <= end, confidence in [0, 1])."
            )
