"""One event, one fact, inside an article: an undated report of an event ("Nvidia and Oracle sign a deal", a
headline) joins the article's one dated fact of the same pair and predicate ("Nvidia partnered with Oracle in March
2017"), as the graph's writer folds them across articles (kg.store.time_writes).

Why here as well: the writer folds against what is already stored, so whether an undated report joins a dated
fact depends on which articles were written before it (with two dated facts of the pair stored it stays apart).
Folding inside the article first means an article never hands the writer an undated report of an event it also
dates, and the graph no longer depends on the order of such articles (tests/test_faults.py)."""

from __future__ import annotations

from collections import defaultdict

from kg.model import STATE_PREDICATES, Fact, fact_id_for


def fold_undated_reports(facts: list[Fact]) -> list[Fact]:
    """The facts with each undated event fact merged into the one dated fact of its pair (ends, predicate) when the
    article has exactly one; with none or several (a leave and a rejoin) it stays apart. Order is kept."""
    by_pair: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        if fact.predicate not in STATE_PREDICATES:
            by_pair[fact_id_for(fact.subject.id, fact.predicate, fact.object.id)].append(fact)
    folded: set[int] = set()
    for same_pair in by_pair.values():
        dated = [f for f in same_pair if f.qualifiers.date]
        if len(dated) != 1:
            continue
        for undated in (f for f in same_pair if not f.qualifiers.date):
            _join(dated[0], undated)
            folded.add(id(undated))
    return [f for f in facts if id(f) not in folded]


def _join(into: Fact, other: Fact) -> None:
    """`other`'s evidence joins `into`; a qualifier `into` lacks is taken from `other` (never the date)."""
    for ev in other.evidence:
        if all(ev.id != e.id for e in into.evidence):
            into.evidence.append(ev)
    for name, value in other.qualifiers.as_dict().items():
        if name != "date" and value is not None and getattr(into.qualifiers, name, None) is None:
            setattr(into.qualifiers, name, value)
