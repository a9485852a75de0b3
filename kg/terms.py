"""GENERATED from ontology/techgraph.ttl by `python -m kg.vocabulary`: do not edit by hand.

The closed sets of the vocabulary as types: `Literal`s for the code, `StrEnum`s for the API's schema.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Literal

EntityTypeName = Literal[
    "Document",
    "Organization",
    "Person",
    "Product",
]


class EntityType(StrEnum):
    """The type of an entity."""

    DOCUMENT = "Document"
    ORGANIZATION = "Organization"
    PERSON = "Person"
    PRODUCT = "Product"


PredicateName = Literal[
    "ACQUIRED",
    "FOUNDED",
    "HIRED_FROM",
    "INVESTED_IN",
    "JOINED",
    "LAUNCHED",
    "LEFT",
    "OWNS",
    "PARTNERED_WITH",
    "PURCHASED",
    "SIGNED",
    "SUBSIDIARY_OF",
    "SUED",
    "WORKS_FOR",
]


class Predicate(StrEnum):
    """The predicate (relationship type) of a fact."""

    ACQUIRED = "ACQUIRED"
    FOUNDED = "FOUNDED"
    HIRED_FROM = "HIRED_FROM"
    INVESTED_IN = "INVESTED_IN"
    JOINED = "JOINED"
    LAUNCHED = "LAUNCHED"
    LEFT = "LEFT"
    OWNS = "OWNS"
    PARTNERED_WITH = "PARTNERED_WITH"
    PURCHASED = "PURCHASED"
    SIGNED = "SIGNED"
    SUBSIDIARY_OF = "SUBSIDIARY_OF"
    SUED = "SUED"
    WORKS_FOR = "WORKS_FOR"


Modality = Literal[
    "asserted",
    "denied",
    "planned",
    "reported",
]


class ModalityValue(StrEnum):
    """tg:modality: modality."""

    ASSERTED = "asserted"
    DENIED = "denied"
    PLANNED = "planned"
    REPORTED = "reported"


DealStatus = Literal[
    "announced",
    "cancelled",
    "completed",
    "planned",
]


class DealStatusValue(StrEnum):
    """tg:status: deal status."""

    ANNOUNCED = "announced"
    CANCELLED = "cancelled"
    COMPLETED = "completed"
    PLANNED = "planned"


DatePrecision = Literal[
    "day",
    "month",
    "year",
]


class DatePrecisionValue(StrEnum):
    """tg:datePrecision: date precision."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
