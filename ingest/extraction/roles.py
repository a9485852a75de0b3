"""Facts carried by relational nouns next to names: roles ("Oracle's chief executive Larry Ellison",
"M. Jacques, directeur général de Rio Tinto"), founders, owners, subsidiaries and parent companies.

The nouns and their English canonical titles are data (`roles` and `relations` in the lexicon); the
configurations below are the same in every language the lexicon covers."""

from __future__ import annotations

from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ingest.extraction.candidates import FORMER_ROLE, ROLE_ONLY, Candidate
from ingest.extraction.mentions import Mention
from ingest.extraction.sentence import POSSESSIVE_MARKS, SentenceView

ORGISH = ("Organization", "Unknown", "Proper")
SKIPPABLE_POS = ("ADJ", "DET", "NOUN", "PROPN", "NUM")


class RelationalNounRules:
    def __init__(self, nlp: Any, lexicon: dict[str, Any], qualifiers: Any) -> None:
        self.qualifiers = qualifiers
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.roles: dict[str, str] = {}
        for phrase, canonical in lexicon["roles"].items():
            self.matcher.add(f"ROLE:{canonical}", [nlp.make_doc(phrase)])
        for predicate, phrases in lexicon["relations"].items():
            self.matcher.add(f"REL:{predicate}", [nlp.make_doc(p) for p in phrases])
        self.of_words = set(lexicon["of_words"])
        self.determiners = {d.lower() for d in lexicon["determiners"]}
        self.past = set(lexicon["past_markers"])
        self.possessive_pronouns = set(lexicon["possessive_pronouns"])
        self.appointment_cues = set(lexicon["appointment_cues"])
        self.public_roles = set(lexicon["public_roles"])
        self.president_words = set(lexicon["president_org_words"])
        self.lang = lexicon["language"]
        self.generic_nouns = set(lexicon["generic_org_nouns"])
        self.as_words = set(lexicon["as_words"])
        self.definite = {"the", "this", "le", "la", "l'", "du", "cette", "ce"}

    def spans(self, doc: Doc) -> list[Span]:
        found = [Span(doc, s, e, label=mid) for mid, s, e in self.matcher(doc)]
        return filter_spans(found)

    # -- the configurations ----------------------------------------------------------------------------
    def find(self, view: SentenceView, spans: list[Span]) -> list[Candidate]:
        out: list[Candidate] = []
        for span in spans:
            kind, value = span.label_.split(":", 1)
            out.extend(self._one(view, span, kind, value))
        return out

    def _org_after(self, view: SentenceView, index: int) -> tuple[Mention | None, list[Token]]:
        doc, sent = view.doc, view.sent
        i, seen_of, unit = index, False, []
        limit = min(sent.end, index + 10)
        while i < limit:
            m = view.by_start.get(i)
            if m is not None:
                if seen_of and m.type in ORGISH + ("Place",):
                    return m, unit
                if seen_of or m.type == "Person":
                    return None, unit
                i = m.end  # a name inside the unit ("branche de recherche en IA d'Alphabet")
                continue
            tok = doc[i]
            if seen_of and tok.lemma_.lower() in self.generic_nouns and i > 0 and doc[i - 1].lower_ in self.definite \
                    and not any(c.dep_ in ("amod", "compound") for c in tok.children):
                return view.salient_org(), unit
            if seen_of and tok.text == "," and any(doc[k].lemma_.lower() in self.generic_nouns for k in range(index, i)):
                m = view.by_start.get(i + 1)  # "directeur d'une agence de presse méconnue, FederalPress,"
                if m is not None and m.type in ORGISH:
                    return m, unit
                break
            if tok.lower_ in self.of_words:
                seen_of = True
            elif tok.lower_ in ("and", "et", "&") and not seen_of and unit == []:
                pass  # "managing director and chief executive of Metrojaya"
            elif tok.lower_ in ("and", "et") and i + 1 < limit and doc[i + 1].pos_ == "NOUN" and doc[i + 1].is_lower:
                seen_of = False  # "la société de production et distribution du groupe Canal+"
            elif tok.pos_ == "ADP" and seen_of:
                seen_of = False  # "branche de recherche en IA d'Alphabet": only the last preposition counts
            elif tok.lower_ in self.determiners or tok.pos_ in SKIPPABLE_POS or tok.text in ('"', "«", "»", "“", "”"):
                if tok.pos_ in ("NOUN", "PROPN", "ADJ") and not seen_of:
                    unit.append(tok)
                elif tok.pos_ in ("NOUN",) and seen_of:
                    unit.append(tok)
            else:
                break
            i += 1
        return None, unit

    def _person_after(self, view: SentenceView, index: int, gap: int = 1) -> Mention | None:
        doc = view.doc
        i = index
        while i < view.sent.end and i - index <= gap:
            m = view.by_start.get(i)
            if m is not None:
                return m if m.type in ("Person", "Unknown") else None
            if doc[i].text not in (",", "M.", "Mr", "Mme", "Ms", "Mrs", ":") and doc[i].lower_ not in self.determiners:
                break
            i += 1
        if gap < 1:
            return None
        # "la directrice … de Google Cloud pour la Pologne et la région, Magdalena Dziewguc": a short
        # complement, then a comma, then the name
        for j in range(index, min(view.sent.end - 1, index + 8)):
            if doc[j].pos_ in ("VERB", "AUX") or (doc[j].text in (";", ":", "(", ")")):
                return None
            if doc[j].text == ",":
                m = view.by_start.get(j + 1)
                return m if m is not None and m.type == "Person" else None
        return None

    def _x_before_comma(self, view: SentenceView, role_start: int) -> Mention | None:
        """X in "X, [det] [modifiers] ROLE": the mention right before a comma a few tokens before the role."""
        doc = view.doc
        i = role_start - 1
        steps = 0
        while i > view.sent.start and steps < 5:
            tok = doc[i]
            if tok.text in (",", "("):
                return view.mention_ending_before(i)
            if tok.lower_ in self.determiners or tok.pos_ in ("ADJ", "NOUN", "NUM", "ADP", "PRON", "ADV") or tok.lower_ in ("one", "l'un", "un", "une", "l'une", "of", "des", "the"):
                if tok.pos_ == "NOUN" and tok.lower_ not in ("one",):
                    pass
                i -= 1
                steps += 1
                continue
            return None
        return None

    def _is_past(self, view: SentenceView, span: Span) -> bool:
        doc = view.doc
        lo = max(view.sent.start, span.start - 3)
        return (any(doc[k].lower_ in self.past for k in range(lo, span.start))
                or doc[span.start].lower_.startswith("ex-"))

    def _appointment_verb(self, span: Span) -> Token | None:
        tok = span.root
        if tok.dep_ == "dobj":  # "Vodafone has drafted in its UK chief executive X": a title held, not given
            return None
        if tok.dep_ == "pobj" and tok.head.lower_ not in ("as",):
            return None
        case = [c.lower_ for c in tok.children if c.dep_ == "case"]
        if case and not set(case) & {"comme", "que", "à", "au", "as"}:
            return None
        for _ in range(3):
            if tok.head is tok:
                return None
            tok = tok.head
            if tok.lemma_.lower() in self.appointment_cues:
                return tok
            if tok.pos_ not in ("ADP", "SCONJ", "NOUN", "VERB", "AUX"):
                return None
        return None

    def _role_for(self, value: str, unit: list[Token], org: Mention) -> str:
        if value == "chairman" and self.lang == "fr":
            name = org.text.lower()
            kind = org.kb.kind if org.kb else None
            if kind in ("government", "nonprofit", "regulator") or any(w in name.split() for w in self.president_words) or org.type == "Place":
                return "president"
        if self.lang == "en" and value in ("head", "director", "vice president", "president") and unit:
            words = " ".join(t.lower_ for t in unit if t.pos_ == "NOUN")
            if words and value != "president":
                return f"{value} of {words}"
        return value

    def _one(self, view: SentenceView, span: Span, kind: str, value: str) -> list[Candidate]:
        doc = view.doc
        sent = view.sent
        past = self._is_past(view, span)
        confidence = 0.75
        pairs: list[tuple[Mention, Mention, str]] = []  # (x, y, rule)
        if kind == "REL" and value == "LEFT":
            # "Dmitri Simakov, l'un des cinq démissionnaires", "un des journalistes démissionnaires, Boris Safronov":
            # the employer is the organisation the article is about (settled later)
            x = self._x_before_comma(view, span.start) or self._person_after(view, span.end, gap=1)
            if x is None or x.type != "Person":
                return []
            return [Candidate(x, "LEFT", None, sent, f"{self.lang}.name-resigner", 0.55, span.root.i)]
        after = view.mention_after_possessive
        # C: "le président de Rio Tinto Simon Thompson", "former engineers at DeepMind X and Y"
        y, unit = self._org_after(view, span.end)
        x_next = self._person_after(view, span.end, gap=0)
        if y is None and x_next is not None:  # "retail analyst Nick Bubb of Evolution Securities"
            y2, _ = self._org_after(view, x_next.end)
            if y2 is not None and y2 is not x_next:
                pairs.append((x_next, y2, "role-name-of-org"))
        if y is not None:
            x = self._person_after(view, after(y.end))
            if x is not None:
                pairs += [(p, y, "role-of-org-name") for p in view.expand_list(x)]
            # B: "Stuart Quint, an analyst at Gartmore"; E: "DeepMind est la branche ... d'Alphabet"
            x = self._x_before_comma(view, span.start)
            if x is not None:
                pairs += [(p, y, "name-comma-role-of-org") for p in view.expand_list_backwards(x)]
            else:
                x = self._copula_subject(view, span)
                if x is not None:
                    pairs.append((x, y, "name-is-role-of-org"))
        if y is not None and not pairs and kind == "ROLE" and not past:
            cue = self._appointment_verb(span)
            if cue is not None:  # "X, ancien correspondant de Haaretz, devient le directeur de la rédaction de Libération"
                x = self._cue_subject(view, cue)
                if x is not None:
                    pairs.append((x, y, "appointed-role-of-org"))
        # A: "Ryanair chairman David Bonderman", "Oracle's chief executive Larry Ellison", "its UK chief executive X"
        before = span.start
        while before - 1 > sent.start and (doc[before - 1].pos_ == "ADJ" or doc[before - 1].ent_type_ in ("GPE", "NORP")) \
                and doc[before - 1].lower_ not in self.past:
            before -= 1
        y_pre = view.mention_ending_before(before)
        if y_pre is not None and y_pre.type == "Person" and x_next is not None and not y_pre.titled:
            y_pre.type = "Unknown"  # "Diageo North America president Ivan Menezes": a name before a title is no person
        if y_pre is None and before - 1 >= sent.start and doc[before - 1].lower_ in self.possessive_pronouns:
            y_pre = self._possessor(view, before - 1)
        if y_pre is not None and y_pre.type in ORGISH:
            x = self._person_after(view, span.end, gap=0)
            if x is not None:
                pairs += [(p, y_pre, "org-role-name") for p in view.expand_list(x)]
            # D: "Robert Benmosche, Metlife's chairman and chief executive"
            if before - 1 >= sent.start and doc[y_pre.start - 1].text == "," if y_pre.start - 1 >= sent.start else False:
                x = view.mention_ending_before(y_pre.start - 1)
                if x is not None and x.type in ("Person", "Unknown") and not (x.start <= y_pre.start < x.end):
                    pairs.append((x, y_pre, "name-comma-org-role"))
        if kind == "REL" and value == "SUBSIDIARY_OF":
            # "Citigroup's Travelers unit": parent with a possessive, then the unit's name, then the noun
            x = view.by_end.get(before)
            if x is not None and x.type in ORGISH:
                parent = view.mention_ending_before(x.start)
                if parent is None and x.start - 1 >= sent.start and doc[x.start - 1].lower_ in self.possessive_pronouns:
                    parent = self._possessor(view, x.start - 1)
                if parent is not None and parent is not x:
                    pairs.append((x, parent, "org-unit-noun"))
            # "it already has a US winemaking arm - Diageo Chateau & Estate Wines";
            # "Fosters' main wine business is Beringer Blass Wine Estate"
            k = span.end
            named = None
            if k + 1 < sent.end and doc[k].text in ("-", "–", "—", ":"):
                named = view.by_start.get(k + 1)
            elif k + 1 < sent.end and doc[k].lemma_ in ("be", "être") and doc[k].pos_ in ("AUX", "VERB"):
                named = view.by_start.get(k + 1)
            if named is not None and named.type in ORGISH:
                owner = y_pre
                if owner is None:
                    verb = span.root.head
                    for _ in range(3):
                        if verb.lemma_ in ("have", "avoir", "own", "posséder", "détenir") or verb.head is verb:
                            break
                        verb = verb.head
                    if verb.lemma_ in ("have", "avoir", "own", "posséder", "détenir"):
                        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
                        if subj is not None:
                            owner = view.by_token.get(subj.i) or (
                                self._topic_before(view, subj.i) if subj.lower_ in ("it", "il", "elle") else None)
                if owner is not None and owner.type in ORGISH and owner.key != named.key:
                    pairs.append((named, owner, "org-has-unit-named"))
        if not pairs and kind == "ROLE" and x_next is not None and x_next.type == "Person" and not past:
            # "Chief executive Franklin Raines … have left the firm": a title with no employer named here
            return [Candidate(x_next, ROLE_ONLY, None, sent, f"{self.lang}.role-name", 0.5, span.root.i, role=value)]
        out: list[Candidate] = []
        seen = set()
        if kind == "REL" and value == "OWNS":  # "propriétaire de Challenges ou des revues L'Histoire et Historia"
            pairs = [(x, y2, rule) for x, y, rule in pairs for y2 in view.expand_list(y)]
        for x, y, rule in pairs:
            if x is y or x.key == y.key or (x.key, y.key) in seen:
                continue
            seen.add((x.key, y.key))
            if kind == "ROLE":
                if x.type not in ("Person", "Unknown"):
                    continue
                # a place with a chief executive is a company NER took for a place ("Rio Tinto")
                role = self._role_for(value, unit if rule != "org-role-name" else [], y)
                predicate = FORMER_ROLE if past else "WORKS_FOR"
                cue = None if past else self._appointment_verb(span)
                modality = "asserted"
                if cue is not None:
                    predicate = "JOINED"
                    subject = self._cue_subject(view, cue)
                    if subject is not None:
                        x = subject
                    modality, _ = self.qualifiers.modality(sent, cue, False)
                    if modality is None:
                        continue
                out.append(Candidate(x, predicate, y, sent, f"{self.lang}.{rule}", confidence, span.root.i, role=role,
                                     modality=modality))
            elif kind == "REL":
                if past and value != "FOUNDED":
                    continue
                if value == "PARENT_OF":
                    x, y = y, x
                    value = "SUBSIDIARY_OF"
                out.append(Candidate(x, value, y, sent, f"{self.lang}.{rule}.{value.lower()}", confidence - 0.05, span.root.i))
        return out

    def role_after_as(self, view: SentenceView, spans: list[Span], trigger: int) -> str | None:
        """The post in "as president", "en tant que rédacteur en chef", "comme directeur" after a trigger."""
        doc = view.doc
        for span in spans:
            if not span.label_.startswith("ROLE:") or span.start <= trigger:
                continue
            k = span.start - 1
            while k > trigger and doc[k].lower_ in self.determiners:
                k -= 1
            if doc[k].lower_ in self.as_words:
                return span.label_.split(":", 1)[1]
        return None

    def _copula_subject(self, view: SentenceView, span: Span) -> Mention | None:
        doc = view.doc
        i = span.start - 1
        steps = 0
        while i >= view.sent.start and steps < 4:
            tok = doc[i]
            if tok.lemma_ in ("be", "être", "become", "devenir", "remain", "rester") and tok.pos_ in ("AUX", "VERB"):
                while i - 1 >= view.sent.start and doc[i - 1].pos_ in ("AUX", "ADV", "PART"):
                    i -= 1  # "Ms Tan has (since 2002) been"
                return view.mention_ending_before(i)
            if tok.lower_ in self.determiners or tok.pos_ in ("ADJ", "ADV", "DET"):
                i -= 1
                steps += 1
                continue
            return None
        return None

    def _topic_before(self, view: SentenceView, index: int) -> Mention | None:
        """What a subject "it" stands for: an organisation that is a subject or possessor earlier in the
        sentence ("Although Diageo's brands include Guinness, it has…"), else the article's company."""
        doc = view.doc
        for m in view.mentions:
            if m.end <= index and m.type in ORGISH and any(
                    doc[k].dep_ in ("nsubj", "poss", "nmod:poss") for k in range(m.start, m.end)):
                return m
        return view.salient_org()

    def _possessor(self, view: SentenceView, pron_index: int) -> Mention | None:
        """What "its"/"son" refers to: the nearest organisation named before it in the sentence."""
        neuter = view.doc[pron_index].lower_ in ("its", "their")
        for m in reversed(view.mentions):
            if m.end <= pron_index and m.type in ("Organization", "Unknown", "Proper"):
                return m
            if m.end <= pron_index and neuter and m.type == "Person" and not m.titled:
                m.type = "Unknown"  # "Laura Ashley ... its chief executive": a company named after a person
                return m
        return view.salient_org()

    def _cue_subject(self, view: SentenceView, cue: Token) -> Mention | None:
        for child in cue.children:
            if child.dep_ in ("nsubj", "nsubjpass", "nsubj:pass"):
                m = view.mention_for(child)
                if m is not None and m.type in ("Person", "Unknown"):
                    return m
        if cue.dep_ in ("acl", "appos", "amod") or cue.head.dep_ == "appos":
            m = view.by_token.get(cue.head.i)
            if m is not None and m.type in ("Person", "Unknown"):
                return m
        return None
