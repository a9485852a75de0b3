"""Facts carried by trigger words and their syntactic arguments: "Acme bought Beta", "Beta a été rachetée par
Acme", "Acme porte plainte contre Beta", "Acme's takeover of Beta".

Each pattern is one line of `ingest/data/<lang>/patterns.jsonl` (`resources.TriggerPattern`): trigger lemmas
(verbs) or nouns, where the subject and object sit (dependency labels, prepositions), whether the passive swaps
them, the types each slot accepts, and an invented example sentence with the facts it must give. This module
reads the arguments of a trigger the same way for every pattern: by the trigger's part of speech and voice."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Span, Token

from ingest.extraction.candidates import JOIN_ATTEMPT, Candidate
from ingest.extraction.mentions import Mention
from ingest.extraction.qualifiers import QualifierReader
from ingest.extraction.resources import TriggerPattern, trigger_patterns
from ingest.extraction.sentence import SentenceView
from kg.model import entity_id_for

SUBJECT_DEPS = ("nsubj",)
PASSIVE_SUBJECT_DEPS = ("nsubjpass", "nsubj:pass")
AGENT_DEPS = ("agent", "obl:agent")
RELATIVE_PRONOUNS = ("who", "which", "that", "qui", "que", "lequel", "laquelle")
DEFINITE = ("the", "le", "la", "l'")
DEMONSTRATIVE = {"this", "that", "ce", "cet", "cette"}
NAMED_AS_DEPS = ("oprd", "xcomp", "dobj", "obj", "attr", "nmod", "appos")  # "called Zeta", "baptisé Zeta"


@dataclass
class Arguments:
    """What one trigger's syntax gives: the mentions in the subject and object slots, and the tokens the
    object slot held (a slot with tokens but no name is not a missing object)."""

    subjects: list[Mention]
    objects: list[Mention]
    object_tokens: list[Token] = field(default_factory=list)


class FrameRules:
    def __init__(self, lexicon: dict[str, Any], qualifiers: QualifierReader) -> None:
        self.lang = lexicon["language"]
        self.q = qualifiers
        self.generic_nouns = frozenset(lexicon["generic_org_nouns"])
        self.product_nouns = frozenset(lexicon["product_nouns"])
        # nouns whose complement names the organisation: "ses fonctions de directeur chez Beta",
        # "its Beta insurance arm", "Acme's board"
        self.container_nouns = self.generic_nouns | frozenset(lexicon["position_nouns"]) | frozenset(
            lexicon["relations"]["SUBSIDIARY_OF"])
        self.person_pronouns = frozenset(lexicon["person_pronouns"])
        self.role_nouns = frozenset(k for k in lexicon["roles"] if " " not in k)
        self.neuter_pronouns = frozenset(lexicon["neuter_pronouns"])
        self.demonstratives = frozenset(lexicon["demonstrative_pronouns"])
        self.between_preps = list(lexicon["between_prepositions"])
        self.agreement_verbs = frozenset(lexicon["agreement_verbs"])
        self.naming_verbs = frozenset(lexicon["naming_verbs"])
        self.by_lemma: dict[str, list[tuple[TriggerPattern, str | None]]] = {}
        self.by_noun: dict[str, list[TriggerPattern]] = {}
        for frame in trigger_patterns(self.lang):
            for lemma in frame.lemmas:
                head, _, particle = lemma.partition(" ")
                self.by_lemma.setdefault(head, []).append((frame, particle or None))
            for noun in frame.nouns:
                self.by_noun.setdefault(noun.split()[-1], []).append(frame)

    def triggers(self, sent: Span) -> list[tuple[Token, TriggerPattern]]:
        found = []
        for tok in sent:
            pos = tok.pos_
            verbal = pos in ("VERB", "AUX") or (pos == "ADJ" and (tok.tag_ in ("VBN", "VBG") or self.lang == "fr"))
            if verbal:
                frames = self.by_lemma.get(tok.lemma_.lower()) or self.by_lemma.get(tok.lower_) or (
                    self.by_lemma.get(tok.lower_ + "r") if self.lang == "fr" else None)  # headline lemmas go wrong
                if frames:
                    for frame, particle in frames:
                        if particle is None or self._has_particle(tok, particle):
                            found.append((tok, frame))
            elif pos in ("NOUN", "PROPN"):
                for frame in self.by_noun.get(tok.lemma_.lower(), ()):
                    found.append((tok, frame))
        return found

    @staticmethod
    def _has_particle(tok: Token, particle: str) -> bool:
        words = particle.split()
        following = [t.lower_ for t in tok.doc[tok.i + 1:tok.i + 1 + len(words) + 1]]
        return any(child.lower_ == words[0] and child.dep_ in ("prt", "prep", "compound:prt", "dobj", "obj")
                   for child in tok.children) or \
            following[:len(words)] == words

    # -- arguments -------------------------------------------------------------------------------------
    def _prep_objects(self, tok: Token, preps: tuple[str, ...] | list[str]) -> list[Token]:
        """The complements of `tok` introduced by one of `preps` (English "by" also as a passive agent: "a round
        led by X")."""
        out = []
        for child in tok.children:
            if child.dep_ in ("prep", "agent") and child.lower_ in preps:
                out += [g for g in child.children if g.dep_ in ("pobj", "pcomp")]
            elif child.dep_.startswith(("obl", "nmod", "iobj")) and child.dep_ != "obl:agent":
                if any(g.dep_ == "case" and g.lower_ in preps for g in child.children):
                    out.append(child)
        return out

    def _subjects(self, view: SentenceView, tok: Token) -> list[Token]:
        cur = tok
        for _ in range(4):
            subs = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
            if subs:
                return subs
            if cur.dep_ in ("xcomp", "conj", "advcl") and cur.head is not cur:
                cur = cur.head
                continue
            if cur.dep_ in ("relcl", "acl:relcl", "acl") and cur.head is not cur:
                return [cur.head]
            break
        # a parse that lost the subject: the name right before the governing verb ("Jean Dupont va de l'avant")
        i = cur.i - 1
        while i >= view.sent.start and view.doc[i].pos_ in ("AUX", "ADV", "PART"):
            i -= 1
        m = view.by_token.get(i)
        if m is not None and m.end == i + 1:
            return [view.doc[m.start]]
        return []

    def _person_antecedent(self, view: SentenceView, pron: Token) -> Mention | None:
        """"il"/"he": the nearest person named before it in the sentence, else the last one of the previous sentence."""
        for m in reversed(view.mentions):
            if m.end <= pron.i and m.type == "Person" and any(
                    view.doc[k].dep_ in ("nsubj", "nsubj:pass", "nsubjpass") for k in range(m.start, m.end)):
                return m
        prev_start = view.doc[view.sent.start - 1].sent.start if view.sent.start > 0 else None
        if prev_start is None:
            return None
        people = [m for m in view.doc_mentions if prev_start <= m.start < view.sent.start and m.type == "Person"]
        if people:
            return people[-1]
        # no one in the previous sentence: the person the article is about (most mentioned so far)
        counts: dict[str, int] = {}
        first: dict[str, Mention] = {}
        for m in view.doc_mentions:
            if m.start >= view.sent.start:
                break
            if m.type == "Person":
                counts[m.key] = counts.get(m.key, 0) + 1
                first.setdefault(m.key, m)
        if not counts:
            return None
        best = max(counts, key=lambda k: (counts[k], -first[k].start))
        return first[best] if counts[best] >= 2 else None

    def _antecedent(self, view: SentenceView, pron: Token) -> Mention | None:
        """What "its"/"it"/"son" stands for: the nearest organisation before it in the sentence, else the only
        organisation of the previous sentence."""
        for m in reversed(view.mentions):
            if m.end <= pron.i and m.type in ("Organization", "Unknown", "Proper"):
                return m
        prev_start = view.doc[view.sent.start - 1].sent.start if view.sent.start > 0 else None
        if prev_start is None:
            return None
        if pron.lower_ in self.demonstratives:  # "…la plateforme Zeta. Celle-ci appartient à Acme"
            prev = [m for m in view.doc_mentions if prev_start <= m.start < view.sent.start
                    and m.type in ("Organization", "Product", "Unknown", "Proper")]
            return prev[-1] if prev else None
        orgs = {m.key: m for m in view.doc_mentions if prev_start <= m.start < view.sent.start
                and m.type in ("Organization", "Unknown", "Proper")}
        return next(iter(orgs.values())) if len(orgs) == 1 else None

    def _resolve(self, view: SentenceView, toks: list[Token], conjuncts: bool = True) -> list[Mention]:
        out: list[Mention] = []

        def add(m: Mention | None, listed: bool) -> None:
            if m is None:
                return
            for x in view.expand_list(m) if listed else [m]:
                if x not in out:
                    out.append(x)

        for t in toks:
            low = t.lower_
            if low in self.person_pronouns and t.pos_ == "PRON":
                add(self._clause_subject(view, t) or self._person_antecedent(view, t), False)
                continue
            if low in self.neuter_pronouns and t.pos_ == "PRON":
                add(self._antecedent(view, t), False)
                continue
            if low in RELATIVE_PRONOUNS and t.head.dep_ in ("relcl", "acl:relcl"):
                t = t.head.head
            for u in [t, *t.conjuncts] if conjuncts else [t]:
                m = view.mention_for(u, self.container_nouns) or self._named_by_participle(view, u)
                if m is None and u.lemma_.lower() in self.role_nouns:
                    # "les anciens ingénieurs d'Acme Jean Dupont et Marie Martin ont quitté…"
                    before = len(out)
                    for child in u.children:
                        p = view.by_token.get(child.i)
                        if p is not None and p.type == "Person" and child.dep_ in ("nmod", "appos", "flat", "compound"):
                            for v in [child, *child.conjuncts]:
                                add(view.by_token.get(v.i), False)
                    if len(out) == before:
                        # "par le directeur d'une petite agence, Acme, Jean Dupont": the name after a comma
                        for j in range(u.i + 1, min(view.sent.end, u.i + 13)):
                            if view.doc[j].pos_ in ("VERB", "AUX"):
                                break
                            p = view.by_start.get(j)
                            if p is not None and p.type == "Person" and view.doc[j - 1].text == ",":
                                add(p, False)
                                break
                if m is None and u.lemma_.lower() in self.generic_nouns and not any(
                        c.dep_ in ("nmod", "compound", "acl", "appos") for c in u.children):
                    dets = {c.lower_ for c in u.children if c.dep_ == "det"}
                    if dets & DEMONSTRATIVE:  # "Ce groupe informatique": the organisation just named
                        m = view.last_org_before()
                    elif dets & set(DEFINITE):  # "the firm", "le groupe": the one the text is about
                        m = view.recent_subject_org() or view.salient_org()
                add(m, conjuncts)
        return out

    def _named_by_participle(self, view: SentenceView, noun: Token) -> Mention | None:
        """"a new tool called Zeta", "un outil baptisé Zeta": the name the noun is given."""
        for child in noun.children:
            if child.dep_ == "acl" and child.lemma_.lower() in self.naming_verbs:
                for name in child.children:
                    m = view.by_token.get(name.i) if name.dep_ in NAMED_AS_DEPS else None
                    if m is not None:
                        return m
        return None

    def _clause_subject(self, view: SentenceView, pron: Token) -> Mention | None:
        """"Acme … a annoncé qu'elle prévoyait…": a subject pronoun in a reported clause is the reporter."""
        cur = pron.head
        for _ in range(3):
            if cur.dep_ in ("ccomp", "advcl", "xcomp") and cur.head is not cur:
                cur = cur.head
                subs = [c for c in cur.children if c.dep_ in SUBJECT_DEPS and c.i < pron.i]
                for sub in subs:
                    m = view.mention_for(sub, self.generic_nouns)
                    if m is not None:
                        return m
            else:
                break
        return None

    def _generic_product(self, view: SentenceView, tok: Token) -> Mention | None:
        """"the launch of its 3G phones" → a product named by its kind: modifiers + the singular noun."""
        if tok.lemma_.lower() not in self.product_nouns or tok.i in view.by_token:
            return None
        mods = [c for c in tok.children if c.dep_ in ("compound", "nummod", "amod", "nmod") and c.i < tok.i
                and (c.pos_ in ("PROPN", "NUM") or any(ch.isdigit() for ch in c.text) or c.is_upper)]
        if not mods and self.lang == "fr":
            mods = [c for c in tok.children if c.dep_ in ("amod",) and c.i > tok.i and c.pos_ == "ADJ"]
        if not mods:
            return None
        words = sorted([*mods, tok], key=lambda t: t.i)
        start, end = words[0].i, words[-1].i + 1
        if start < tok.i:  # "its 3G handsets": a modifier's own modifiers belong to the name ("3" of "G")
            start = min(start, *(m.left_edge.i for m in mods if m.i < tok.i))
        doc = view.doc
        if tok.i == start:  # French: noun first, then its adjectives
            name = tok.lemma_ + " " + doc[tok.i + 1:end].text
        else:
            name = doc[start:tok.i].text + " " + tok.lemma_.lower()
        return Mention(start, end, name, "Product", key=entity_id_for("Product", name))

    def find(self, view: SentenceView) -> list[Candidate]:
        out: list[Candidate] = []
        for tok, frame in self.triggers(view.sent):
            out.extend(self._apply(view, tok, frame))
        return out

    def _apply(self, view: SentenceView, tok: Token, frame: TriggerPattern) -> list[Candidate]:
        if frame.require_words and not any(w in view.sent.text.lower() for w in frame.require_words):
            return []
        passive = self._is_passive(tok)
        if frame.passive_only and not passive:
            return []
        if tok.pos_ in ("NOUN", "PROPN"):
            args = self._noun_arguments(view, tok, frame)
        elif passive and (frame.passive or frame.passive_only):
            args = self._passive_arguments(view, tok, frame)
        else:
            args = self._active_arguments(view, tok, frame)
        if frame.object_heads:
            args = self._owners_of_heads(view, tok, args, frozenset(frame.object_heads))
        return self._candidates(view, tok, frame, args)

    @staticmethod
    def _owners_of_heads(view: SentenceView, tok: Token, args: Arguments, heads: frozenset[str]) -> Arguments:
        """Objects named through a head noun of the pattern: "participated in Beta's latest round" → Beta, "Beta's
        round was led by X" → Beta; a slot whose head is another noun gives nothing ("led the company")."""
        owners: list[Mention] = []
        slot = args.object_tokens or [c for c in tok.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        for t in slot:
            m = view.mention_for(t, heads) if t.lemma_.lower() in heads else None
            if m is not None and m not in owners and m not in args.subjects:
                owners.append(m)
        return Arguments(args.subjects, owners, args.object_tokens)

    def _is_passive(self, tok: Token) -> bool:
        """Passive only with its auxiliary or agent (the parser sometimes labels an active subject nsubj:pass),
        or a past participle modifying a noun ("Beta, acquired by Acme", "Beta, rachetée par Acme")."""
        if any(c.dep_ in ("auxpass", "aux:pass", "agent", "obl:agent") or (
                c.dep_.startswith("obl") and any(g.lower_ == "par" and g.dep_ == "case" for g in c.children))
               for c in tok.children):
            return True
        if tok.tag_ == "VBN" and tok.dep_ in ("acl", "amod"):
            return True
        if self._is_past_participle(tok) and any(  # "Marie Dupont, débauchée par TF1": the parser's nmod agent
                c.dep_ == "nmod" and any(g.lower_ == "par" and g.dep_ == "case" for g in c.children)
                for c in tok.children):
            return True
        return self.lang == "fr" and tok.dep_ in ("acl", "amod") and self._is_past_participle(tok)

    def _is_past_participle(self, tok: Token) -> bool:
        return tok.tag_ == "VBN" or ("Part" in tok.morph.get("VerbForm", []) and "Past" in tok.morph.get("Tense", []))

    @staticmethod
    def _after_comma(tok: Token) -> bool:
        """A participle that opens an apposition ("Deezer, cofondé en 2007 par…"), whatever the parse made of it."""
        return tok.i > tok.sent.start and tok.doc[tok.i - 1].text == ","

    def _noun_arguments(self, view: SentenceView, tok: Token, frame: TriggerPattern) -> Arguments:
        """"Acme's takeover of Beta", "la démission de Jean Dupont", "a round led by Fund X"."""
        obj_toks = self._prep_objects(tok, frame.object_prep)
        if not obj_toks and frame.object_prep:
            # "signed a series of deals … with Beta": the parser often hangs the PP on the governor
            gov = tok.head
            for _ in range(2):
                if gov is gov.head:
                    break
                obj_toks = [t for t in self._prep_objects(gov, frame.object_prep) if t.i > tok.i]
                if obj_toks:
                    break
                gov = gov.head
        subjects: list[Mention] = []
        if frame.subject_prep:
            subjects = self._resolve(view, self._prep_objects(tok, frame.subject_prep))
            if not subjects:  # "la démission soudaine en mai de Jean Dupont", "a round led by X": one level down
                for child in tok.children:
                    subjects += [m for m in self._resolve(view, self._prep_objects(child, frame.subject_prep))
                                 if m not in subjects and (m.type == "Person" or child.i not in view.by_token
                                                           or frame.object_is_clause_subject)]
                # "le rachat de Beta par Acme": the agent often hangs on the object's name
                for obj in obj_toks:
                    subjects += [m for m in self._resolve(view, self._prep_objects(obj, frame.subject_prep))
                                 if m not in subjects]
        if not subjects and not frame.object_is_clause_subject:
            subjects = self._noun_subjects(view, tok)
        # "la démission de Jean Dupont de Beta": the same preposition introduces the subject, then the object
        complements = [t for t in obj_toks if view.by_token.get(t.i) not in subjects]
        if not complements:
            for sub in self._prep_objects(tok, frame.subject_prep):
                complements += self._prep_objects(sub, frame.object_prep)
        objects = [m for m in self._resolve(view, complements) if m not in subjects]
        if frame.object_is_clause_subject:
            objects = self._noun_subjects(view, tok, possessor=False, verbs=frame.clause_verbs)
        if frame.predicate == "PARTNERED_WITH":
            between = self._resolve(view, self._prep_objects(tok, self.between_preps))
            if len(between) >= 2:  # "un accord entre Acme et Beta"
                subjects, objects = between[:1], between[1:]
        return Arguments(subjects, objects, obj_toks)

    def _passive_arguments(self, view: SentenceView, tok: Token, frame: TriggerPattern) -> Arguments:
        """"Beta was bought by Acme", "Beta, rachetée par Acme", "Beta is majority-owned by Acme"."""
        objs = [c for c in tok.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        if not objs and tok.dep_ in ("acomp", "attr", "oprd", "xcomp"):  # "X is majority-owned by Y"
            objs = [c for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")]
        participle = not objs and (tok.dep_ in ("acl", "amod") or (
            self._is_past_participle(tok) and self._after_comma(tok)))
        if participle:  # "Beta, créée par Jean Dupont": the participle agrees with its own noun only
            objs = [tok.head]
            i = tok.i - 1
            while i > view.sent.start and view.doc[i].is_punct:
                i -= 1
            near = view.by_token.get(i)
            if near is not None:
                objs = [view.doc[near.start]]
        objects = self._resolve(view, objs, conjuncts=not participle)
        agents: list[Token] = []
        for c in tok.children:
            if c.dep_ == "agent":
                agents += [g for g in c.children if g.dep_ == "pobj"]
            elif c.dep_ == "obl:agent" or (c.dep_.startswith(("obl", "nmod")) and any(
                    g.lower_ == "par" for g in c.children if g.dep_ == "case")):
                agents.append(c)
        subjects = self._resolve(view, agents)
        if frame.subject_prep:
            subjects = self._resolve(view, self._prep_objects(tok, frame.subject_prep))
        return Arguments(subjects, objects, [])

    def _active_arguments(self, view: SentenceView, tok: Token, frame: TriggerPattern) -> Arguments:
        """"Acme bought Beta", "Acme a racheté Beta", "Acme sold Beta to Gamma" (subject_prep: Gamma bought)."""
        subj_toks = self._subjects(view, tok) or [c for c in tok.children if c.dep_ in PASSIVE_SUBJECT_DEPS]
        subjects = self._resolve(view, subj_toks)
        obj_toks = [c for c in tok.children if c.dep_ in frame.object] if frame.object else []
        if frame.object and not obj_toks:  # "Acme a racheté Beta" parsed without its object
            j = tok.i + 1
            while j < view.sent.end and view.doc[j].pos_ in ("ADV", "DET") and j - tok.i < 4:
                j += 1
            nxt = view.by_start.get(j)
            if nxt is not None and nxt not in subjects:
                obj_toks = [view.doc[nxt.start]]
        complements = self._prep_objects(tok, frame.object_prep)
        if not complements and not frame.object:
            # "left Acme for Beta", "a levé 5 M€ auprès de Beta": the PP often hangs on the verb's object or adverb
            for obj in tok.children:
                if obj.dep_ in ("dobj", "obj", "advmod"):
                    complements += self._prep_objects(obj, frame.object_prep)
        obj_toks += complements
        objects = self._resolve(view, obj_toks)
        if frame.subject_prep:
            subjects = self._resolve(view, self._prep_objects(tok, frame.subject_prep))
        return Arguments(subjects, objects, obj_toks)

    def _candidates(self, view: SentenceView, tok: Token, frame: TriggerPattern, args: Arguments) -> list[Candidate]:
        sent = view.sent
        subjects, objects, obj_toks = args.subjects, args.objects, args.object_tokens
        if not objects and obj_toks and frame.object_types == ("Product",):
            objects = [m for m in (self._generic_product(view, t) for t in obj_toks) if m is not None]
        if frame.swap:
            subjects, objects = objects, subjects
        symmetric = frame.predicate == "PARTNERED_WITH" and (
            tok.pos_ not in ("NOUN", "PROPN") or (not obj_toks and self._agreed_between_subjects(tok)))
        if symmetric and not objects and len(subjects) >= 2:  # "Acme and Beta have teamed up"
            subjects, objects = subjects[:1], subjects[1:]
        modality, status = self.q.modality(sent, tok, frame.deal)
        if modality is None:
            return []
        out = []
        targets: list[Mention | None] = list(objects)
        if not objects and not obj_toks and frame.allow_missing_object:
            targets = [None]  # filled from context later ("has resigned")
        if frame.predicate == "JOINED" and not objects and obj_toks and subjects:
            for s in subjects:
                out.append(Candidate(s, JOIN_ATTEMPT, None, sent, frame.id, 0.5, tok.i, modality=modality))
        for s in subjects:
            if frame.subject_types and not _fits(s.type, frame.subject_types):
                continue
            for o in targets:
                if o is not None and (o is s or o.key == s.key):
                    continue
                object_type = self._object_type(o, frame)
                if (o is not None and frame.object_types and object_type is None
                        and not _fits(o.type, frame.object_types)):
                    continue
                predicate = frame.predicate
                if predicate == "ACQUIRED" and o is not None and o.type == "Product":
                    predicate = "PURCHASED"
                out.append(Candidate(s, predicate, o, sent, frame.id, frame.score, tok.i, modality=modality,
                                     status=status if predicate == "ACQUIRED" else None, object_type=object_type))
        return out

    def _agreed_between_subjects(self, noun: Token) -> bool:
        """"Acme and Beta signed a partnership": the agreement noun is the object of a verb of concluding one, so
        its joint subjects are the parties (not "Acme and Beta raised money through deals")."""
        return noun.dep_ in ("dobj", "obj") and noun.head.lemma_.lower() in self.agreement_verbs

    @staticmethod
    def _object_type(o: Mention | None, frame: TriggerPattern) -> str | None:
        """The slot's type for a name the knowledge base does not know, when the pattern says what its object
        is ("Acme launched Zeta": Zeta is a product, whatever NER guessed); None otherwise."""
        if o is None or frame.uncatalogued_object is None or o.kb is not None or o.type == "Person":
            return None
        return frame.uncatalogued_object

    def _noun_subjects(self, view: SentenceView, tok: Token, possessor: bool = True,
                       verbs: tuple[str, ...] = ()) -> list[Mention]:
        """Who takes over / sues / invests, for a noun trigger: its possessor, else the clause subject (of a verb
        among `verbs` when given)."""
        for child in tok.children if possessor else ():
            if child.dep_ in ("poss", "nmod:poss") or (child.dep_ == "det" and "Yes" in child.morph.get("Poss", [])):
                m = view.mention_for(child)
                if m is not None:
                    return [m]
                if child.pos_ in ("PRON", "DET"):
                    m = self._antecedent(view, child)
                    return [m] if m is not None else []
                return []
        cur = tok
        for _ in range(4):
            if cur.head is cur:
                break
            cur = cur.head
            if cur.pos_ in ("VERB", "AUX"):
                if verbs and cur.lemma_.lower() not in verbs:
                    return []
                subs = self._subjects(view, cur)
                if subs:
                    return self._resolve(view, subs)
        return []


def _fits(mention_type: str, allowed: tuple[str, ...]) -> bool:
    if mention_type in allowed:
        return True
    if mention_type == "Unknown":
        return True
    return mention_type == "Proper" and ("Organization" in allowed or "Product" in allowed)
