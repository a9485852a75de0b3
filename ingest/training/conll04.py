"""CoNLL04 (English newswire, SpERT format) as extra training pairs: its gold entities become mentions, its
Work_For relations `WORKS_FOR` pairs, every other ordered pair of a sentence a negative. Only the train file is
read (its dev and test files stay out of training)."""

from __future__ import annotations

import json
from pathlib import Path

from spacy.tokens import Doc

from ingest.annotation.corpus import corpora_root
from ingest.extraction.mentions import EntityInfo, Mention
from ingest.extraction.relations import LABELS, TrainedModel, hash_features
from kg.model import entity_id_for

TYPES = {"Peop": "Person", "Org": "Organization", "Loc": "Place", "Other": "Unknown"}
RELATIONS = {"Work_For": "WORKS_FOR"}


def conll04_path() -> Path:
    return corpora_root() / "conll04" / "spert_format" / "conll04_train.json"


def conll04_examples(model: TrainedModel, limit: int | None = None):
    from ingest.training.train import Examples, classifier, pipeline

    nlp = pipeline("en")
    clf = classifier("en")
    clf.set_model(model)
    items = json.loads(conll04_path().read_text(encoding="utf-8"))[:limit]
    out = Examples([], [])
    docs = (Doc(nlp.vocab, words=item["tokens"]) for item in items)
    for item, doc in zip(items, nlp.pipe(docs), strict=True):
        facts = doc._.kg
        mentions, entities = [], {}
        for e in item["entities"]:
            text = doc[e["start"]:e["end"]].text
            type_name = TYPES.get(e["type"], "Unknown")
            key = entity_id_for(type_name, text)
            entities.setdefault(key, EntityInfo(key, text, type_name)).aliases.add(text)
            mentions.append(Mention(e["start"], e["end"], text, type_name, key=key))
        facts.mentions, facts.entities, facts.candidates = sorted(mentions, key=lambda m: m.start), entities, []
        gold = {(r["head"], r["tail"]): RELATIONS[r["type"]] for r in item["relations"] if r["type"] in RELATIONS}
        index = {id(m): k for k, m in enumerate(mentions)}
        for pair in clf.pairs(doc):
            label = gold.get((index[id(pair.subject)], index[id(pair.object)]), "NONE")
            out.ids.append(hash_features(pair.features, model.linear.n_buckets))
            out.labels.append(LABELS.index(label))
    return out
