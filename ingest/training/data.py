"""The annotated corpus as training data: annotation files of a split, their gold articles, and labelled pairs.

Annotations are read from a folder (`--annotations`, else `KG_ANNOTATIONS`, else the repository's
`annotations/`) holding `gold/<id>.json` and `splits/{train,valid,test}.txt`. Texts are joined back from
`../shared/corpora` and checked against the hash the annotation stores."""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from spacy.tokens import Doc

from ingest.annotation.files import ANNOTATIONS_DIR, gold_line
from ingest.evaluation.gold import GoldArticle, gold_article_from_dict
from ingest.evaluation.names import fold_name
from ingest.extraction.candidates import Candidate
from ingest.extraction.mentions import EntityInfo, Mention

log = logging.getLogger(__name__)
ANNOTATIONS_ENV = "KG_ANNOTATIONS"
SPLITS = ("train", "valid", "test")


def annotations_dir(path: Path | str | None = None) -> Path:
    return Path(path or os.environ.get(ANNOTATIONS_ENV) or ANNOTATIONS_DIR)


def split_ids(root: Path, split: str) -> list[str]:
    names = SPLITS if split == "all" else (split,)
    ids: list[str] = []
    for name in names:
        path = root / "splits" / f"{name}.txt"
        if not path.exists():
            raise FileNotFoundError(f"{path} is missing: the annotations folder needs splits/{name}.txt")
        ids += [line.strip() for line in path.read_text().splitlines() if line.strip()]
    return ids


def load_split(root: Path, split: str, pass_name: str = "gold") -> list[dict[str, Any]]:
    """The annotations of a split present in `root/<pass>/`, in the split's order; unreadable files are skipped."""
    out = []
    for doc_id in split_ids(root, split):
        path = root / pass_name / f"{doc_id}.json"
        if not path.exists():
            continue
        try:
            out.append(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:  # a file being written right now
            log.warning("skipping %s: %s", path, exc)
    return out


def gold_articles(annotations: list[dict[str, Any]]) -> list[GoldArticle]:
    """SCORING.md gold articles (text joined back from the corpora) of annotation dicts."""
    out = []
    for a in annotations:
        try:
            out.append(gold_article_from_dict(gold_line(a)))
        except (ValueError, KeyError) as exc:
            log.warning("skipping annotation %s: %s", a.get("id"), exc)
    return out


def evidence_spans(annotation: dict[str, Any], text: str) -> list[tuple[int, int] | None]:
    """Each fact's evidence offsets (stored by `check`, else found again in the text)."""
    spans: list[tuple[int, int] | None] = []
    for f in annotation.get("facts") or []:
        s, e = f.get("evidence_start"), f.get("evidence_end")
        if isinstance(s, int) and isinstance(e, int):
            spans.append((s, e))
            continue
        quote = f.get("evidence")
        pos = text.find(quote) if isinstance(quote, str) and quote.strip() else -1
        spans.append((pos, pos + len(quote)) if pos >= 0 else None)
    return spans


@dataclass
class GoldPairs:
    """For one article: which mention pairs state which fact (positives), and which to leave out."""

    facts: list[tuple[frozenset[str], frozenset[str], str, bool, tuple[int, int]]]

    @classmethod
    def of(cls, annotation: dict[str, Any], gold: GoldArticle) -> GoldPairs:
        facts = []
        for f, span in zip(annotation.get("facts") or [], evidence_spans(annotation, gold.text), strict=True):
            if span is None:
                continue
            subj = frozenset().union(*(gold.names_for(n) for n in [f["subject"], *(f.get("alt_subjects") or [])]))
            obj = frozenset().union(*(gold.names_for(n) for n in [f["object"], *(f.get("alt_objects") or [])]))
            facts.append((subj, obj, f["predicate"], bool(f.get("optional")), span))
        return cls(facts)

    def label(self, s_names: set[str], o_names: set[str], start_char: int, end_char: int) -> str | None:
        """The pair's label: a predicate, "NONE", or None (optional fact, or a fact stated elsewhere: not a
        negative)."""
        label = "NONE"
        for subj, obj, predicate, optional, (es, ee) in self.facts:
            forward = bool(s_names & subj) and bool(o_names & obj)
            backward = predicate == "PARTNERED_WITH" and bool(s_names & obj) and bool(o_names & subj)
            if not (forward or backward):
                continue
            inside = start_char < ee and end_char > es
            if inside and not optional:
                return predicate
            label = None
        return label


def mention_names(m: Mention, entities: dict[str, EntityInfo]) -> set[str]:
    names = {fold_name(m.text)}
    info = entities.get(m.key)
    if info is not None:
        names.add(fold_name(info.name))
    return names


@dataclass
class ParsedArticle:
    """An annotated article parsed once by the rule pipeline; its rule output is kept to reset before each run."""

    annotation: dict[str, Any]
    gold: GoldArticle
    doc: Doc
    rule_candidates: list[Candidate]
    mentions: list[Mention]
    entities: dict[str, EntityInfo]

    prepared: Any = None  # (gazetteer, mentions, entities, pairs, feature ids) once the classifier's mentions are in

    def reset(self, mentions: list[Mention] | None = None, entities: dict[str, EntityInfo] | None = None) -> None:
        from dataclasses import replace

        facts = self.doc._.kg
        facts.candidates = [replace(c) for c in self.rule_candidates]
        facts.mentions = list(mentions if mentions is not None else self.mentions)
        entities = entities if entities is not None else self.entities
        facts.entities = {k: replace(v, aliases=set(v.aliases)) for k, v in entities.items()}
        facts.rule_predicates = None

    def own_types(self) -> dict[str, str]:
        """This article's own votes in the gazetteer (left out when typing its mentions for training)."""
        out = {}
        for e in self.annotation.get("entities") or []:
            for name in [e.get("name"), *(e.get("aliases") or [])]:
                if isinstance(name, str):
                    out[fold_name(name)] = e.get("type")
        return out
