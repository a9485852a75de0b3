"""Entity mentions in a parsed document: spaCy NER candidates and knowledge-base matches, typed with
context, cleaned of titles and possessives, and resolved within the document ("Musk" → Elon Musk)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

from rapidfuzz import fuzz
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from ingest.extraction.resources import KbEntry, KnowledgeBase
from kg.model import entity_id_for, fold

NER_TYPES = {"PERSON": "Person", "PER": "Person", "ORG": "Organization", "PRODUCT": "Unknown",
             "MISC": "Unknown", "GPE": "Place", "LOC": "Place", "FAC": "Unknown", "WORK_OF_ART": "Unknown"}
_POSSESSIVE = re.compile(r"(’s|'s|’|')$")
_EDGE_PUNCT = "\"'“”«»()[],.;:!?-–— \n\t"



def _glued_hyphen(doc: Doc, i: int) -> bool:
    """Token i is a hyphen with no space on either side ("Anne-Elisabeth")."""
    return 0 < i < len(doc) - 1 and doc[i].text in ("-", "‐") and not doc[i - 1].whitespace_ \
        and not doc[i].whitespace_


def _join_hyphenated(doc: Doc, mentions: list[Mention]) -> list[Mention]:
    """"Anne-Elisabeth Lemoine", "Jean-Pierre Raffarin": a name the tokenizer cut at a glued hyphen is one name.
    Two mentions joined by such a hyphen merge (a person if either is one), and a capitalised proper noun glued
    before a mention's hyphen joins it; names of the knowledge base are left as they are."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if prev is not None and prev.end + 1 == m.start and _glued_hyphen(doc, prev.end) \
                and prev.kb is None and m.kb is None:
            kind = "Person" if "Person" in (prev.type, m.type) else (
                m.type if m.type not in ("Unknown", "Proper") else prev.type)
            out[-1] = Mention(prev.start, m.end, doc[prev.start:m.end].text, kind, titled=prev.titled or m.titled)
            continue
        k = m.start - 1
        if m.kb is None and _glued_hyphen(doc, k) and doc[k - 1].pos_ == "PROPN" and doc[k - 1].is_title \
                and (prev is None or prev.end <= k - 1):
            m = Mention(k - 1, m.end, doc[k - 1:m.end].text, m.type, titled=m.titled)
        out.append(m)
    return out


def _trailing_function_word(tok: Any) -> bool:
    """A lowercase preposition or article that NER left at the end of a name ("… d'astrophysique en", "… de l'")."""
    return tok.is_lower and tok.pos_ in ("ADP", "DET") and len(tok.text) <= 3


@dataclass
class Mention:
    start: int  # token offsets in the doc
    end: int
    text: str  # cleaned surface form
    type: str  # Person | Organization | Product | Document | Place | Unknown
    kb: KbEntry | None = None
    key: str = ""  # the entity this mention refers to, after in-document resolution
    titled: bool = False  # preceded by Mr/M./Mme...
    maker: Mention | None = None  # for a product named after its maker ("Boeing 737-800")
    anaphor: bool = False  # "the company", "it", "le groupe": stands for the organisation the article is about

    @property
    def root(self) -> int:
        return self.end - 1


@dataclass
class EntityInfo:
    key: str
    name: str
    type: str
    kind: str | None = None
    wikidata: str | None = None
    aliases: set[str] = field(default_factory=set)


