"""Predicted facts in the extractor's output form (`kg.model.Fact.to_output`, one JSON object per fact)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kg.errors import InputError
from kg.model import ArticleExtraction


@dataclass(frozen=True)
class PredictedFact:
    article_id: str
    subject: str
    predicate: str
    object: str
    qualifiers: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    sentence: str | None = None
    subject_type: str | None = None
    object_type: str | None = None

    def describe(self) -> str:
        return f"{self.subject} —{self.predicate}→ {self.object}"

    @classmethod
    def from_output(cls, data: dict[str, Any]) -> PredictedFact:
        evidence = data.get("evidence") or {}
        return cls(str(data["article_id"]), data["subject"]["name"], data["predicate"], data["object"]["name"],
                   dict(data.get("qualifiers") or {}), evidence.get("sentence"), data["subject"].get("type"),
                   data["object"].get("type"))


def predictions_from_extraction(extraction: ArticleExtraction) -> list[PredictedFact]:
    article_id = extraction.article.id
    return [PredictedFact.from_output(fact.to_output(article_id)) for fact in extraction.facts]


def predictions_from_outputs(outputs: Iterable[dict[str, Any]]) -> list[PredictedFact]:
    return [PredictedFact.from_output(o) for o in outputs]


def load_predictions(path: Path) -> list[PredictedFact]:
    """A JSONL file of extractor output (as `kg extract --format jsonl` prints it)."""
    try:
        lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    except OSError as exc:
        raise InputError(f"Predictions file {path} cannot be read ({exc.strerror or exc}); check the path.") from exc
    predictions = []
    for line_no, line in enumerate(lines, start=1):
        if line.strip():
            try:
                predictions.append(PredictedFact.from_output(json.loads(line)))
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise InputError(f"Predictions file {path}, line {line_no}, is not an extractor output line "
                                 f"({type(exc).__name__}: {exc}); see SCORING.md, 'Extractor output'.") from exc
    return predictions
