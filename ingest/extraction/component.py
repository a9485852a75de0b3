"""The spaCy component that runs the rules: `kg_fact_extractor_v1`, added last to each language's pipeline.

It leaves on `doc._.kg` the mentions, the entities they resolve to and the fact candidates of every
sentence; `ingest.extraction.assemble` turns them into the domain's entities and facts."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.extraction.candidates import Candidate
from ingest.extraction.frames import FrameRules
from ingest.extraction.mentions import EntityInfo, Mention, MentionFinder
from ingest.extraction.qualifiers import QualifierReader
from ingest.extraction.resources import knowledge_base, lexicon
from ingest.extraction.roles import RelationalNounRules
from ingest.extraction.sentence import SentenceView
from ingest.language import detect_language

COMPONENT_NAME = "kg_fact_extractor_v1"
PARAGRAPH_COMPONENT = "kg_paragraph_splitter_v1"
MONEY_PREDICATES = ("ACQUIRED", "INVESTED_IN", "PURCHASED")

if not Doc.has_extension("kg"):
    Doc.set_extension("kg", default=None)


@dataclass
class DocFacts:
    lang: str
    mentions: list[Mention] = field(default_factory=list)
    entities: dict[str, EntityInfo] = field(default_factory=dict)
    candidates: list[Candidate] = field(default_factory=list)
    rule_predicates: set[str] | None = None  # None: every rule's facts leave the extractor; else only these


class FactExtractorComponent:
    def __init__(self, nlp: Language, lang: str) -> None:
        self.lang = lang
        lex = lexicon(lang)
        self.mentions = MentionFinder(nlp, knowledge_base(), lex)
        self.qualifiers = QualifierReader(lex)
        self.roles = RelationalNounRules(nlp, lex, self.qualifiers)
        self.frames = FrameRules(lex, self.qualifiers)
        self.reported_by_cues = lex["modality"]["reported_by_cues"]
        self.signatory_nouns = set(lex["signatory_nouns"])
        self.possessives = set(lex["possessive_pronouns"])
        self.owned_nouns = set(lex["owned_nouns"])

    def __call__(self, doc: Doc) -> Doc:
        mentions = self.mentions.find(doc)
        entities = self.mentions.resolve(doc, mentions)
        result = DocFacts(self.lang, mentions, entities)
        role_spans = self.roles.spans(doc)
        self._retype_companies_named_like_people(doc, mentions, entities, role_spans)
        mi = 0
        for sent in doc.sents:
            while mi < len(mentions) and mentions[mi].end <= sent.start:
                mi += 1
            sent_mentions = []
            j = mi
            while j < len(mentions) and mentions[j].start < sent.end:
                if mentions[j].start >= sent.start:
                    sent_mentions.append(mentions[j])
                j += 1
            if not sent_mentions:
                continue
            view = SentenceView(sent, sent_mentions, mentions)
            spans = [s for s in role_spans if sent.start <= s.start < sent.end]
            found = self.roles.find(view, spans) if spans else []
            found += self.roles.affiliations(view)
            found += self.frames.find(view)
            found += self._signatories(view)
            found += self._possessive_appositions(view)
            if not found or self._foreign(sent):
                continue
            self._qualify(view, found, spans)
            result.candidates.extend(found)
        doc._.kg = result
        return doc

    def _possessive_appositions(self, view: SentenceView) -> list[Candidate]:
        """"ByteDance à vendre les activités de TikTok, son réseau social international": X, its <company noun>
        → the organisation named before X owns X."""
        doc = view.doc
        out = []
        for k, m in enumerate(view.mentions):
            i = m.end
            if not (i + 2 < view.sent.end and doc[i].text == "," and doc[i + 1].lower_ in self.possessives
                    and doc[i + 2].lemma_.lower() in self.owned_nouns):
                continue
            owners = [o for o in view.mentions[:k] if o.type in ("Organization", "Unknown") and o.key != m.key]
            if owners and m.type in ("Organization", "Unknown", "Proper", "Product"):
                out.append(Candidate(owners[-1], "OWNS", m, view.sent, f"{self.lang}.name-its-noun.owns", 0.55, i + 2))
        return out

    def _signatories(self, view: SentenceView) -> list[Candidate]:
        """"Parmi les signataires, … Michel Mayor, … Serge Haroche": everyone listed after the word signed the
        document the article spoke of last."""
        cue = next((t for t in view.sent if t.lower_ in self.signatory_nouns), None)
        if cue is None:
            return []
        documents = [m for m in view.doc_mentions if m.type == "Document" and m.start < cue.i]
        if not documents:
            return []
        document = documents[-1]
        people = [m for m in view.mentions if m.start > cue.i and m.type == "Person"]
        return [Candidate(p, "SIGNED", document, view.sent, f"{self.lang}.signatories", 0.6, cue.i) for p in people]

    def _retype_companies_named_like_people(self, doc: Doc, mentions: list[Mention], entities: dict,
                                             role_spans: list[Span]) -> None:
        """"Laura Ashley … its chief executive X", "Diageo North America president X": a name standing where
        an employer stands is an organisation, whatever NER said, in every sentence of the article."""
        by_end = {m.end: m for m in mentions}
        by_start = {m.start: m for m in mentions}
        to_org: set[str] = set()
        for span in role_spans:
            if not span.label_.startswith("ROLE:"):
                continue
            i = span.start
            while i - 1 >= 0 and doc[i - 1].pos_ == "ADJ":
                i -= 1
            before = by_end.get(i) or (by_end.get(i - 1) if i - 1 >= 0 and doc[i - 1].text in ("'s", "’s") else None)
            after = by_start.get(span.end)
            if before is not None and after is not None and before.type == "Person" and after.type == "Person" \
                    and not before.titled and before.key != after.key:
                to_org.add(before.key)
            if i - 1 >= 0 and doc[i - 1].lower_ in ("its", "their"):
                prev = [m for m in mentions if m.end <= i - 1 and doc[m.start].sent.start == doc[i - 1].sent.start]
                if prev and prev[-1].type == "Person" and not prev[-1].titled:
                    to_org.add(prev[-1].key)
        for key in to_org:
            if any(m.titled for m in mentions if m.key == key):
                continue
            for m in mentions:
                if m.key == key:
                    m.type = "Organization"
            if key in entities:
                entities[key].type = "Organization"

    def _foreign(self, sent: Span) -> bool:
        words = sent.text.split()
        return len(words) >= 6 and detect_language(sent.text, default=self.lang) != self.lang

    def _qualify(self, view: SentenceView, found: list[Candidate], role_spans: list[Span]) -> None:
        sent = view.sent
        for cand in found:
            if cand.predicate in ("JOINED", "LEFT", "_REPLACES", "_SUCCEEDS") and cand.role is None:
                cand.role = self.roles.role_after_as(view, role_spans, cand.trigger)
        # an appointment that names no organisation must at least name a post ("la nomination de X en tant que…")
        found[:] = [c for c in found if not (c.predicate == "JOINED" and c.object is None and c.role is None)]
        dates = self.qualifiers.dates(sent)
        money = None
        reported_by = self._reported_by(view)
        for cand in found:
            if dates:
                cand.dates = sorted(dates, key=lambda d: abs(d.token - cand.trigger))
            if cand.predicate in MONEY_PREDICATES:
                if money is None:
                    money = self.qualifiers.money(self.qualifiers.normalise_numbers(sent.text))
                if money:  # the amount written closest to the trigger, not a conversion in brackets
                    at = view.doc[cand.trigger].idx - sent.start_char
                    main = [m for m in money if not m.converted] or money
                    near = min(main, key=lambda m: abs(m.start - at))
                    cand.amount, cand.currency = near.amount, near.currency
            if cand.predicate == "PURCHASED" and cand.object is not None:
                qty, approx = self.qualifiers.quantity_before(sent, cand.object.start)
                if qty is not None:
                    cand.quantity = qty
                    cand.approximate = True if approx else None
                if cand.object.maker is not None:
                    cand.vendor = cand.object.maker
            if cand.modality == "reported" and reported_by is not None:
                cand.reported_by = reported_by

    def _reported_by(self, view: SentenceView) -> Mention | None:
        lowered = view.sent.text.lower()
        for cue in self.reported_by_cues:
            pos = lowered.find(cue)
            if pos < 0:
                continue
            start_char = view.sent.start_char + pos + len(cue)
            for m in view.mentions:
                tok = view.doc[m.start]
                if tok.idx >= start_char and tok.idx - start_char < 40 and m.type in ("Organization", "Unknown"):
                    return m
        return None



@Language.component(PARAGRAPH_COMPONENT)
def split_paragraphs(doc: Doc) -> Doc:
    """A blank line ends a sentence (headlines have no full stop); runs before the parser, which keeps it."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and "\n" in prev.text and not tok.is_space:
            tok.is_sent_start = True
        elif (prev.text in (".", "!", "?") and not prev.whitespace_ and tok.is_alpha and tok.text[:1].isupper()
              and tok.i >= 2 and len(doc[tok.i - 2].text) > 1 and not doc[tok.i - 2].is_title):
            tok.is_sent_start = True  # scraped text often glues sentences: "annuels.Le groupe"
    return doc


@Language.factory(COMPONENT_NAME, default_config={"lang": None})
def make_fact_extractor(nlp: Language, name: str, lang: str | None) -> FactExtractorComponent:  # noqa: ARG001 (spaCy passes the name)
    return FactExtractorComponent(nlp, lang or nlp.lang)
