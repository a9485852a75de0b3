"""The change feed's JSON shapes (GET /v1/changes and the events of GET /v1/changes/stream), camelCase on the wire,
built from kg.store.change_feed's dataclasses, and the feed's opaque cursor.

The cursor is the sequence number of the last change a client has, written as decimal text. Clients must treat it
as opaque (pass back what they were given); it survives restarts of the API because the number lives in the graph.
"""

from __future__ import annotations

import re
from typing import Literal

from pydantic import Field

from api.problems import ApiProblem
from api.schemas import ApiModel
from kg.store.change_feed import ChangePage, FactChange
from kg.terms import Predicate

CURSOR_PATTERN = re.compile(r"[0-9]{1,18}")
PropertyValue = str | int | float | bool | list[str] | None


class FactChangeOut(ApiModel):
    """One change of one fact, in commit order. Apply it to a copy keyed by `factId`: `added` and `updated` carry
    the fact's properties as committed (replace the copy's), `removed` deletes it."""

    cursor: str = Field(description="The position just after this change (the stream's event id): pass it as "
                                    "`since` to continue from here", examples=["1042"])
    kind: Literal["added", "updated", "removed"] = Field(
        description="What happened to the fact: `updated` means its properties changed (new evidence, new "
                    "qualifiers, dates, validity periods)", examples=["added"])
    fact_id: str = Field(description="The fact's id", examples=["3f2a9c0d1e4b5a6f7c8d"])
    predicate: Predicate | None = Field(description="The fact's predicate (null only for the removal of a fact "
                                                    "the feed never saw, e.g. written before the feed existed)",
                                        examples=["HIRED_FROM"])
    subject_id: str | None = Field(description="The id of the fact's stored subject (null as for `predicate`)",
                                   examples=["person:igor-babuschkin"])
    object_id: str | None = Field(description="The id of the fact's stored object (null as for `predicate`)",
                                  examples=["organization:deepmind"])
    properties: dict[str, PropertyValue] | None = Field(
        description="The fact's properties as committed, as stored in the graph (camelCase names: date, "
                    "datePrecision, dateStart, evidenceCount, firstPublished, modality, the other qualifiers, "
                    "validFrom/validTo of a state); dates are ISO 8601 text. Null for a removal.",
        examples=[{"date": "2023-03", "datePrecision": "month", "evidenceCount": 2, "modality": "asserted"}])
    cause: Literal["ingest", "retract", "curation"] = Field(description="What changed it: an article written, an "
                                                                        "article retracted, a curator's action",
                                                            examples=["ingest"])
    at: str = Field(description="When the change was committed (ISO 8601, UTC)",
                    examples=["2026-12-01T18:02:11.431Z"])


class ChangePageOut(ApiModel):
    """Changes after a cursor, in commit order."""

    changes: list[FactChangeOut] = Field(description="The changes, oldest first (empty when the client is up to "
                                                     "date)")
    next: str = Field(description="Pass as `since` to get the changes after these (the same cursor when there "
                                  "were none: poll again later)", examples=["1042"])


def cursor_of(position: int) -> str:
    return str(position)


def position_of(cursor: str | None) -> int | None:
    """The feed position a cursor names; None (the start of the retained window) when there is none."""
    if not cursor:
        return None
    if not CURSOR_PATTERN.fullmatch(cursor):
        raise ApiProblem(400, "invalid-cursor", "The cursor is not one the change feed gave: pass the `next` (or the "
                         "event id) you were given unchanged, or leave `since` out to start from the oldest change "
                         "kept.")
    return int(cursor)


def change_out(change: FactChange) -> FactChangeOut:
    return FactChangeOut(cursor=cursor_of(change.seq), kind=change.kind, fact_id=change.fact_id,
                         predicate=Predicate(change.predicate) if change.predicate else None,
                         subject_id=change.subject_id, object_id=change.object_id, properties=change.properties,
                         cause=change.cause, at=change.at)


def page_out(page: ChangePage) -> ChangePageOut:
    return ChangePageOut(changes=[change_out(c) for c in page.changes], next=cursor_of(page.position))
