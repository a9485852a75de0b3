"""What the rules find in a sentence, before entities and dates are settled for the whole article."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span

from ingest.extraction.mentions import Mention
from ingest.extraction.qualifiers import DateExpr

# internal relations that feed other rules and never leave the extractor
FORMER_ROLE = "_FORMER_ROLE"  # "former DeepMind engineer X": X worked for A in the past
JOIN_ATTEMPT = "_JOIN"  # X joins something that is not a named organisation ("rejoindre l'équipe de Musk")
REPLACES = "_REPLACES"  # X replaces Y: X joins Y's organisation, Y leaves it
SUCCEEDS = "_SUCCEEDS"  # X succeeds Y: X joins Y's organisation (Y may stay in another role)
ROLE_ONLY = "_ROLE"  # "chief executive Franklin Raines": a title with no organisation named

SIGNATURES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "HIRED_FROM": (("Person",), ("Organization",)),
    "JOINED": (("Person",), ("Organization",)),
    "LEFT": (("Person",), ("Organization",)),
    "WORKS_FOR": (("Person",), ("Organization",)),
    "FOUNDED": (("Person", "Organization"), ("Organization",)),
    "OWNS": (("Person", "Organization"), ("Organization", "Product")),
    "SUBSIDIARY_OF": (("Organization",), ("Organization",)),
    "ACQUIRED": (("Person", "Organization"), ("Organization",)),
    "PURCHASED": (("Person", "Organization"), ("Product",)),
    "INVESTED_IN": (("Person", "Organization"), ("Organization",)),
    "PARTNERED_WITH": (("Organization",), ("Organization",)),
    "LAUNCHED": (("Person", "Organization"), ("Product",)),
    "SUED": (("Person", "Organization"), ("Person", "Organization")),
    "SIGNED": (("Person", "Organization"), ("Document",)),
    FORMER_ROLE: (("Person",), ("Organization",)),
    REPLACES: (("Person",), ("Person",)),
    SUCCEEDS: (("Person",), ("Person",)),
    ROLE_ONLY: (("Person",), ("None",)),
    JOIN_ATTEMPT: (("Person",), ("Organization", "Person", "Product", "Unknown", "Place", "Document", "None")),
}


@dataclass
class Candidate:
    subject: Mention
    predicate: str
    object: Mention | None
    sent: Span
    rule: str
    confidence: float
    trigger: int
    role: str | None = None
    modality: str = "asserted"
    status: str | None = None
    quantity: float | None = None
    approximate: bool | None = None
    amount: float | None = None
    currency: str | None = None
    vendor: Mention | None = None
    reported_by: Mention | None = None
    dates: list[DateExpr] = field(default_factory=list)
    subject_type: str | None = None  # the model's candidates carry the types their slots give the mentions
    object_type: str | None = None
