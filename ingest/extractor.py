"""A first, minimal extractor: spaCy NER for people and organisations, one rule for signed open letters.

The full extractor (knowledge base, patterns per language, qualifiers) replaces this module."""

from __future__ import annotations

from kg.model import Article, ArticleExtraction, Entity, Evidence, Fact, Qualifiers

from ingest.language import detect_language
from ingest.nlp import pipeline_for

EXTRACTOR_VERSION = "skeleton-0.1"
NER_TYPES = {"PERSON": "Person", "PER": "Person", "ORG": "Organization"}
SIGN_LEMMAS = {"sign", "signer"}
LETTER_WORDS = {"open letter", "lettre ouverte"}


def _full_name(short: str, people: dict[str, Entity]) -> Entity | None:
    for entity in people.values():
        if short != entity.name and entity.name.endswith(" " + short):
            return entity
    return None


def extract(article: Article) -> ArticleExtraction:
    lang = article.lang or detect_language(article.text)
    doc = pipeline_for(lang)(article.text)
    entities: dict[str, Entity] = {}
    people: dict[str, Entity] = {}
    mentions = []
    for ent in doc.ents:
        type_name = NER_TYPES.get(ent.label_)
        name = ent.text.strip()
        if type_name is None or len(name) < 2:
            continue
        if type_name == "Person" and " " not in name and (full := _full_name(name, people)):
            full.aliases.add(name)
            mentions.append((ent, full))
            continue
        entity = entities.setdefault(Entity.named(name, type_name).id, Entity.named(name, type_name))
        if type_name == "Person":
            people[entity.id] = entity
        mentions.append((ent, entity))
    facts = []
    for sent in doc.sents:
        lowered = sent.text.lower()
        if not any(tok.lemma_.lower() in SIGN_LEMMAS for tok in sent) or not any(w in lowered for w in LETTER_WORDS):
            continue
        signers = [e for ent, e in mentions if e.type == "Person" and sent.start <= ent.start < sent.end]
        letter = Entity.named("open letter", "Document", kind="open_letter")
        for signer in signers[:1]:
            facts.append(Fact(signer, "SIGNED", letter, Qualifiers(), [
                Evidence(article.id, sent.text, sent.start_char, sent.end_char, "rule:signed-letter", 0.6)]))
    resolved = Article(**{**article.__dict__, "lang": lang})
    return ArticleExtraction(article=resolved, entities=list(entities.values()), facts=facts)
