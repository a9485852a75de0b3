"""Explicit periods the text gives a state: "from 2015 to 2019", "between 2015 and 2019", "since 2018", "until 2020",
"(2015-2019)", "de 2015 à 2019", "entre 2015 et 2019", "depuis 2018", "jusqu'en 2020".

They become the evidence qualifiers `stated_from` / `stated_to` of a state fact (WORKS_FOR, OWNS, SUBSIDIARY_OF);
kg.intervals turns them into interval bounds beside the ones dated events give. Rules, not a model:

- a span names a year, a month and year, or a day, month and year ("from March 2015", "du 1er mars 2015"); a date
  with no year is not a span (it would have to be guessed from the publication date);
- a span belongs to a fact when it follows the fact's last mention closely (at most `MAX_GAP` tokens, no comma,
  clause or other name in between: "CEO of Acme since 2018"), lies between its mentions with no clause break
  before the later one ("was from 2015 to 2019 CEO of Acme"), or opens the sentence just before the fact ("Since
  2018, X has been ..."); the nearest such span wins;
- a start after the end ("from 2019 to 2015") is no span;
- a date inside a span is the state's bound, never an event's date: "who was CEO of A until 2020, joined B" does not
  date the joining 2020 (`in_stated_span`, used by the assembly's dating of events);
- "former" (a past role, `FORMER_ROLE`) with a span that has an end is a state held over that span: "X, former CEO
  of Acme (2015-2019)" gives WORKS_FOR(X, Acme) stated from 2015 to 2019. Without an end, "former" dates nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from spacy.tokens import Span

from ingest.extraction.candidates import FORMER_ROLE, Candidate
from ingest.extraction.resources import lexicon
from kg.model import STATE_PREDICATES, date_bounds

MAX_GAP = 5  # tokens between a fact's last mention and a span that follows it ("at Acme as head of sales since")
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–"})
_APOSTROPHE = "['\u2019]"


@dataclass(frozen=True)
class SpanMarkers:
    """One language's words around a span, as regular-expression alternatives."""

    range_open: str  # before the start of a closed range: "from", "between"
    range_close: str  # between its start and end: "to", "and"
    since: str  # before a start alone
    until: str  # before an end alone
    present: str  # an end that is now: "(2015-present)"
    day: str  # a day number before a month


MARKERS = {
    "en": SpanMarkers(range_open=r"from|between", range_close=r"to|until|till|through|and|-|–",
                      since=r"since|from", until=r"until|till|through|up to",
                      present=r"present|today|now", day=r"\d{1,2}(?:st|nd|rd|th)?"),
    "fr": SpanMarkers(range_open=rf"de|d{_APOSTROPHE}|du|entre",
                      range_close=rf"à|au|jusqu{_APOSTROPHE}(?:en|à|au)|et|-|–",
                      since=r"depuis(?: le)?|dès(?: le)?|à partir de|à compter de",
                      until=rf"jusqu{_APOSTROPHE}\s?(?:en|à|au)", present=r"aujourd['\u2019]hui|nos jours",
                      day=r"1er|\d{1,2}"),
}


@dataclass(frozen=True)
class StatedSpan:
    """A period as the text states it: ISO 8601 prefixes (either may be missing) and the tokens it covers."""

    start: str | None
    end: str | None
    first_token: int  # doc token offsets of the expression, end exclusive
    end_token: int


@cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(closed range, parenthesised range, since, until) for one language."""
    m = MARKERS[lang]
    months = "|".join(sorted(map(re.escape, lexicon(lang)["dates"]["months"]), key=len, reverse=True))

    def date(name: str) -> str:
        return (rf"(?:(?P<{name}d>{m.day})\s+)?(?:(?P<{name}m>{months})\.?\s+)?(?:de\s+|of\s+)?"
                rf"(?P<{name}y>(?:18|19|20)\d\d)\b")

    flags = re.IGNORECASE
    closed = re.compile(rf"\b(?:{m.range_open})\s*{date('a')}\s*(?:{m.range_close})\s*{date('b')}", flags)
    paren = re.compile(rf"\(\s*{date('a')}\s*[-–—]\s*(?:{date('b')}|(?:{m.present}))?\s*\)", flags)
    since = re.compile(rf"\b(?:{m.since})\s+{date('a')}", flags)
    until = re.compile(rf"\b(?:{m.until})\s*{date('b')}", flags)
    return closed, paren, since, until


def _iso(match: re.Match[str], name: str, lang: str) -> str | None:
    """The ISO prefix of the date captured under `name` (a, b), None when that side is absent."""
    year = match.groupdict().get(f"{name}y")
    if year is None:
        return None
    month_word, day_word = match.group(f"{name}m"), match.group(f"{name}d")
    if month_word is None:
        return year
    month = lexicon(lang)["dates"]["months"][month_word.lower()]
    if day_word is None:
        return f"{year}-{month:02d}"
    day = int(re.match(r"\d+", day_word).group()) if day_word[0].isdigit() else 1  # type: ignore[union-attr]
    iso = f"{year}-{month:02d}-{day:02d}"
    return iso if date_bounds(iso) is not None else f"{year}-{month:02d}"


def _ordered(start: str | None, end: str | None) -> bool:
    start_days, end_days = date_bounds(start), date_bounds(end)
    return start_days is None or end_days is None or start_days[0] <= end_days[1]


def find_spans(sent: Span, lang: str) -> list[StatedSpan]:
    """Every explicit period of the sentence, in text order; a longer expression hides the shorter ones in it."""
    if lang not in MARKERS:
        return []
    text = sent.text
    taken: list[tuple[int, int]] = []
    found: list[StatedSpan] = []
    for pattern in _patterns(lang):
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))  # even a backwards range: its "from 2019" is no start
            start, end = _iso(match, "a", lang), _iso(match, "b", lang)
            tokens = sent.char_span(match.start(), match.end(), alignment_mode="expand")
            if tokens is not None and _ordered(start, end):
                found.append(StatedSpan(start, end, tokens.start, tokens.end))
    return sorted(found, key=lambda s: s.first_token)


def in_stated_span(sent: Span, lang: str, token: int) -> bool:
    """Whether doc token `token` lies inside an explicit period of the sentence ("until 2020", "(2015-2019)")."""
    return any(span.first_token <= token < span.end_token for span in find_spans(sent, lang))


def _clear(sent: Span, start: int, end: int) -> bool:
    """No clause break, verb or other name between these tokens."""
    return not any(t.text in _CLAUSE_BREAKS or t.pos_ in ("PROPN", "VERB") for t in sent.doc[start:end])


def _attached(span: StatedSpan, sent: Span, first: int, last: int) -> int | None:
    """How far the span is from a fact whose mentions cover tokens [first, last); None when it is not the fact's."""
    if span.first_token >= last:
        gap = span.first_token - last
        return gap if gap <= MAX_GAP and _clear(sent, last, span.first_token) else None
    if span.first_token >= first and span.end_token <= last:  # a clause break before the later mention: not its
        return 0 if not any(t.text in _CLAUSE_BREAKS for t in sent.doc[span.end_token:last]) else None
    if span.end_token <= first and span.first_token == sent.start:
        between = sent.doc[span.end_token:first]
        return MAX_GAP + 1 if all(t.is_punct for t in between) and len(between) <= 1 else None
    return None


def stated_span(sent: Span, lang: str, first: int, last: int) -> StatedSpan | None:
    """The explicit period that belongs to a fact whose subject, object and trigger cover tokens [first, last)."""
    attached = [(distance, span) for span in find_spans(sent, lang)
                if (distance := _attached(span, sent, first, last)) is not None]
    return min(attached, key=lambda pair: (pair[0], pair[1].first_token))[1] if attached else None


def _extent(c: Candidate) -> tuple[int, int]:
    ends = [c.subject.start, c.subject.end, c.trigger, c.trigger + 1]
    if c.object is not None:
        ends += [c.object.start, c.object.end]
    return min(ends), max(ends)


def candidate_span(c: Candidate, lang: str) -> tuple[str | None, str | None]:
    """(stated_from, stated_to) of a state fact's candidate; (None, None) for an event or a sentence with none."""
    if c.predicate not in STATE_PREDICATES:
        return None, None
    span = stated_span(c.sent, lang, *_extent(c))
    return (span.start, span.end) if span is not None else (None, None)


def former_role_as_state(c: Candidate, lang: str) -> Candidate | None:
    """A past role with an ended span ("former CEO of Acme (2015-2019)") as the WORKS_FOR it was, else None."""
    if c.predicate != FORMER_ROLE or c.object is None:
        return None
    span = stated_span(c.sent, lang, *_extent(c))
    if span is None or span.end is None:
        return None
    return replace(c, predicate="WORKS_FOR", rule=c.rule + ">works_for.stated-span")
