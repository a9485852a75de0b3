"""Qualifiers read from a sentence: money amounts, quantities, date expressions and modality.

Everything here runs only on sentences that already hold a fact, never on every token of a document."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from spacy.tokens import Span, Token

try:  # the PyPI distribution text2num installs the module text_to_num
    from text_to_num import alpha2digit
except ImportError:  # pragma: no cover - declared in pyproject, present in every environment
    alpha2digit = None


YEAR_PREPOSITIONS = ("in", "en", "since", "depuis", "of", "de", "from", "until", "dès", "by")
MID_YEAR = re.compile(r"(?:mid|mi)-((?:19|20)\d\d)")


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str
    start: int  # character offsets in the (number-normalised) sentence text
    approximate: bool = False
    converted: bool = False  # "(£2.1bn)" after "$4bn": the same amount in another currency


@dataclass(frozen=True)
class DateExpr:
    """A date as the text gives it; resolved against the publication date later."""

    token: int  # doc index of the token the expression is anchored on (for distance to the trigger)
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    relative_days: int | None = None
    relative_months: int | None = None
    relative_years: int | None = None

    def resolve(self, published: str | None, future: bool = False) -> str | None:
        pub = _parse_published(published)
        if self.year is not None:
            if self.month is None:
                return f"{self.year:04d}"
            return _calendar_date(self.year, self.month, self.day)
        if pub is None:
            return None
        if self.month is not None:
            year = pub.year
            if not future and (self.month - pub.month) > 1:
                year -= 1  # "in December" in an article from June speaks of last December
            if future and self.month < pub.month:
                year += 1
            return _calendar_date(year, self.month, self.day)
        try:  # a publication date at the very edge of the calendar (0001-01-01, 9999-12-31) has no neighbour
            if self.weekday is not None:  # news speaks of the last such day ("a annoncé samedi")
                delta = (pub.weekday() - self.weekday) % 7
                return (pub - dt.timedelta(days=delta)).isoformat()
            if self.relative_days is not None:
                return (pub + dt.timedelta(days=self.relative_days)).isoformat()
        except OverflowError:
            return None
        if self.relative_months is not None:
            month = pub.month - 1 + self.relative_months
            return _calendar_date(pub.year + month // 12, month % 12 + 1, None)
        if self.relative_years is not None:
            return _calendar_date(pub.year + self.relative_years, None, None)
        return None


def _calendar_date(year: int, month: int | None, day: int | None) -> str | None:
    """An ISO prefix that is a real calendar date: "31 February" keeps its month only; a year outside 1-9999
    (from a far-off publication date) gives no date. The ontology refuses a fact whose date is not real."""
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if day is not None:
        try:
            return dt.date(year, month, day).isoformat()
        except ValueError:
            pass
    return f"{year:04d}-{month:02d}"


def _parse_published(published: str | None) -> dt.date | None:
    if not published:
        return None
    try:
        return dt.date.fromisoformat(published[:10])
    except ValueError:
        return None


class QualifierReader:
    """Reads amounts, quantities, dates and modality with one language's lexicon."""

    def __init__(self, lexicon: dict[str, Any]) -> None:
        self.lang = lexicon["language"]
        numbers = lexicon["numbers"]
        self.scales = numbers["scales"]
        self.currencies = numbers["currencies"]
        self.approx = sorted(numbers["approximate"], key=len, reverse=True)
        dates = lexicon["dates"]
        self.months = dates["months"]
        self.weekdays = dates["weekdays"]
        self.rel_days = dates["relative_days"]
        self.rel_months = dates["relative_months"]
        self.rel_years = dates["relative_years"]
        # words after which a bare year is the event's year: "in summer 2019", "fin 2018", "à l'été 2019", "Q3 2019"
        self.year_prefixes = frozenset(YEAR_PREPOSITIONS) | frozenset(dates["year_prefixes"])
        mod = lexicon["modality"]
        self.negations = set(mod["negations"])
        self.reported_words = set(mod["reported_words"])
        self.reported_phrases = mod["reported_phrases"]
        self.reported_by_cues = mod["reported_by_cues"]
        self.future_aux = set(mod["future_aux"])
        self.planned_heads = set(mod["planned_heads"])
        self.announced_heads = set(mod["announced_heads"])
        self.hypothetical_heads = set(mod["hypothetical_heads"])
        self.hypothetical_aux = set(mod["hypothetical_aux"])
        self.hypothetical_marks = set(mod["hypothetical_marks"])
        self.hypothetical_words = set(mod["hypothetical_words"])
        self.denial_heads = set(mod["denial_heads"])
        self._money_re = self._build_money_re()
        scale_words = "|".join(sorted((re.escape(w) for w in self.scales if len(w) > 2), key=len, reverse=True))
        self._digit_scale = re.compile(rf"(?i)(\d\s*)({scale_words})\b")

    # -- numbers and money -----------------------------------------------------------------------------
    def _build_money_re(self) -> re.Pattern[str]:
        if self.lang == "fr":
            num = r"\d{1,3}(?:[ \u00a0\u202f.]\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
        else:
            num = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
        scales = "|".join(sorted((re.escape(s) for s in self.scales), key=len, reverse=True))
        words = "|".join(
            sorted((re.escape(c) for c in self.currencies if c.isalpha() or " " in c), key=len, reverse=True)
        )
        symbols = "|".join(sorted((re.escape(c) for c in self.currencies if not (c.isalpha() or " " in c)),
                                  key=len, reverse=True))
        prefix = rf"(?P<sym>{symbols})\s?(?P<n1>{num})\s?(?:(?P<sc1>{scales})\b)?"
        suffix = rf"(?P<n2>{num})\s?(?:(?P<sc2>{scales})\s?)?(?:(?:de |d')\s?)?(?P<cur>{words}|{symbols})(?![a-z])"
        return re.compile(rf"(?i)(?:{prefix}|{suffix})")

    def _number(self, text: str) -> float | None:
        text = text.replace("\u00a0", "").replace("\u202f", "")
        if self.lang == "fr":
            text = text.replace(" ", "").replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
        try:
            return float(text)
        except ValueError:
            return None

    def normalise_numbers(self, text: str) -> str:
        """Number words to digits ("deux milliards" → "2000000000"), leaving "1,5 milliard" to the scale rule."""
        if alpha2digit is None:
            return text
        kept: list[str] = []

        def mask(m: re.Match[str]) -> str:
            kept.append(m.group(2))
            return f"{m.group(1)}\x00{len(kept) - 1}\x00"

        masked = self._digit_scale.sub(mask, text)
        try:
            converted = alpha2digit(masked, self.lang)
        except Exception:  # noqa: BLE001 - a converter hiccup must not lose the fact
            return text
        return re.sub("\x00(\\d+)\x00", lambda m: kept[int(m.group(1))], converted)

    def money(self, text: str) -> list[Money]:
        found = []
        for m in self._money_re.finditer(text):
            if m.group("sym") is not None:
                cur_key, n, scale = m.group("sym"), m.group("n1"), m.group("sc1")
            else:
                cur_key, n, scale = m.group("cur"), m.group("n2"), m.group("sc2")
            value = self._number(n)
            currency = self.currencies.get(cur_key.lower()) or self.currencies.get(cur_key)
            if value is None or currency is None:
                continue
            if scale:
                value *= self.scales.get(scale.lower(), 1)
            before = text[max(0, m.start() - 14):m.start()].lower()
            found.append(Money(value, currency, m.start(), any(before.rstrip().endswith(a) for a in self.approx),
                               converted=before.rstrip().endswith(("(", ";"))))
        return found

    def quantity_before(self, sent: Span, token_index: int) -> tuple[float | None, bool]:
        """A cardinal number within the three tokens before `token_index` ("près de 10 000 unités")."""
        doc = sent.doc
        i = token_index - 1
        lo = max(sent.start, token_index - 4)
        while i >= lo:
            tok = doc[i]
            if tok.like_num:
                j = i
                while j - 1 >= sent.start and doc[j - 1].like_num:
                    j -= 1
                text = self.normalise_numbers(doc[j:i + 1].text)
                value = self._number(text.replace(" ", "") if self.lang == "en" else text)
                if value is None:
                    return None, False
                before = doc[max(sent.start, j - 3):j].text.lower()
                return value, any(before.endswith(a) for a in self.approx)
            i -= 1
        return None, False

    # -- dates -----------------------------------------------------------------------------------------
    def dates(self, sent: Span) -> list[DateExpr]:
        found: list[DateExpr] = []
        doc = sent.doc
        lowered = sent.text.lower()
        for i in range(sent.start, sent.end):
            tok = doc[i]
            low = tok.lower_
            if low in self.months and (tok.is_title or self.lang == "fr"):
                if low == "may" and self.lang == "en" and not (
                        (i + 1 < sent.end and doc[i + 1].like_num) or (i > sent.start and doc[i - 1].like_num)
                        or (i > sent.start and doc[i - 1].lower_ in ("in", "since", "early", "late", "mid"))):
                    continue
                if self.lang == "fr" and low == "mars" and i > sent.start and doc[i - 1].lower_ == "planète":
                    continue
                day = year = None
                if i > sent.start and doc[i - 1].text.isdecimal() and 1 <= int(doc[i - 1].text) <= 31:  # not '²'
                    day = int(doc[i - 1].text)
                elif i > sent.start and doc[i - 1].lower_ in ("1er", "1st"):
                    day = 1
                elif (
                    i + 1 < sent.end and re.fullmatch(r"\d{1,2}(st|nd|rd|th)?", doc[i + 1].lower_) and self.lang == "en"
                ):
                    day = int(re.match(r"\d+", doc[i + 1].text).group())
                for j in range(i + 1, min(sent.end, i + 4)):
                    if re.fullmatch(r"(19|20)\d\d", doc[j].text):
                        year = int(doc[j].text)
                        break
                    if doc[j].is_alpha:
                        break
                found.append(DateExpr(i, year=year, month=self.months[low], day=day))
            elif re.fullmatch(r"(18|19|20)\d\d", tok.text) and i > sent.start and \
                    doc[i - 1].lower_ in self.year_prefixes:
                if i > sent.start + 1 and doc[i - 2].lower_ in self.months:
                    continue
                found.append(DateExpr(i, year=int(tok.text)))
            elif (part_year := MID_YEAR.fullmatch(low)) is not None:  # "mid-2019", "mi-2019"
                found.append(DateExpr(i, year=int(part_year.group(1))))
            elif low in self.weekdays:
                found.append(DateExpr(i, weekday=self.weekdays[low]))
            elif low in self.rel_days:
                found.append(DateExpr(i, relative_days=self.rel_days[low]))
        for phrase, delta in self.rel_months.items():
            pos = lowered.find(phrase)
            if pos >= 0:
                found.append(DateExpr(_token_at(sent, pos), relative_months=delta))
        for phrase, delta in self.rel_years.items():
            pos = lowered.find(phrase)
            if pos >= 0:
                found.append(DateExpr(_token_at(sent, pos), relative_years=delta))
        return found

    # -- modality --------------------------------------------------------------------------------------
    def chain(self, trigger: Token) -> list[Token]:
        """The trigger and the words that govern its mood: for a noun, up to its verb; then through
        infinitive complements ("plans to buy", "prévoit de porter plainte") and reporting verbs."""
        out = [trigger]
        tok = trigger
        if trigger.pos_ in ("NOUN", "PROPN"):
            while tok.pos_ not in ("VERB", "AUX") and tok.head is not tok and len(out) < 4:
                tok = tok.head
                out.append(tok)
        heads = (
            self.planned_heads
            | self.hypothetical_heads
            | self.announced_heads
            | self.denial_heads
            | self.hypothetical_aux
        )
        while tok.dep_ in ("xcomp", "ccomp", "advcl") and tok.head is not tok and len(out) < 7:
            if tok.dep_ in ("ccomp", "advcl") and tok.head.lemma_ not in heads:
                break
            tok = tok.head
            out.append(tok)
        return out

    def modality(self, sent: Span, trigger: Token, deal: bool) -> tuple[str | None, str | None]:
        """(modality, status); modality None means the event is negated, hypothetical or asked: no fact
        ("Will Acme buy Beta?", "Jean Dupont bientôt évincé d'Acme ?")."""
        if sent.text.rstrip().endswith("?"):
            return None, None
        chain = self.chain(trigger)
        denied = any(t.lemma_ in self.denial_heads for t in chain[1:])
        for t in chain:
            kids = list(t.children)
            if any(k.lower_ in self.negations and k.dep_ in ("neg", "advmod", "det") for k in kids):
                if denied:
                    return "denied", None
                return None, None
            if any(k.lower_ in self.hypothetical_marks and k.dep_ in ("mark",) for k in kids):
                return None, None
            if any(k.lemma_ in self.hypothetical_aux and k.dep_.startswith("aux") for k in kids):
                return None, None
            if t is not trigger and t.lemma_ in self.hypothetical_heads:
                return None, None
            if t is not trigger and t.lemma_ in self.hypothetical_aux:
                return None, None
        left = sent.doc[max(sent.start, trigger.i - 8):trigger.i]
        if any(t.lower_ in self.hypothetical_words for t in left):
            return None, None
        status = None
        modality = "asserted"
        heads = [t.lemma_ for t in chain[1:]]
        aux = [k for t in chain for k in t.children if k.dep_.startswith("aux")]
        future = (any(a.lower_ in self.future_aux for a in aux)
                  or any("Fut" in t.morph.get("Tense") for t in chain[:2])
                  or any(h in self.planned_heads for h in heads)
                  or (self.lang == "en" and any(a.lemma_ == "be" for a in aux) and trigger.tag_ == "VB"))
        if not future and "Inf" in trigger.morph.get("VerbForm") or trigger.tag_ == "VB":
            # "va quitter Canal+ … pour rejoindre Banijay": a purpose infinitive shares the main verb's future
            if any(c.dep_ == "mark" and c.lower_ in ("pour", "to", "afin") for c in trigger.children) or (
                    trigger.i > 0 and trigger.doc[trigger.i - 1].lower_ in ("pour", "to")):
                before = trigger.doc[max(trigger.sent.start, trigger.i - 25):trigger.i]
                future = any(t.lemma_ in self.planned_heads and t.pos_ in ("VERB", "AUX") or t.lower_ in self.future_aux
                             for t in before)
        conditional = any("Cnd" in t.morph.get("Mood") for t in [*chain[:2], *aux])
        text = sent.text.lower()
        if conditional or any(t.lower_ in self.reported_words for t in sent) or any(
                p in text for p in self.reported_phrases):
            modality = "reported"
        if denied:
            modality = "denied"
        if deal:
            if any(h in self.announced_heads for h in heads) or (
                    self.lang == "en" and trigger.tag_ == "VBG" and any(a.lemma_ == "be" for a in aux)):
                status = "announced"
            elif future:
                status = "planned" if any(h in self.planned_heads for h in heads) else "announced"
            else:
                status = "completed"
        elif future and modality == "asserted":
            modality = "planned"
        return modality, status


def _token_at(sent: Span, char_offset: int) -> int:
    target = sent.start_char + char_offset
    for tok in sent:
        if tok.idx >= target:
            return tok.i
    return sent.end - 1


@cache
def reader_for(lang: str) -> QualifierReader:
    from ingest.extraction.resources import lexicon

    return QualifierReader(lexicon(lang))
