"""Facts carried by relational nouns next to names: roles ("Acme's chief executive Jane Roe",
"M. Dupont, directeur général d'Acme"), founders, owners, subsidiaries and parent companies.

The nouns and their English canonical titles are data (`roles` and `relations` in the lexicon); the
configurations below are the same in every language the lexicon covers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans

from ingest.extraction.candidates import FORMER_ROLE, ROLE_ONLY, Candidate
from ingest.extraction.mentions import Mention
from ingest.extraction.resources import CONFIDENCE
from ingest.extraction.sentence import POSSESSIVE_MARKS, SentenceView

ORGISH = ("Organization", "Unknown", "Proper")
SKIPPABLE_POS = ("ADJ", "DET", "NOUN", "PROPN", "NUM")
OWNING_VERBS = ("have", "avoir", "own", "posséder", "détenir")
ROLE_CONFIDENCE = 0.75

Pair = tuple[Mention, Mention, str]  # (x, y, configuration id)


@dataclass
class NounSite:
    """One relational noun in its sentence, and the names around it that every configuration reads."""

    view: SentenceView
    span: Span
    kind: str  # ROLE (a title: WORKS_FOR and kin) or REL (founder, owner, unit, parent…)
    value: str  # the canonical title, or the predicate
    past: bool  # "former", "ex-": a role held before
    y: Mention | None  # the organisation after the noun
    unit: list[Token]  # the words naming a unit between the noun and the organisation ("head of research at")
    x_next: Mention | None  # the name right after the noun
    before: int  # the noun's start, before adjectives and nationalities ("its UK chief executive")
    y_pre: Mention | None  # the organisation before the noun, or what "its" stands for


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
        self.affiliation_words = set(lexicon["affiliation_words"])
        self.leader_words = set(lexicon["leader_words"])
        self.name_particles = set(lexicon["name_particles"])
        self.field_prepositions = set(lexicon["field_prepositions"])
        self.institution_nouns = set(lexicon["institution_nouns"])
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

    def affiliations(self, view: SentenceView) -> list[Candidate]:
        """"said Jane Roe of Acme", "Jane Roe, from the Acme Foundation", "Jean Dupont, de l'université de
        Lille": a person's name followed by an affiliation preposition and an organisation's name is that
        organisation's employee, without a role (the guidelines do not invent one). Only names typed as
        organisations count (not places: "Jean Dupont de Lyon"), and the organisation's name must end the
        phrase ("Jane Roe at the Acme conference" is no affiliation)."""
        doc, sent = view.doc, view.sent
        out: list[Candidate] = []
        for person in view.mentions:
            if person.type != "Person":
                continue
            i = person.end
            paren = self._employer_in_parentheses(view, person)
            if paren is not None:
                out.append(paren)
                continue
            comma = i < sent.end and doc[i].text == ","
            i += comma
            if i >= sent.end or doc[i].lower_ not in self.affiliation_words:
                continue
            i += 1
            particle = doc[i - 1].lower_ in self.name_particles and not comma
            if particle and (i >= sent.end or doc[i].lower_ not in self.definite):
                continue  # "Jean Martin de Beta" may be a name's particle; "Jean Martin de la Beta" is not
            while i < sent.end and doc[i].lower_ in self.definite:
                i += 1
            org = view.by_start.get(i)
            if org is None or org.type not in ("Organization", "Unknown") or org.key == person.key:
                continue
            following = doc[org.end] if org.end < sent.end else None
            if following is not None and (following.pos_ in ("NOUN", "PROPN") or following.text in POSSESSIVE_MARKS):
                continue
            out.append(Candidate(person, "WORKS_FOR", org, sent, f"{self.lang}.name-of-org", CONFIDENCE["medium"],
                                 person.start))
        return out

    def _employer_in_parentheses(self, view: SentenceView, person: Mention) -> Candidate | None:
        """"Tim Cook (Apple), Sundar Pichai (Alphabet)": a person's name followed by an organisation's name alone
        in parentheses. Only a name typed as an organisation (not a place the text left untyped, nor initials
        the knowledge base does not know: parties and unions are glossed that way), and nothing else inside the
        parentheses ("Jane Roe (Acme, 45)" is no such gloss)."""
        doc, sent = view.doc, view.sent
        i = person.end
        if i + 2 >= sent.end or doc[i].text != "(":
            return None
        org = view.by_start.get(i + 1)
        if org is None or org.type != "Organization" or org.end >= sent.end or doc[org.end].text != ")":
            return None
        if org.kb is None and org.text.replace("-", "").isupper():
            return None  # "Jean Dupont (LFI)", "(SNESUP-FSU)": a party's or a union's initials, not an employer
        return Candidate(person, "WORKS_FOR", org, sent, f"{self.lang}.name-paren-org", CONFIDENCE["low"],
                         person.start)

    def _org_after(self, view: SentenceView, index: int) -> tuple[Mention | None, list[Token]]:
        doc, sent = view.doc, view.sent
        i, seen_of = index, False
        unit: list[Token] = []
        limit = min(sent.end, index + 10)
        while i < limit:
            m = view.by_start.get(i)
            if m is not None:
                if m.type == "Place" and self._place_modifies_next(view, m):
                    i = m.end  # "the Frankfurt-based exchange", "the UK's Confederation of British Industry"
                    while i < limit and doc[i].lower_ in (*POSSESSIVE_MARKS, "-", "based", "-based"):
                        i += 1
                    continue
                if seen_of and m.type == "Place" and unit and unit[-1].lemma_.lower() in self.institution_nouns:
                    return None, unit  # "chercheur de l'université de Cardiff": a name cut after its place
                if seen_of and m.type in ORGISH + ("Place",):
                    return m, unit
                if seen_of or m.type == "Person":
                    return None, unit
                i = m.end  # a name inside the unit ("branche de recherche en IA d'Acme")
                continue
            tok = doc[i]
            if seen_of and tok.lemma_.lower() in self.generic_nouns and i > 0 and doc[i - 1].lower_ in self.definite \
                    and not any(c.dep_ in ("amod", "compound") for c in tok.children):
                return view.salient_org(), unit
            if seen_of and tok.text == "," and any(
                    doc[k].lemma_.lower() in self.generic_nouns for k in range(index, i)):
                m = view.by_start.get(i + 1)  # "directeur d'une petite agence, Beta,"
                if m is not None and m.type in ORGISH:
                    return m, unit
                break
            if tok.lower_ in self.of_words:
                seen_of = True
            elif tok.lower_ in ("and", "et", "&") and not seen_of and unit == []:
                pass  # "managing director and chief executive of Acme"
            elif tok.lower_ in self.field_prepositions and not seen_of:
                pass  # "chercheuse en biologie à la Sorbonne": the field, then the employer
            elif tok.lower_ in ("and", "et") and i + 1 < limit and doc[i + 1].pos_ == "NOUN" and doc[i + 1].is_lower:
                seen_of = False  # "la société de conseil et formation du groupe Acme"
            elif tok.pos_ == "ADP" and seen_of:
                seen_of = False  # "branche de recherche en IA d'Acme": only the last preposition counts
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
        # "la directrice … d'Acme Cloud pour la Pologne et la région, Marie Martin": a short
        # complement, then a comma, then the name
        for j in range(index, min(view.sent.end - 1, index + 8)):
            if doc[j].pos_ in ("VERB", "AUX") or (doc[j].text in (";", ":", "(", ")")):
                return None
            if doc[j].text == ",":
                m = view.by_start.get(j + 1)
                return m if m is not None and m.type == "Person" else None
        return None

    @staticmethod
    def _place_modifies_next(view: SentenceView, place: Mention) -> bool:
        """A place that only qualifies the noun after it: "Frankfurt-based", "the UK's"."""
        doc = view.doc
        nxt = doc[place.end] if place.end < view.sent.end else None
        after = doc[place.end + 1] if place.end + 1 < view.sent.end else None
        return nxt is not None and (nxt.lower_ in POSSESSIVE_MARKS or nxt.lower_.startswith("-based") or (
            nxt.text == "-" and after is not None and after.lower_ == "based"))

    @staticmethod
    def _function_word(tok: Token) -> bool:
        """A common noun that names a function inside a title ("Acme product marketing manager Jane Roe")."""
        return tok.pos_ == "NOUN" and tok.dep_ == "compound" and not tok.ent_type_ and tok.is_lower

    @staticmethod
    def _org_right_after(view: SentenceView, index: int) -> Mention | None:
        m = view.by_start.get(index)
        return m if m is not None and m.type in ORGISH else None

    def _x_before_comma(self, view: SentenceView, role_start: int) -> Mention | None:
        """X in "X, [det] [modifiers] ROLE": the mention right before a comma a few tokens before the role."""
        doc = view.doc
        i = role_start - 1
        steps = 0
        while i > view.sent.start and steps < 5:
            tok = doc[i]
            if tok.text in (",", "("):
                return view.mention_ending_before(i)
            if (tok.lower_ in self.determiners or tok.pos_ in ("ADJ", "NOUN", "NUM", "ADP", "PRON", "ADV")
                    or tok.lower_ in ("one", "l'un", "un", "une", "l'une", "of", "des", "the")):
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
        if tok.dep_ == "dobj":  # "Acme has drafted in its UK chief executive X": a title held, not given
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

    def _is_public_body(self, org: Mention) -> bool:
        """A state, party, association, federation, union or regulator (by its kind or a word of its name)."""
        kind = org.kb.kind if org.kb else None
        return (kind in ("government", "nonprofit", "regulator") or org.type == "Place"
                or any(w in org.text.lower().split() for w in self.president_words))

    def _role_for(self, value: str, unit: list[Token], org: Mention, span: Span) -> str:
        """The guidelines' role value for a title and its organisation: a French "président" of a public body is
        its president; a leader word ("head", "chief", "boss", "patron") is a company's ceo but a public body's
        or a unit's head; "le dirigeant d'Acme" is its ceo, "un dirigeant" one of its executives."""
        if value == "chairman" and self.lang == "fr" and self._is_public_body(org):
            return "president"
        leader_word = span.root.lower_ in self.leader_words
        if leader_word and value in ("ceo", "head"):
            value = "head" if unit or self._is_public_body(org) else "ceo"
        if value == "executive" and span.start > 0 and span.doc[span.start - 1].lower_ in ("le", "la", "l'", "the"):
            value = "ceo"
        if value in ("head", "director", "vice president") and unit and (self.lang == "en" or value == "head"):
            words = " ".join(t.lower_ for t in unit if t.pos_ == "NOUN")
            if words:
                return f"{value} of {words}"
        return value

    def _one(self, view: SentenceView, span: Span, kind: str, value: str) -> list[Candidate]:
        """The facts one relational noun gives: each configuration below proposes (x, y, rule) pairs."""
        if kind == "REL" and value == "LEFT":
            return self._resigner(view, span)
        site = self._site(view, span, kind, value)
        pairs = self._complement_configurations(site)
        if not pairs and kind == "ROLE" and not site.past:
            pairs += self._appointed_role_of_org(site)
        pairs += self._possessor_configurations(site)
        if kind == "REL" and value == "SUBSIDIARY_OF":
            pairs += self._unit_configurations(site)
        if not pairs and kind == "ROLE" and site.x_next is not None and site.x_next.type == "Person" and not site.past:
            # "Chief executive Jane Roe … has left the firm": a title with no employer named here
            return [Candidate(site.x_next, ROLE_ONLY, None, view.sent, f"{self.lang}.role-name", CONFIDENCE["low"],
                              span.root.i, role=value)]
        return self._candidates(site, pairs)

    def _site(self, view: SentenceView, span: Span, kind: str, value: str) -> NounSite:
        """What every configuration looks at: the organisation after the noun ("chief executive of Acme"), the
        name right after it, and the name before it ("Acme chief executive", "its chief executive")."""
        doc, sent = view.doc, view.sent
        y, unit = self._org_after(view, span.end)
        x_next = self._person_after(view, span.end, gap=0)
        if x_next is None and kind == "REL" and value in ("OWNS", "PARENT_OF"):
            x_next = self._org_right_after(view, span.end)  # "Beta's owner Acme", "Beta's parent company Acme"
        before = span.start
        while before - 1 > sent.start and (doc[before - 1].pos_ == "ADJ"
                                           or doc[before - 1].ent_type_ in ("GPE", "NORP")
                                           or self._function_word(doc[before - 1])) \
                and doc[before - 1].lower_ not in self.past:
            before -= 1
        y_pre = view.mention_ending_before(before)
        if y_pre is not None and y_pre.type == "Person" and x_next is not None and not y_pre.titled:
            y_pre.type = "Unknown"  # "Acme North America president Jane Roe": a name before a title is no person
        if y_pre is None and before - 1 >= sent.start and doc[before - 1].lower_ in self.possessive_pronouns:
            y_pre = self._possessor(view, before - 1)
        return NounSite(view, span, kind, value, self._is_past(view, span), y, unit, x_next, before, y_pre)

    def _resigner(self, view: SentenceView, span: Span) -> list[Candidate]:
        """"Jean Dupont, l'un des démissionnaires", "un des journalistes démissionnaires, Jean Dupont": the
        employer is the organisation the article is about (settled later)."""
        x = self._x_before_comma(view, span.start) or self._person_after(view, span.end, gap=1)
        if x is None or x.type != "Person":
            return []
        return [Candidate(x, "LEFT", None, view.sent, f"{self.lang}.name-resigner", 0.55, span.root.i)]

    def _complement_configurations(self, site: NounSite) -> list[Pair]:
        """The organisation follows the noun: "the chief executive of Acme, Jane Roe" (role-of-org-name, unless
        a name stands before the title: then the name after the organisation is the next item of a list),
        "analyst Jane Roe of Acme" (role-name-of-org), "Jane Roe, an analyst at Acme" (name-comma-role-of-org),
        "Jane Roe is the head of Acme" / "Beta est la filiale d'Acme" (name-is-role-of-org)."""
        view, y = site.view, site.y
        pairs: list[Pair] = []
        if y is None and site.x_next is not None:
            y2, _ = self._org_after(view, site.x_next.end)
            if y2 is not None and y2 is not site.x_next:
                pairs.append((site.x_next, y2, "role-name-of-org"))
        if y is None:
            return pairs
        x = self._x_before_comma(view, site.span.start)
        if x is not None:  # in a list "X, role of A, Y, role of B" the name after A is the next entry's
            return pairs + [(p, y, "name-comma-role-of-org") for p in view.expand_list_backwards(x)]
        x = self._person_after(view, view.mention_after_possessive(y.end))
        if x is not None:
            pairs += [(p, y, "role-of-org-name") for p in view.expand_list(x)]
        x = self._copula_subject(view, site.span)
        if x is not None:
            pairs.append((x, y, "name-is-role-of-org"))
        return pairs

    def _appointed_role_of_org(self, site: NounSite) -> list[Pair]:
        """"Jane Roe, a former reporter, becomes editor-in-chief of Acme": the appointment verb's subject."""
        if site.y is None:
            return []
        cue = self._appointment_verb(site.span)
        x = self._cue_subject(site.view, cue) if cue is not None else None
        return [(x, site.y, "appointed-role-of-org")] if x is not None else []

    def _possessor_configurations(self, site: NounSite) -> list[Pair]:
        """The organisation precedes the noun: "Acme chairman Jane Roe", "Acme's chief executive Jane Roe", "its
        chief executive Jane Roe" (org-role-name); "Jane Roe, Acme's chairman" (name-comma-org-role, only when no
        name follows the title: in "X, Acme chairman Y" the title is Y's)."""
        view, y_pre = site.view, site.y_pre
        if y_pre is None or y_pre.type not in ORGISH:
            return []
        pairs: list[Pair] = []
        if site.x_next is not None:
            pairs += [(p, y_pre, "org-role-name") for p in view.expand_list(site.x_next)]
        sent_start = view.sent.start
        comma = y_pre.start - 1  # "Jane Roe, Acme's chairman", "Beta, an Acme subsidiary": a determiner may intervene
        while comma > sent_start and view.doc[comma].lower_ in self.determiners:
            comma -= 1
        comma_before = comma >= sent_start and view.doc[comma].text == ","
        if site.x_next is None and site.before - 1 >= sent_start and comma_before:
            x = view.mention_ending_before(comma)
            # a title names a person; a relation may name a company too ("Beta, an Acme unit")
            named = ("Person", "Unknown") if site.kind == "ROLE" else ("Person", *ORGISH, "Product")
            if x is not None and x.type in named and not (x.start <= y_pre.start < x.end):
                pairs.append((x, y_pre, "name-comma-org-role"))
        return pairs

    def _unit_configurations(self, site: NounSite) -> list[Pair]:
        """"Acme's Beta unit" (org-unit-noun); "Acme has a research arm - Beta", "Acme's main wine business is
        Beta" (org-has-unit-named)."""
        view, doc, sent = site.view, site.view.doc, site.view.sent
        pairs: list[Pair] = []
        x = view.by_end.get(site.before)
        if x is not None and x.type in ORGISH:
            parent = view.mention_ending_before(x.start)
            if parent is None and x.start - 1 >= sent.start and doc[x.start - 1].lower_ in self.possessive_pronouns:
                parent = self._possessor(view, x.start - 1)
            if parent is not None and parent is not x:
                pairs.append((x, parent, "org-unit-noun"))
        k = site.span.end
        named = None
        if k + 1 < sent.end and (doc[k].text in ("-", "–", "—", ":") or (
                doc[k].lemma_ in ("be", "être") and doc[k].pos_ in ("AUX", "VERB"))):
            named = view.by_start.get(k + 1)
        if named is not None and named.type in ORGISH:
            owner = site.y_pre or self._owner_by_verb(view, site.span)
            if owner is not None and owner.type in ORGISH and owner.key != named.key:
                pairs.append((named, owner, "org-has-unit-named"))
        return pairs

    def _owner_by_verb(self, view: SentenceView, span: Span) -> Mention | None:
        """The subject of "have"/"own" governing the noun ("Acme has a research arm"), "it" resolved."""
        verb = span.root.head
        for _ in range(3):
            if verb.lemma_ in OWNING_VERBS or verb.head is verb:
                break
            verb = verb.head
        if verb.lemma_ not in OWNING_VERBS:
            return None
        subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
        if subj is None:
            return None
        return view.by_token.get(subj.i) or (
            self._topic_before(view, subj.i) if subj.lower_ in ("it", "il", "elle") else None)

    def _candidates(self, site: NounSite, pairs: list[Pair]) -> list[Candidate]:
        view, span, kind, value = site.view, site.span, site.kind, site.value
        sent = view.sent
        out: list[Candidate] = []
        seen = set()
        if kind == "REL" and value in ("OWNS", "PARENT_OF"):  # "owner of Beta and Gamma", "parent of Beta and Gamma"
            pairs = [(x, y2, rule) for x, y, rule in pairs for y2 in view.expand_list(y)]
        for x, y, rule in pairs:
            if x is y or x.key == y.key or (x.key, y.key) in seen:
                continue
            seen.add((x.key, y.key))
            if kind == "ROLE":
                if x.type not in ("Person", "Unknown"):
                    continue
                role = self._role_for(value, site.unit if rule != "org-role-name" else [], y, span)
                predicate = FORMER_ROLE if site.past else "WORKS_FOR"
                cue = None if site.past else self._appointment_verb(span)
                modality: str | None = "asserted"
                if cue is not None:
                    predicate = "JOINED"
                    subject = self._cue_subject(view, cue)
                    if subject is not None:
                        x = subject
                    modality, _ = self.qualifiers.modality(sent, cue, False)
                    if modality is None:
                        continue
                out.append(Candidate(x, predicate, y, sent, f"{self.lang}.{rule}", ROLE_CONFIDENCE, span.root.i,
                                     role=role, modality=modality or "asserted"))
            elif kind == "REL":
                if site.past and value != "FOUNDED":
                    continue
                predicate = value
                if value == "PARENT_OF":
                    x, y, predicate = y, x, "SUBSIDIARY_OF"
                out.append(Candidate(x, predicate, y, sent, f"{self.lang}.{rule}.{predicate.lower()}",
                                     ROLE_CONFIDENCE - 0.05, span.root.i))
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
                    i -= 1  # "Ms Roe has (since 2002) been"
                return view.mention_ending_before(i)
            if tok.lower_ in self.determiners or tok.pos_ in ("ADJ", "ADV", "DET"):
                i -= 1
                steps += 1
                continue
            return None
        return None

    def _topic_before(self, view: SentenceView, index: int) -> Mention | None:
        """What a subject "it" stands for: an organisation that is a subject or possessor earlier in the
        sentence ("Although Acme's brands include Zeta, it has…"), else the article's company."""
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
                m.type = "Unknown"  # "Jane Roe ... its chief executive": a company named after a person
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
