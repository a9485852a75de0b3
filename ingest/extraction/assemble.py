"""From the candidates of one document to the domain's entities and facts: rules that look across
sentences (who left which employer, "X left A to join B"), entity typing by slot, dates resolved
against the publication date, duplicates merged."""

from __future__ import annotations

from collections import Counter

from ingest.extraction.candidates import FORMER_ROLE, JOIN_ATTEMPT, REPLACES, ROLE_ONLY, SIGNATURES, SUCCEEDS, Candidate
from ingest.extraction.component import DocFacts
from ingest.extraction.departures import drop_contradicted_employment
from ingest.extraction.events import fold_undated_reports
from ingest.extraction.mentions import EntityInfo, Mention
from ingest.extraction.resources import lexicon
from ingest.extraction.spans import candidate_span, former_role_as_state, in_stated_span
from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers, entity_id_for, fold

UNDATED = ("WORKS_FOR", "SUBSIDIARY_OF")  # states, not events: a date near them dates something else
INTERNAL = (FORMER_ROLE, JOIN_ATTEMPT, ROLE_ONLY, REPLACES, SUCCEEDS)
_SUFFIXES = (" Inc.", " Inc", " Corp.", " Corp", " Ltd", " Ltd.", " plc", " PLC", " LLC", " SA", " AG")


def _salient_org(facts: DocFacts, before: int) -> Mention | None:
    counts: Counter[str] = Counter()
    first: dict[str, Mention] = {}
    for m in facts.mentions:
        if m.start >= before:
            break
        if m.type == "Organization":
            counts[m.key] += 1
            first.setdefault(m.key, m)
    if not counts:
        return None
    best = max(counts, key=lambda k: (counts[k], -first[k].start))
    return first[best]


def _generic_org_reference(cand: Candidate, nouns: set[str]) -> bool:
    sent = cand.sent
    for tok in sent:
        if tok.lemma_.lower() in nouns and any(
            c.lower_ in ("the", "le", "la", "l'", "this", "ce", "cette") for c in tok.children
        ):
            return True
    return False


def cross_sentence_rules(facts: DocFacts, doc) -> list[Candidate]:
    cands = [c for c in facts.candidates if not c.rule.startswith("model:")]
    nouns = set(lexicon(facts.lang)["generic_org_nouns"])
    roles: dict[tuple[str, str], str] = {}
    employer: dict[str, Candidate] = {}
    titles: dict[str, str] = {}
    for c in cands:
        if c.predicate in ("WORKS_FOR", FORMER_ROLE) and c.object is not None:
            if c.role:
                roles.setdefault((c.subject.key, c.object.key), c.role)
            employer.setdefault(c.subject.key, c)
        if c.role and c.predicate in ("WORKS_FOR", ROLE_ONLY):
            titles.setdefault(c.subject.key, c.role)
    out: list[Candidate] = []
    by_sentence: dict[int, list[Candidate]] = {}
    for c in cands:
        by_sentence.setdefault(c.sent.start, []).append(c)
    for group in by_sentence.values():
        joins = {c.subject.key: c for c in group if c.predicate in ("JOINED", JOIN_ATTEMPT)}
        for c in [c for c in group if c.predicate in (REPLACES, SUCCEEDS) and c.object is not None]:
            joined = joins.get(c.subject.key)
            org = joined.object if joined is not None and joined.object is not None else None
            if org is None and c.object.key in employer:
                org = employer[c.object.key].object
            if org is None:
                org = _salient_org(facts, c.sent.start)
            if org is None:
                continue
            role = roles.get((c.object.key, org.key)) or titles.get(c.object.key)
            if joined is None or joined.object is None:
                new = _replace(c, "JOINED", object=org, role=role)
                new.subject = c.subject
                out.append(new)
                joins[c.subject.key] = new
            if c.predicate == REPLACES:
                out.append(_replace(c, "LEFT", subject=c.object, object=org, role=role))
        for c in group:
            if c.predicate == "LEFT" and c.subject.key in joins:
                if c.object is not None:  # "X left A to join B"
                    out.append(_replace(c, "HIRED_FROM"))
                continue
            if c.predicate == FORMER_ROLE and c.subject.key in joins:  # "former Acme engineers X and Y join"
                j = joins[c.subject.key]
                out.append(_replace(c, "HIRED_FROM", modality=j.modality, trigger=j.trigger, dates=j.dates))
                continue
            if c.predicate in ("LEFT", "JOINED") and c.object is None:
                known = employer.get(c.subject.key)
                if _generic_org_reference(c, nouns):
                    c.object = _salient_org(facts, c.sent.start)
                elif known is not None and known.object is not None and c.predicate == "LEFT":
                    c.object = known.object
                else:
                    c.object = _salient_org(facts, c.sent.start)
                    c.confidence = min(c.confidence, 0.5)
                if c.object is None:
                    continue
            if c.predicate in ("LEFT", "JOINED") and c.role is None:
                c.role = roles.get((c.subject.key, c.object.key)) or (
                    titles.get(c.subject.key) if c.predicate == "LEFT" else None
                )
            if c.predicate in ("LEFT", "JOINED", "HIRED_FROM") and c.role is None and c.object is not None:
                c.role = roles.get((c.subject.key, c.object.key))
            out.append(c)
    # "X va quitter Acme … Il quitte ses fonctions chez Acme Studio" and elsewhere "X rejoint Beta": a
    # departure in an article that tells where the person goes is a recruitment away from the old employer
    joined: dict[str, set[str]] = {}
    for c in out:
        if c.predicate == "JOINED" and c.object is not None:
            joined.setdefault(c.subject.key, set()).add(c.object.key)
    for i, c in enumerate(out):
        if c.predicate == "LEFT" and c.object is not None and joined.get(c.subject.key, set()) - {c.object.key}:
            out[i] = _replace(c, "HIRED_FROM")
    # an appointment that has happened, with its post, means the person holds that post now
    left = {
        (c.subject.key, c.object.key) for c in out if c.predicate in ("LEFT", "HIRED_FROM") and c.object is not None
    }
    for c in list(out):
        if (c.predicate == "JOINED" and c.object is not None and c.role and c.modality == "asserted"
                and (c.subject.key, c.object.key) not in left and not any(d.year for d in c.dates)):
            out.append(_replace(c, "WORKS_FOR", dates=[], confidence=min(c.confidence, 0.6)))
    out.extend(_subsidiaries_by_name(facts, doc))
    return out


