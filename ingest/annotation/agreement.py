"""Inter-annotator agreement: one pass scored against the other with SCORING.md's rules, per language.

The first pass (`gold/`) plays the gold file; the second pass's required facts play the predictions (its optional
facts are left out, as a careful reader's "may or may not"). F1 of that scoring is symmetric in the required facts.
"""

from __future__ import annotations

from pathlib import Path

from ingest.annotation.files import ANNOTATIONS_DIR, gold_line, load_annotation
from ingest.evaluation import EvalReport, PredictedFact, score
from ingest.evaluation.gold import gold_article_from_dict


def _predictions(annotation: dict[str, object]) -> list[PredictedFact]:
    facts = annotation.get("facts") or []
    assert isinstance(facts, list)
    return [PredictedFact(str(annotation["id"]), f["subject"], f["predicate"], f["object"],
                          dict(f.get("qualifiers") or {})) for f in facts if not f.get("optional")]


def agreement(root: Path = ANNOTATIONS_DIR, first: str = "gold", second: str = "second") -> EvalReport:
    pairs = [(p, root / first / p.name) for p in sorted((root / second).glob("*.json"))
             if (root / first / p.name).is_file()]
    pairs = [(b, a) for b, a in pairs if a.is_file()]
    gold = [gold_article_from_dict(gold_line(load_annotation(a))) for _, a in pairs]
    predicted = [fact for b, _ in pairs for fact in _predictions(load_annotation(b))]
    return score(gold, predicted)
