"""Validity intervals of states (WORKS_FOR, OWNS, SUBSIDIARY_OF), derived from dated events, never guessed.

The rules (docs/graph-model.md, "Validity intervals", has the same table; tests/test_time.py and, for stated
periods, tests/test_time_spans.py test each one on a real Neo4j):

| event (dated)              | effect                                                                          |
|----------------------------|---------------------------------------------------------------------------------|
| JOINED(p, o, d)            | opens WORKS_FOR(p, o) at d                                                      |
| LEFT(p, o, d)              | closes WORKS_FOR(p, o) at d                                                     |
| HIRED_FROM(p, o, d)        | closes WORKS_FOR(p, o) at d (the JOINED at the new employer opens the next one) |
| ACQUIRED(a, t, d)          | opens OWNS(a, t) and SUBSIDIARY_OF(t, a) at d; closes OWNS(x, t) and            |
|                            | SUBSIDIARY_OF(t, x) of every other owner x at d (a divestment by sale)          |
| WORKS_FOR / OWNS /         | the state held at d: opens it at d when no period is open (unless one of its    |
| SUBSIDIARY_OF(s, o, d)     | evidence states d as a span bound: then that bound is the reading of d)         |
| a state's evidence states  | opens the state at f ("since 2018", "depuis 2018", "from 2015 to ...")          |
| statedFrom f               |                                                                                 |
| a state's evidence states  | closes the state at t ("until 2020", "jusqu'en 2020", "... to 2019",            |
| statedTo t                 | "former CEO (2015-2019)")                                                       |

Bounds are walked in date order (`dateStart`, then opens before closes). An open while a period is open does not
start another: it is kept beside the first as a conflicting start (`fromCandidates`); a close with no open period
ends a period whose start is unknown (validFrom null), or, right after a closed period, is kept beside its end as a
conflicting end (`toCandidates`); another buyer's acquisition ends only an open period. Undated events bound
nothing. Each bound keeps the facts and evidence it came from (`openedBy`/`closedBy`, `openEvidence`/
`closeEvidence`): for a stated span, the evidence that states it, not every evidence of the fact. Stated bounds and
event bounds are walked together, so "since 2017" in one article and "since 2018" in another are two candidate
starts of one period, and "until 2020" beside a LEFT in 2021 two candidate ends.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Literal, cast

from kg.errors import OntologyViolation
from kg.model import STATE_PREDICATES, date_bounds, date_precision

BoundKind = Literal["open", "close"]
# Event predicate -> (state, whether the state runs subject->object as the event, kind of bound).
_EVENT_EFFECTS: dict[str, list[tuple[str, bool, BoundKind]]] = {
    "JOINED": [("WORKS_FOR", True, "open")],
    "LEFT": [("WORKS_FOR", True, "close")],
    "HIRED_FROM": [("WORKS_FOR", True, "close")],
    "ACQUIRED": [("OWNS", True, "open"), ("SUBSIDIARY_OF", False, "open")],
    "WORKS_FOR": [("WORKS_FOR", True, "open")],
    "OWNS": [("OWNS", True, "open")],
    "SUBSIDIARY_OF": [("SUBSIDIARY_OF", True, "open")],
}
INTERVAL_PREDICATES = frozenset(_EVENT_EFFECTS)


@dataclass(frozen=True)
class StatedBounds:
    """The explicit period one piece of evidence gives its state fact (`statedFrom`/`statedTo`, ISO prefixes)."""
    evidence_id: str
    stated_from: str | None = None
    stated_to: str | None = None
    role: str | None = None


@dataclass(frozen=True)
class EventRow:
    """One dated fact, or a state fact with a stated span, as read from the graph (with the ids of its evidence)."""
    fact_id: str
    predicate: str
    subject_id: str
    object_id: str
    date: str | None
    evidence_ids: tuple[str, ...] = ()
    role: str | None = None
    stated: tuple[StatedBounds, ...] = ()


@dataclass
class _Bound:
    kind: BoundKind
    date: str
    start: dt.date
    end: dt.date
    fact_id: str
    evidence_ids: tuple[str, ...]
    role: str | None = None
    only_if_open: bool = False  # an end that only ends an open period (another buyer's acquisition)


@dataclass
class Interval:
    state: str
    subject_id: str
    object_id: str
    opened: list[_Bound] = field(default_factory=list)
    closed: list[_Bound] = field(default_factory=list)

    def row(self) -> dict[str, Any]:
        first = self.opened[0] if self.opened else None
        last = self.closed[0] if self.closed else None
        key = f"{self.state}|{self.subject_id}|{self.object_id}|{first.date if first else ''}|" \
              f"{last.date if last else ''}"
        row: dict[str, Any] = {
            "id": hashlib.sha1(key.encode("utf-8")).hexdigest()[:20], "state": self.state,
            "subjectId": self.subject_id, "objectId": self.object_id,
            "validFrom": first.start if first else None, "validFromDate": first.date if first else None,
            "validFromPrecision": date_precision(first.date) if first else None,
            "validTo": last.end if last else None, "validToDate": last.date if last else None,
            "validToPrecision": date_precision(last.date) if last else None,
            "fromCandidates": _distinct(b.date for b in self.opened),
            "toCandidates": _distinct(b.date for b in self.closed),
            "openedBy": _distinct(b.fact_id for b in self.opened),
            "closedBy": _distinct(b.fact_id for b in self.closed),
            "openEvidence": sorted({e for b in self.opened for e in b.evidence_ids}),
            "closeEvidence": sorted({e for b in self.closed for e in b.evidence_ids}),
            "role": next((b.role for b in self.opened if b.role), None),
        }
        # an empty list is stored as no property (as a CSV import would give it back)
        return {k: (None if v == [] else v) for k, v in row.items()}


def _distinct(values: Iterable[str]) -> list[str]:
    """In first-seen order: one date stated by two articles is one candidate, still backed by both evidence."""
    return list(dict.fromkeys(values))


def _bounds(events: list[EventRow]) -> dict[tuple[str, str, str], list[_Bound]]:
    """(state, subject, object) -> its bounds, from each event's effects (the rule table)."""
    bounds: dict[tuple[str, str, str], list[_Bound]] = defaultdict(list)
    for e in events:
        if e.stated:
            bounds[(e.predicate, e.subject_id, e.object_id)].extend(_stated_bounds(e))
        date = e.date
        span = date_bounds(date)
        if date is None or span is None or date in {d for s in e.stated for d in (s.stated_from, s.stated_to)}:
            continue  # undated, or a state's date that its evidence states as a bound (read once, above)
        for state, forward, kind in _EVENT_EFFECTS.get(e.predicate, []):
            s, o = (e.subject_id, e.object_id) if forward else (e.object_id, e.subject_id)
            bounds[(state, s, o)].append(_Bound(kind, date, span[0], span[1], e.fact_id, e.evidence_ids, e.role))
    _add_sale_closes(bounds, _sales_by_target(events))
    return bounds


