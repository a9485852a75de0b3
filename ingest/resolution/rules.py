"""The rules that say two names of one type may be one entity, each with a score in [0, 1].

A rule looks at two `NameForms` (and whether the article's context agrees with the candidate's, see
`ingest.resolution.resolver`); the resolver keeps the best-scoring rule over every pair of names and merges only at
or above its threshold. Scores are fixed per rule, ordered by how often the rule is wrong: a wrong merge costs more
than a missed one, so the rules that need context (a bare surname, a two-letter acronym) score below the threshold
without it. String similarity is rapidfuzz's (Levenshtein distance, normalised ratio).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from ingest.resolution.names import LINK_WORDS, NameForms

RuleName = Literal["kb-alias", "wikidata", "name-variant", "acronym", "translation", "descriptor", "fuzzy",
                   "person-surname"]

SCORE_CURATED = 1.0  # the knowledge base or a shared Wikidata id says so
SCORE_NAME_VARIANT = 0.98  # same words once suffixes, articles, punctuation and spaces are set aside
SCORE_TRANSLATION = 0.95  # same words once French generic words are put in English
SCORE_ACRONYM = 0.93  # an acronym of 3+ letters that spells the other name's initials
SCORE_SHORT_ACRONYM = 0.85  # two letters spell too many names: only with context
SCORE_DESCRIPTOR = 0.88  # the other name adds only a generic word ("Labour" / "Labour Party"); a place's name
# ("Texas" / "University of Texas") fits this too, so it merges only where the context agrees
SCORE_SURNAME_IN_CONTEXT = 0.95  # a bare surname whose candidate shares a fact neighbour with the article
SCORE_SURNAME_ALONE = 0.6  # a bare surname without such context: never merged at the chosen threshold
CONTEXT_BONUS = 0.05  # a shared neighbour raises a rule that does not require it (capped below SCORE_CURATED)
FUZZY_MIN_LENGTH = 8  # shorter names are too close to each other for an edit to be a typo
FUZZY_CHARS_PER_EDIT = 12  # one edit allowed per this many characters of the compact name

# Words that name what an organisation is rather than which one it is: "Hyundai" and "Hyundai Motor Company",
# "Brookings" and "Brookings Institution", "Automobili Lamborghini" and "Lamborghini". Words that make a different
# organisation (a country, "Capital", "Research", "Investments": a subsidiary or a fund) are not here.
DESCRIPTOR_WORDS = frozenset({
    "party", "university", "universite", "institution", "motor", "motors", "cars", "automobiles", "automobili",
    "technologies", "technology", "magazine", "management", "airlines", "air", "lines", "newspaper",
    "communications",
})


@dataclass(frozen=True)
class RuleMatch:
    rule: RuleName
    score: float
    names: tuple[str, str]  # (the article's name, the candidate's name) the rule compared


def _name_variant(a: NameForms, b: NameForms) -> float | None:
    return SCORE_NAME_VARIANT if a.compact and a.compact == b.compact else None


def _person_name_variant(a: NameForms, b: NameForms) -> float | None:
    """A bare surname ("Smith") is never a name variant, even of a candidate's alias "Smith": it needs context."""
    return _name_variant(a, b) if len(a.words) >= 2 else None


def _translation(a: NameForms, b: NameForms) -> float | None:
    same = len(a.english_words) >= 2 and a.english_words == b.english_words and a.words != b.words
    return SCORE_TRANSLATION if same else None


def _acronym(a: NameForms, b: NameForms) -> float | None:
    short, long = (a, b) if a.is_acronym else (b, a) if b.is_acronym else (None, None)
    if short is None or long is None or len(long.words) < 2 or short.compact not in long.initials:
        return None
    if long.has_acronym_word:  # "In-Stat/MDR" is not spelt "ISM": its initials mean nothing
        return None
    return SCORE_ACRONYM if len(short.compact) >= 3 else SCORE_SHORT_ACRONYM


def _descriptor(a: NameForms, b: NameForms) -> float | None:
    short, long = (a, b) if len(a.words) < len(b.words) else (b, a)
    if not short.words or len(short.compact) < 3:
        return None
    extra = list(long.words)
    for word in short.words:
        if word not in extra:
            return None
        extra.remove(word)
    generic = all(w in DESCRIPTOR_WORDS or w in LINK_WORDS for w in extra)
    return SCORE_DESCRIPTOR if extra and generic and any(w in DESCRIPTOR_WORDS for w in extra) else None


def _fuzzy(a: NameForms, b: NameForms) -> float | None:
    """One or two typed or transliterated letters apart ("Yuganskneftegas"/"Yuganskneftegaz"), the same numbers."""
    if a.compact == b.compact or a.digits != b.digits or min(len(a.compact), len(b.compact)) < FUZZY_MIN_LENGTH:
        return None
    allowed = max(1, len(a.compact) // FUZZY_CHARS_PER_EDIT)
    if Levenshtein.distance(a.compact, b.compact, score_cutoff=allowed) > allowed:
        return None
    return float(fuzz.ratio(a.compact, b.compact)) / 100


def _person_surname(a: NameForms, b: NameForms) -> float | None:
    """`a` is a bare surname or an initial and a surname ("Musk", "E. Musk"), `b` a full name ending in it."""
    if len(b.words) < 2 or not a.words or a.last_word != b.last_word or len(a.last_word) < 3:
        return None
    given = a.words[:-1]
    if len(given) > 1 or (given and (len(given[0]) != 1 or given[0] != b.words[0][0])):
        return None
    return SCORE_SURNAME_ALONE


ORGANIZATION_RULES: tuple[tuple[RuleName, Callable[[NameForms, NameForms], float | None]], ...] = (
    ("name-variant", _name_variant), ("translation", _translation), ("acronym", _acronym),
    ("descriptor", _descriptor), ("fuzzy", _fuzzy))
OTHER_RULES: tuple[tuple[RuleName, Callable[[NameForms, NameForms], float | None]], ...] = (
    ("name-variant", _name_variant), ("translation", _translation), ("fuzzy", _fuzzy))
PERSON_RULES: tuple[tuple[RuleName, Callable[[NameForms, NameForms], float | None]], ...] = (
    ("name-variant", _person_name_variant), ("fuzzy", _fuzzy), ("person-surname", _person_surname))


def rules_for(type_name: str) -> tuple[tuple[RuleName, Callable[[NameForms, NameForms], float | None]], ...]:
    return {"Organization": ORGANIZATION_RULES, "Person": PERSON_RULES}.get(type_name, OTHER_RULES)


def with_context(rule: RuleName, score: float, context_agrees: bool) -> float:
    """A rule's score once the context is known: a bare surname needs it; other rules gain a little from it."""
    if rule == "person-surname":
        return SCORE_SURNAME_IN_CONTEXT if context_agrees else score
    if context_agrees and score < SCORE_CURATED:
        return min(score + CONTEXT_BONUS, SCORE_CURATED - 0.01)
    return score


def best_rule(type_name: str, sources: list[NameForms], targets: list[NameForms],
              context_agrees: bool) -> RuleMatch | None:
    """The best-scoring rule over every pair of (article name, candidate name), None when no rule applies."""
    best: RuleMatch | None = None
    for a in sources:
        for b in targets:
            for rule, test in rules_for(type_name):
                raw = test(a, b)
                if raw is None:
                    continue
                score = with_context(rule, raw, context_agrees)
                if best is None or score > best.score:
                    best = RuleMatch(rule, score, (a.surface, b.surface))
    return best
