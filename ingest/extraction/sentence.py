"""A sentence with its mentions indexed by token, and the lookups every rule needs."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from ingest.extraction.mentions import Mention

POSSESSIVE_MARKS = ("'s", "’s", "'", "’")
SEPARATOR_WORDS = (",", "and", "et", "&", "as", "well", "ainsi", "que", "ou", "or")


@dataclass
class SentenceView:
    sent: Span
    mentions: list[Mention]
    doc_mentions: list[Mention]
    by_token: dict[int, Mention] = field(default_factory=dict)
    by_start: dict[int, Mention] = field(default_factory=dict)
    by_end: dict[int, Mention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for m in self.mentions:
            self.by_start[m.start] = m
            self.by_end[m.end] = m
            for i in range(m.start, m.end):
                self.by_token[i] = m

    @property
    def doc(self):
        return self.sent.doc

    def mention_after_possessive(self, end: int) -> int:
        """Token index right after a mention ending at `end`, skipping a possessive mark."""
        if end < self.sent.end and self.doc[end].text in POSSESSIVE_MARKS:
            return end + 1
        return end

    def mention_ending_before(self, index: int) -> Mention | None:
        """The mention that ends at `index`, or right before a possessive mark at `index - 1`."""
        m = self.by_end.get(index)
        if m is None and index - 1 > self.sent.start and self.doc[index - 1].text in POSSESSIVE_MARKS:
            m = self.by_end.get(index - 1)
        return m

    def expand_list(self, first: Mention) -> list[Mention]:
        """`first` and the mentions listed after it ("X, Y and Z", "X et Y")."""
        out = [first]
        cur = first
        while True:
            i = cur.end
            steps = 0
            separated = False
            while i < self.sent.end and steps < 5 and (
                    self.doc[i].lower_ in SEPARATOR_WORDS or (separated and (
                        self.doc[i].pos_ == "DET" or (self.doc[i].pos_ == "NOUN" and self.doc[i].is_lower)))):
                separated = separated or self.doc[i].lower_ in SEPARATOR_WORDS
                i += 1
                steps += 1
            if steps == 0 or not separated:
                break
            nxt = self.by_start.get(i)
            if nxt is None or nxt.type != first.type and not (nxt.type == "Unknown" or first.type == "Unknown"):
                break
            out.append(nxt)
            cur = nxt
        return out

    def expand_list_backwards(self, last: Mention) -> list[Mention]:
        out = [last]
        cur = last
        while True:
            i = cur.start - 1
            steps = 0
            while i > self.sent.start and self.doc[i].lower_ in (",", "and", "et", "&") and steps < 2:
                i -= 1
                steps += 1
            if steps == 0:
                break
            prev = self.by_end.get(i + 1)
            if prev is None or prev.type != last.type:
                break
            out.insert(0, prev)
            cur = prev
        return out

    def recent_subject_org(self, window: int = 3) -> Mention | None:
        """"Le groupe avait signé…": the organisation last seen as a grammatical subject in the previous sentences."""
        doc = self.doc
        starts = []
        i = self.sent.start
        while i > 0 and len(starts) < window:
            prev = doc[i - 1].sent
            starts.append(prev.start)
            i = prev.start
        lo = starts[-1] if starts else self.sent.start
        for m in reversed(self.doc_mentions):
            if m.start >= self.sent.start or m.start < lo:
                continue
            if m.type == "Organization" and any(
                doc[k].dep_ in ("nsubj", "nsubj:pass", "nsubjpass") for k in range(m.start, m.end)
            ):
                return m
        return None

    def last_org_before(self) -> Mention | None:
        """The organisation named last before this sentence (in the previous one)."""
        if self.sent.start == 0:
            return None
        prev = self.doc[self.sent.start - 1].sent
        orgs = [m for m in self.doc_mentions if prev.start <= m.start < prev.end and m.type == "Organization"]
        return orgs[-1] if orgs else None

    def salient_org(self) -> Mention | None:
        """The organisation the article is about so far: most mentions before this sentence, then earliest."""
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for m in self.doc_mentions:
            if m.start >= self.sent.start:
                break
            if m.type in ("Organization",) or (m.type in ("Unknown", "Proper") and m.kb is None):
                counts[m.key] = counts.get(m.key, 0) + (2 if m.type == "Organization" else 1)
                first.setdefault(m.key, m)
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], -first[k].start))
        return first[best]

    def mention_for(self, token: Token, generic_nouns: set[str] | frozenset[str] = frozenset()) -> Mention | None:
        """The mention a syntactic argument refers to: the one containing it, or one in apposition to it."""
        m = self.by_token.get(token.i)
        if m is not None:
            return m
        for child in token.children:
            if child.dep_ in ("appos", "compound", "flat", "flat:name", "nn", "nmod", "amod", "npadvmod", "nummod"):
                m = self.by_token.get(child.i)
                if m is not None and (child.dep_ in ("appos", "compound", "flat", "flat:name", "nn", "nummod")
                                      or token.lemma_.lower() in generic_nouns):
                    return m
        if token.lemma_.lower() in generic_nouns:
            # "Le service européen de stockage de photos Zeta": the name may hang deeper in the phrase
            frontier = [
                c
                for c in token.children
                if c.dep_ in ("nmod", "appos", "flat:name", "compound", "amod", "poss", "nmod:poss")
            ]
            for _ in range(3):
                nxt = []
                for c in frontier:
                    m = self.by_token.get(c.i)
                    if m is not None and m.type in ("Organization", "Unknown", "Proper", "Product"):
                        return m
                    nxt += [g for g in c.children if g.dep_ in ("nmod", "appos", "flat:name", "compound")]
                frontier = nxt
            # "au géant chinois Acme" with a parse that lost the name: the name right after the noun
            j = token.i + 1
            while j < self.sent.end and j - token.i <= 3 and self.doc[j].pos_ == "ADJ" and j not in self.by_token:
                j += 1
            m = self.by_start.get(j)
            if m is not None and m.type in ("Organization", "Unknown", "Proper", "Product"):
                return m
        if token.head.dep_ == "appos" or token.dep_ == "appos":
            m = self.by_token.get(token.head.i)
            if m is not None:
                return m
        return None