@dataclass(frozen=True)
class _Sale:
    """A dated ACQUIRED of a target: it ends every other owner's open period."""
    start: dt.date
    end: dt.date
    date: str
    event: EventRow


def _sales_by_target(events: list[EventRow]) -> dict[str, tuple[list[dt.date], list[_Sale]]]:
    """Target -> (the start day of each sale, its sales), in walk order (start, end, fact id)."""
    sales: dict[str, list[_Sale]] = defaultdict(list)
    for e in events:
        span = date_bounds(e.date)
        if e.predicate == "ACQUIRED" and e.date is not None and span is not None:
            sales[e.object_id].append(_Sale(span[0], span[1], e.date, e))
    ordered = {t: sorted(found, key=lambda x: (x.start, x.end, x.event.fact_id)) for t, found in sales.items()}
    return {t: ([x.start for x in found], found) for t, found in ordered.items()}


def _add_sale_closes(bounds: dict[tuple[str, str, str], list[_Bound]],
                     sales: dict[str, tuple[list[dt.date], list[_Sale]]]) -> None:
    """ACQUIRED(a, t, d) closes OWNS(x, t) and SUBSIDIARY_OF(t, x) of every other owner x at d, when open. Only the
    first sale to another buyer on or after each of x's opens can end a period (a later one finds it ended, or, after
    a new open, is that open's own first sale), so only those are added: the work grows with the opens, not with
    owners times sales (a target bought 6,783 times in the 1M-fact benchmark graph made that 46 million bounds)."""
    for (state, s, o), found in bounds.items():
        if state not in ("OWNS", "SUBSIDIARY_OF"):
            continue
        owner, target = (s, o) if state == "OWNS" else (o, s)
        if target not in sales:
            continue
        starts, target_sales = sales[target]
        closers: dict[str, _Sale] = {}
        for b in [b for b in found if b.kind == "open"]:
            i = bisect_left(starts, b.start)
            while i < len(target_sales) and target_sales[i].event.subject_id == owner:
                i += 1
            if i < len(target_sales):
                closers.setdefault(target_sales[i].event.fact_id, target_sales[i])
        found.extend(_Bound("close", x.date, x.start, x.end, x.event.fact_id, x.event.evidence_ids,
                            only_if_open=True) for x in closers.values())