def _replace(c: Candidate, predicate: str, **changes) -> Candidate:
    from dataclasses import replace

    return replace(c, predicate=predicate, rule=c.rule + f">{predicate.lower()}", **changes)


def _subsidiaries_by_name(facts: DocFacts, doc) -> list[Candidate]:
    """"Acme Japan", "Acme Cloud": an organisation named after another one of the same article, by a place or a
    unit word. The parent must be named first: news gives a full name first and shortens it after ("Acme
    Networks … Acme"), so a short form that follows the long one is the same company, not its parent."""
    unit_words = set(lexicon(facts.lang).get("subsidiary_name_words", ()))
    orgs: dict[str, Mention] = {}
    for m in facts.mentions:
        if m.type == "Organization":
            orgs.setdefault(m.key, m)
    names = {fold(facts.entities[k].name): m for k, m in orgs.items() if k in facts.entities}
    out = []
    for k, m in orgs.items():
        info = facts.entities.get(k)
        if info is None:
            continue
        words = info.name.split()
        for n in range(len(words) - 1, 0, -1):
            parent = names.get(fold(" ".join(words[:n])))
            rest = words[n:]
            # a short code after a maker's name is a model ("Acme X5"), not a unit
            if parent is not None and parent.key != k and parent.start < m.start and all(
                    w in unit_words or _is_place(doc, m) for w in rest):
                out.append(Candidate(m, "SUBSIDIARY_OF", parent, doc[m.start].sent,
                                     f"{facts.lang}.name-prefix.subsidiary_of", 0.55, m.start))
                break
    return out


def _is_place(doc, m: Mention) -> bool:
    tail = doc[m.start:m.end][-1]
    return tail.ent_type_ in ("GPE", "LOC") or (tail.pos_ == "PROPN" and tail.ent_type_ in ("GPE",))


def _entity(info: EntityInfo, type_name: str) -> Entity:
    name = info.name
    if type_name == "Organization" and info.wikidata is None:
        for suffix in _SUFFIXES:
            shorter = name[: -len(suffix)]
            if name.endswith(suffix) and any(fold(a) == fold(shorter) for a in info.aliases):
                name = shorter
    if type_name == "Person":
        name = max((a for a in info.aliases | {name} if fold(a).split()[-1:] == fold(name).split()[-1:]),
                   key=lambda a: (len(a.split()), len(a)))
    kb_id = (
        info.key
        if info.key
        and not info.key.startswith(("person:", "organization:", "product:", "document:", "unknown:", "place:"))
        else None
    )
    return Entity(
        id=kb_id or entity_id_for(type_name, name),
        name=name,
        type=type_name,
        kind=info.kind,
        aliases=set(info.aliases) - {name},
        wikidata_id=info.wikidata,
    )


def _slot_type(m: Mention, info: EntityInfo, allowed: tuple[str, ...]) -> str | None:
    current = info.type if info.type not in ("Unknown", "Place", "Proper") else m.type
    if current in allowed:
        return current
    if current in ("Unknown", "Proper"):
        for t in ("Organization", "Product", "Person") if current == "Unknown" else ("Organization", "Product"):
            if t in allowed:
                return t
    if current == "Place" and "Organization" in allowed:
        return "Organization"
    return None


