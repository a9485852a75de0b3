"""Checks that an entity or fact respects the vocabulary before it may be written."""

from __future__ import annotations

from kg.errors import OntologyViolation
from kg.model import DEAL_STATUSES, ISO_CURRENCY, ISO_DATE, MODALITIES, Entity, Fact
from kg.vocabulary import vocabulary


def validate_entity(entity: Entity) -> None:
    if not entity.id or not entity.name or not entity.name.strip():
        raise OntologyViolation(f"Entity {entity.id!r} has no canonical name.")
    vocabulary().check_entity_type(entity.type, entity.kind)


def validate_fact(fact: Fact) -> None:
    """Raise OntologyViolation with a readable reason when the fact breaks the vocabulary."""
    validate_entity(fact.subject)
    validate_entity(fact.object)
    vocabulary().check_fact_types(fact.predicate, fact.subject.type, fact.object.type)
    q = fact.qualifiers
    if q.date is not None and not ISO_DATE.match(q.date):
        raise OntologyViolation(f"{fact.predicate} date {q.date!r} is not an ISO 8601 date (YYYY, YYYY-MM or YYYY-MM-DD).")
    if q.currency is not None and not ISO_CURRENCY.match(q.currency):
        raise OntologyViolation(f"{fact.predicate} currency {q.currency!r} is not an ISO 4217 code such as USD or EUR.")
    if q.modality not in MODALITIES:
        raise OntologyViolation(f"Modality {q.modality!r} is not one of {', '.join(MODALITIES)}.")
    if q.status is not None and q.status not in DEAL_STATUSES:
        raise OntologyViolation(f"Deal status {q.status!r} is not one of {', '.join(DEAL_STATUSES)}.")
    for name in ("quantity", "amount"):
        value = getattr(q, name)
        if value is not None and (not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0):
            raise OntologyViolation(f"{fact.predicate} {name} {value!r} is not a non-negative number.")
    if not fact.evidence:
        raise OntologyViolation(f"{fact.predicate} fact {fact.subject.name} → {fact.object.name} has no evidence.")
    for ev in fact.evidence:
        if not (0 <= ev.start <= ev.end) or not (0.0 <= ev.confidence <= 1.0):
            raise OntologyViolation(f"Evidence offsets {ev.start}-{ev.end} or confidence {ev.confidence} are out of range.")