class MentionFinder:
    """Finds, types and resolves mentions; one per language, shared by every document."""

    def __init__(self, nlp: Any, kb: KnowledgeBase, lexicon: dict[str, Any]) -> None:
        self.kb = kb
        self.titles = set(lexicon["titles"])
        self.org_suffixes = set(lexicon["org_suffixes"])
        self.determiners = {d.lower() for d in lexicon["determiners"]}
        dates = lexicon["dates"]
        self.stop_names = set(dates["months"]) | set(dates["weekdays"])
        self.suffix_words = {w.lower().rstrip(".") for w in lexicon["org_suffixes"]}
        self.exact = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.lower = PhraseMatcher(nlp.vocab, attr="LOWER")
        self._entries: dict[str, KbEntry] = {}
        for entry in kb.entries:
            forms = sorted({entry.name, *entry.aliases})
            self._entries[entry.id] = entry
            matcher = self.lower if entry.generic else self.exact
            matcher.add(entry.id, [nlp.make_doc(form) for form in forms])

    # -- finding ---------------------------------------------------------------------------------------
    def find(self, doc: Doc) -> list[Mention]:
        ner_spans = [(ent.start, ent.end, NER_TYPES.get(ent.label_)) for ent in doc.ents]
        ner_spans = [piece for s in ner_spans if s[2] is not None for piece in _split_by_syntax(doc, *s)]
        kb_spans: list[tuple[int, int, KbEntry]] = []
        for matcher in (self.exact, self.lower):
            for match_id, start, end in matcher(doc):
                entry = self._entries[doc.vocab.strings[match_id]]
                kb_spans.append((start, end, entry))
        # longest knowledge-base matches first, no overlaps among them
        kb_spans.sort(key=lambda s: (-(s[1] - s[0]), s[0]))
        taken: list[tuple[int, int, KbEntry]] = []
        for s in kb_spans:
            if any(s[0] < t[1] and t[0] < s[1] for t in taken):
                continue
            if s[2].ambiguous and not any(n[0] == s[0] and n[1] in (s[1], s[1] + 1) for n in ner_spans):
                continue
            taken.append(s)
        mentions: list[Mention] = []
        for start, end, entry in taken:
            # a longer NER name containing a KB alias is a different name ("Claude Perdriel" is not Claude)
            if end - start == 1 and any(n[0] <= start and end <= n[1] and (n[1] - n[0]) > 1 and n[2] != "Place"
                                        and doc[n[1] - 1].text not in ("'s", "’s") for n in ner_spans):
                continue
            mentions.append(Mention(start, end, doc[start:end].text, entry.type, kb=entry))
        covered = [(m.start, m.end) for m in mentions]
        for start, end, type_name in ner_spans:
            if any(start < e and s < end for s, e in covered):
                # keep the part of a NER span after a KB match ("Business Insider Elon Musk")
                inner = [c for c in covered if start <= c[0] and c[1] <= end]
                if inner and max(c[1] for c in inner) < end and min(c[0] for c in inner) == start:
                    start = max(c[1] for c in inner)
                else:
                    continue
            mention = self._clean(doc, start, end, type_name)
            if mention is not None:
                mentions.append(mention)
        mentions.sort(key=lambda m: m.start)
        return self._models(doc, _join_hyphenated(doc, self._proper_runs(doc, mentions)))

    @staticmethod
    def _models(doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """"Boeing 737-800", "Nvidia H100": a maker's name followed by a model code names a product."""
        out = []
        starts = {m.start for m in mentions}
        for m in mentions:
            j = m.end
            if m.type in ("Organization", "Unknown", "Proper") and j < len(doc):
                while j < len(doc) and j not in starts and (
                        any(c.isdigit() for c in doc[j].text) and not re.fullmatch(r"(19|20)\d\d", doc[j].text)
                        or (doc[j].text == "-" and j + 1 < len(doc) and doc[j + 1].text[:1].isdigit())):
                    j += 1
                if j > m.end and doc[j - 1].text != "-" and doc[m.end - 1].whitespace_ and (
                        not doc[m.end].like_num or j - m.end >= 3):
                    out.append(Mention(m.start, j, doc[m.start:j].text, "Product", maker=m))
                    continue
            out.append(m)
        return out

    def _proper_runs(self, doc: Doc, mentions: list[Mention]) -> list[Mention]:
        """Names spaCy's NER missed ("an analyst at Gartmore"): runs of capitalised proper nouns, typed
        "Proper" — usable where a rule expects an organisation or a product, never as a person."""
        covered = set()
        for m in mentions:
            covered.update(range(m.start, m.end))
        extra = []
        i, n = 0, len(doc)
        while i < n:
            tok = doc[i]
            if i in covered or tok.pos_ != "PROPN" or not (tok.is_title or tok.is_upper or tok.text[:1].isupper()) \
                    or tok.text in self.titles or tok.lower_ in self.stop_names or not tok.is_alpha and len(tok) < 3:
                i += 1
                continue
            j = i + 1
            while j < n and j not in covered and (
                    (doc[j].pos_ == "PROPN" and doc[j].text[:1].isupper() and doc[j].lower_ not in self.stop_names)
                    or (doc[j].text == "&" and j + 1 < n and doc[j + 1].pos_ == "PROPN")):
                j += 1
            text = doc[i:j].text
            if len(text) >= 2 and not doc[i].is_sent_start or (j - i) >= 2:
                extra.append(Mention(i, j, text, "Proper"))
            i = j
        if not extra:
            return mentions
        return sorted(mentions + extra, key=lambda m: m.start)

    def _clean(self, doc: Doc, start: int, end: int, type_name: str) -> Mention | None:
        for k in range(start + 1, end):  # "Shanghai Automotive Industry Corporation (SAIC": the name ends before "("
            if doc[k].text == "(":
                end = k
                break
        # "arm - Diageo Chateau & Estate Wines": the name follows the dash
        for k in range(start, min(end - 1, start + 4)):
            if doc[k].text in ("-", "–", "—") and all(t.is_lower for t in doc[start:k]):
                start = k + 1
                break
        titled = False
        while start < end and (doc[start].lower_ in self.determiners or doc[start].text in self.titles
                               or doc[start].text in _EDGE_PUNCT):
            titled = titled or doc[start].text in self.titles
            start += 1
        if start > 0 and doc[start - 1].text in self.titles:
            titled = True
        while end > start and (doc[end - 1].text in _EDGE_PUNCT or doc[end - 1].text in ("'s", "’s", "’", "'")
                               or doc[end - 1].lower_ in ("and", "et", "or", "ou", "&")  # "iPad Pro and"
                               or _trailing_function_word(doc[end - 1])):  # "Institut national d'astrophysique en"
            end -= 1
        if end <= start:
            return None
        span = doc[start:end]
        if not any(t.pos_ in ("PROPN", "NOUN", "NUM", "X") or t.is_upper or (t.is_title and not t.is_sent_start)
                   for t in span):
            return None
        if len(span) == 1 and span[0].pos_ in ("VERB", "AUX", "ADV", "PRON", "ADP", "DET", "SCONJ", "CCONJ") and (
                span[0].is_sent_start or not span[0].is_title):
            return None
        if all(t.is_lower for t in span if t.is_alpha):
            return None
        if span[0].is_lower and span[0].pos_ == "NOUN" and type_name in ("Organization", "Unknown"):
            return None  # "prix Nobel": a common noun phrase, not a name
        text = _POSSESSIVE.sub("", span.text).strip(_EDGE_PUNCT)
        if len(text) < 2:
            return None
        if titled:
            type_name = "Person"
        elif span[-1].text in self.org_suffixes and type_name in ("Person", "Unknown", "Place"):
            type_name = "Organization"
        return Mention(start, end, text, type_name, titled=titled)

    @staticmethod
    def _merge_spelling_variants(mentions: list[Mention], entities: dict[str, EntityInfo],
                                 full_people: dict[str, list[str]]) -> None:
        """"Dominique Farrugia" and "Dominique Faruggia" in one article are one person (a typo); the
        spelling used most often wins."""
        counts: dict[str, int] = {}
        for m in mentions:
            if m.key:
                counts[m.key] = counts.get(m.key, 0) + 1
        people = [k for k, e in entities.items() if e.type == "Person" and k.startswith("person:")]
        merged: dict[str, str] = {}
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                na, nb = fold(entities[a].name).split(), fold(entities[b].name).split()
                if len(na) < 2 or na[0] != nb[0] or len(na) != len(nb) or a in merged or b in merged:
                    continue
                if fuzz.ratio(" ".join(na[1:]), " ".join(nb[1:])) >= 85:
                    keep, drop = (a, b) if counts.get(a, 0) >= counts.get(b, 0) else (b, a)
                    merged[drop] = keep
        for drop, keep in merged.items():
            entities[keep].aliases |= entities[drop].aliases
            entities.pop(drop, None)
            for m in mentions:
                if m.key == drop:
                    m.key = keep
            for keys in full_people.values():
                keys[:] = [keep if k == drop else k for k in keys]

    def _suffix_variant(self, text: str, entities: dict[str, EntityInfo]) -> str | None:
        """"SBC Communications" and "SBC" are one company: same name once corporate suffixes are dropped."""
        core = fold(_strip_suffix(text, self.suffix_words))
        for key, info in entities.items():
            if (
                info.type in ("Organization", "Unknown", "Proper")
                and fold(_strip_suffix(info.name, self.suffix_words)) == core
            ):
                if len(text) > len(info.name) and info.name == _strip_suffix(info.name, self.suffix_words):
                    pass
                return key
        return None

    # -- resolution ------------------------------------------------------------------------------------
    def resolve(self, doc: Doc, mentions: list[Mention]) -> dict[str, EntityInfo]:
        """Give every mention an entity key; return the entities, each with its fullest name and aliases."""
        entities: dict[str, EntityInfo] = {}
        full_people: dict[str, list[str]] = {}  # last name (folded) → keys of full-name people
        org_names: dict[str, str] = {}
        # names seen typed as organisations anywhere in the document type their other mentions too
        for m in mentions:
            if m.kb is None:
                entry = self.kb.lookup(m.text)
                if entry is not None and not entry.ambiguous and entry.type != "Document":
                    m.kb = entry
                    m.type = entry.type
        typed: dict[str, str] = {}
        for m in mentions:
            if m.type in ("Person", "Organization", "Product") and m.kb is None:
                typed.setdefault(fold(m.text), m.type)
        for m in mentions:
            if m.kb is None and m.type in ("Unknown", "Place") and fold(m.text) in typed:
                m.type = typed[fold(m.text)]
        for m in mentions:
            if m.kb is not None:
                m.key = m.kb.id
                info = entities.setdefault(m.key, EntityInfo(m.key, m.kb.name, m.kb.type, m.kb.kind, m.kb.wikidata))
                info.aliases.add(m.text)
                if m.kb.type == "Person":
                    full_people.setdefault(fold(m.kb.name.split()[-1]), []).append(m.key)
                continue
            if m.type == "Person" and len(m.text.split()) >= 2:
                last = fold(m.text.split()[-1])
                keys = full_people.setdefault(last, [])
                key = next((k for k in keys if fold(entities[k].name) == fold(m.text)), None)
                if key is None:
                    key = entity_id_for("Person", m.text)
                    keys.append(key)
                m.key = key
                entities.setdefault(key, EntityInfo(key, m.text, "Person")).aliases.add(m.text)
        self._merge_spelling_variants(mentions, entities, full_people)
        for m in mentions:
            if m.key:
                continue
            if m.type in ("Person", "Unknown") and len(m.text.split()) == 1:
                keys = full_people.get(fold(m.text), [])
                if len(set(keys)) == 1:
                    m.key = keys[0]
                    m.type = "Person"
                    entities[m.key].aliases.add(m.text)
                    continue
            type_name = m.type
            if type_name == "Person" and not m.titled and len(m.text.split()) == 1:
                type_name = m.type = "Unknown"  # a lone name with no full form: NER often tags companies so
            if m.titled:
                type_name = m.type = "Person"
            key = entity_id_for(type_name, m.text)
            if type_name in ("Organization", "Unknown", "Proper"):
                key = self._suffix_variant(m.text, entities) or key
            m.key = key
            info = entities.setdefault(key, EntityInfo(key, m.text, type_name))
            info.aliases.add(m.text)
            if type_name == "Organization":
                org_names[fold(m.text)] = key
        # acronyms in parentheses: "Office of Federal Housing Enterprise Oversight (OFHEO)"
        for i, m in enumerate(mentions[:-1]):
            nxt = mentions[i + 1]
            if (nxt.start == m.end + 1 and doc[m.end].text == "(" and nxt.text.isupper() and m.type == "Organization"
                    and nxt.kb is None and _is_acronym(nxt.text, m.text)):
                old = nxt.key
                for other in mentions:
                    if other.key == old:
                        other.key = m.key
                        other.type = m.type
                entities[m.key].aliases.add(nxt.text)
                entities.pop(old, None)
        return entities


def _split_by_syntax(doc: Doc, start: int, end: int, type_name: str) -> list[tuple[int, int, str]]:
    """NER sometimes runs two names together ("Rio Tinto Simon Thompson"); the parse shows two heads.
    A miscellaneous span listing names ("L'Histoire et Historia") is split at the conjunction."""
    if type_name == "Unknown" and end - start >= 3:
        for k in range(start + 1, end - 1):
            if doc[k].lower_ in ("et", "and", "ou", "or") and doc[k + 1].text[:1].isupper():
                return [(start, k, type_name), (k + 1, end, type_name)]
    if end - start < 3:
        return [(start, end, type_name)]
    roots = [i for i in range(start, end) if not (start <= doc[i].head.i < end) or doc[i].head.i == i]
    if len(roots) < 2 or any(
        doc[r].dep_ in ("compound", "amod", "nmod:poss", "poss", "case", "det") for r in roots[1:]
    ):
        return [(start, end, type_name)]
    cuts = [start] + [r for r in roots[1:] if r > start] + [end]
    pieces = [(a, b, "Unknown") for a, b in pairwise(cuts) if b > a]
    if any(b - a < 2 for a, b, _ in pieces) or any(t.lower_ in ("&", "and", "et", "of", "de") for t in doc[start:end]):
        return [(start, end, type_name)]  # "Travelers Life & Annuity" is one name
    return pieces


def _strip_suffix(name: str, suffixes: set[str]) -> str:
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in suffixes:
        words.pop()
    return " ".join(words)


def _is_acronym(short: str, long: str) -> bool:
    initials = "".join(w[0] for w in long.split() if w[0].isupper())
    return short == initials or (len(short) >= 2 and all(c in initials for c in short))