def build_extraction(article: Article, doc) -> ArticleExtraction:
    """The article's entities and facts from a document the pipeline (with our component) has processed."""
    facts: DocFacts = doc._.kg
    # "former CEO of A (2015-2019)" is the WORKS_FOR it was, before the mode keeps the rules' emitted predicates
    all_rules = [former_role_as_state(c, facts.lang) or c for c in cross_sentence_rules(facts, doc)]
    from_rules = all_rules
    if facts.rule_predicates is not None:  # mode "model" or "both": the rules speak only for these predicates
        from_rules = [c for c in from_rules if c.predicate in facts.rule_predicates]
    from_model = [c for c in facts.candidates if c.rule.startswith("model:")]
    cands = from_rules + drop_contradicted_employment(from_model, [*facts.candidates, *all_rules])
    entities: dict[str, Entity] = {}
    merged: dict[str, Fact] = {}
    for c in cands:
        if c.predicate in INTERNAL or c.object is None:
            continue
        subj_types, obj_types = SIGNATURES[c.predicate]
        s_info = facts.entities.get(c.subject.key)
        o_info = facts.entities.get(c.object.key)
        if o_info is None and c.object.type == "Product":  # a product named by its kind ("3G phone")
            o_info = facts.entities.setdefault(c.object.key, EntityInfo(c.object.key, c.object.text, "Product",
                                                                         aliases={c.object.text}))
        if s_info is None or o_info is None:
            continue
        s_type = c.subject_type or _slot_type(c.subject, s_info, subj_types)
        o_type = c.object_type or _slot_type(c.object, o_info, obj_types)
        if s_type is None or o_type is None:
            continue
        if (
            c.subject.type == "Place"
            and c.predicate not in ("SUED", "SIGNED", "PARTNERED_WITH")
            and s_info.kind is None
        ):
            continue
        if c.object.type == "Place" and c.predicate not in ("SUED", "WORKS_FOR", "FOUNDED") and o_info.kind is None:
            continue
        subject = _entity(s_info, s_type)
        obj = _entity(o_info, o_type)
        if subject.id == obj.id:
            continue
        subject = entities.setdefault(subject.id, subject)
        obj = entities.setdefault(obj.id, obj)
        future = c.modality == "planned" or c.status in ("planned", "announced") or _future_sentence(c.sent)
        date = None
        for d in c.dates if c.predicate not in UNDATED else ():
            if abs(d.token - c.trigger) > 20:
                break
            if not _same_clause(doc, d.token, c.trigger) or in_stated_span(c.sent, facts.lang, d.token):
                continue  # a state's stated bound ("CEO of A until 2020") dates no event of the sentence
            date = d.resolve(article.published, future=future)
            if date:
                break
        q = Qualifiers(
            date=date, quantity=c.quantity, approximate=c.approximate, amount=c.amount, currency=c.currency,
            role=c.role, status=c.status, modality=c.modality,
            reported_by=_name_of(facts, c.reported_by), vendor=_name_of(facts, c.vendor),
        )
        q.stated_from, q.stated_to = candidate_span(c, facts.lang)  # "since 2018": a state's explicit period
        sent = c.sent
        evidence = Evidence(
            article.id,
            sent.text,
            sent.start_char,
            sent.end_char,
            c.rule if c.rule.startswith("model:") else f"rule:{c.rule}",
            round(c.confidence, 2),
        )
        fact = Fact(subject, c.predicate, obj, q, [evidence])
        existing = merged.get(fact.id)
        if existing is None:
            merged[fact.id] = fact
        else:
            _merge(existing, fact)
    return ArticleExtraction(article=article, entities=list(entities.values()),
                             facts=fold_undated_reports(list(merged.values())))


def _future_sentence(sent) -> bool:
    return any("Fut" in t.morph.get("Tense") or t.lower_ in ("will", "'ll") for t in sent)


def _governing_verb(doc, i: int):
    tok = doc[i]
    for _ in range(6):
        if tok.pos_ in ("VERB",) or tok.head is tok:
            return tok
        tok = tok.head
    return tok


def _same_clause(doc, date_token: int, trigger: int) -> bool:
    """A date qualifies the fact when it hangs on the fact's own verb, not on a neighbouring one
    ("who founded X and sold it … in 2001": 2001 dates the sale)."""
    for a in doc[date_token].ancestors:  # "le fondateur de SpaceX en 2002"
        if a.i == trigger:
            return True
        if a.pos_ == "VERB":
            break
    governor = _governing_verb(doc, date_token).i
    return governor in (_governing_verb(doc, trigger).i, trigger)


def _name_of(facts: DocFacts, m: Mention | None) -> str | None:
    if m is None:
        return None
    info = facts.entities.get(m.key)
    return info.name if info else m.text


def _merge(into: Fact, other: Fact) -> None:
    for ev in other.evidence:
        if all(ev.id != e.id for e in into.evidence):
            into.evidence.append(ev)
    for name, value in other.qualifiers.as_dict().items():
        if name == "modality":
            if into.qualifiers.modality != "asserted" and value == "asserted":
                into.qualifiers.modality = value
            continue
        if getattr(into.qualifiers, name) is None:
            setattr(into.qualifiers, name, value)