def _stated_bounds(e: EventRow) -> list[_Bound]:
    """The bounds a state fact's evidence states: an open at each `statedFrom`, a close at each `statedTo`."""
    found = []
    for stated in e.stated:
        for kind, date in (("open", stated.stated_from), ("close", stated.stated_to)):
            span = date_bounds(date)
            if date is not None and span is not None:  # (validation refuses a stated date that is not real)
                found.append(_Bound(cast(BoundKind, kind), date, span[0], span[1], e.fact_id, (stated.evidence_id,),
                                    stated.role or e.role))
    return found


def _walk(state: str, s: str, o: str, bounds: list[_Bound]) -> list[Interval]:
    periods: list[Interval] = []
    current: Interval | None = None
    for b in sorted(bounds, key=lambda b: (b.start, b.kind != "open", b.end, b.fact_id)):
        if b.kind == "open":
            if current is None:
                current = Interval(state, s, o)
                periods.append(current)
            current.opened.append(b)  # a second open of an open period: a conflicting start, kept
        elif current is not None:
            current.closed.append(b)
            current = None
        elif b.only_if_open:
            continue
        elif periods and periods[-1].closed:
            periods[-1].closed.append(b)  # a second end of a closed period: a conflicting end, kept
        else:
            periods.append(Interval(state, s, o, closed=[b]))  # ended, start unknown
    return periods


def derive_intervals(events: list[EventRow]) -> list[Interval]:
    """Every period of every state the events bound (see the module's rule table)."""
    return [period for (state, s, o), bounds in sorted(_bounds(events).items(), key=lambda kv: kv[0])
            for period in _walk(state, s, o, bounds)]


def interval_scope(predicate: str, subject_id: str, object_id: str) -> str | None:
    """The entity whose intervals a fact of this predicate can change: the person for employment, the owned
    company for ownership; None for a predicate no interval depends on."""
    if predicate in ("JOINED", "LEFT", "HIRED_FROM", "WORKS_FOR", "SUBSIDIARY_OF"):
        return subject_id
    if predicate in ("ACQUIRED", "OWNS"):
        return object_id
    return None


def check_stated_span(predicate: str, stated_from: str | None, stated_to: str | None) -> None:
    """A stated period belongs to a state (an event has a date, not a period) and does not end before it starts;
    each bound is checked as a date by kg.validation. Raises OntologyViolation."""
    if stated_from is None and stated_to is None:
        return
    if predicate not in STATE_PREDICATES:
        raise OntologyViolation(f"{predicate} is an event: give it a date, not a stated period "
                                f"(stated_from/stated_to are for {', '.join(sorted(STATE_PREDICATES))}).")
    start, end = date_bounds(stated_from), date_bounds(stated_to)
    if start is not None and end is not None and start[0] > end[1]:
        raise OntologyViolation(f"{predicate} stated period {stated_from} .. {stated_to} ends before it starts.")
