"""What an evaluation found: counts and scores overall, per predicate and per language, qualifier accuracy, and
the facts behind the numbers (misses, false positives, wrong qualifiers)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn

    def as_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class QualifierScore:
    correct: int = 0
    total: int = 0

    @property
    def accuracy(self) -> float:
        return self.correct / self.total if self.total else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"correct": self.correct, "total": self.total, "accuracy": round(self.accuracy, 4)}


@dataclass(frozen=True)
class FactNote:
    """A missed gold fact or a false positive, with the sentence it is about (when one can be named)."""

    article_id: str
    lang: str | None
    predicate: str
    fact: str
    sentence: str | None


@dataclass(frozen=True)
class QualifierError:
    article_id: str
    fact: str
    qualifier: str
    gold: Any
    predicted: Any


@dataclass
class EvalReport:
    articles: int = 0
    overall: Counts = field(default_factory=Counts)
    by_predicate: dict[str, Counts] = field(default_factory=dict)
    by_language: dict[str, Counts] = field(default_factory=dict)
    by_article: dict[str, Counts] = field(default_factory=dict)
    qualifiers: dict[str, QualifierScore] = field(default_factory=dict)
    misses: list[FactNote] = field(default_factory=list)
    false_positives: list[FactNote] = field(default_factory=list)
    qualifier_errors: list[QualifierError] = field(default_factory=list)
    optional_matched: int = 0  # predictions that matched an optional gold fact: neither rewarded nor punished
    duplicates_merged: int = 0
    unknown_articles: list[str] = field(default_factory=list)  # predictions for articles the gold does not hold

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "overall": self.overall.as_dict(),
            "by_predicate": {k: v.as_dict() for k, v in sorted(self.by_predicate.items())},
            "by_language": {k: v.as_dict() for k, v in sorted(self.by_language.items())},
            "by_article": {k: v.as_dict() for k, v in self.by_article.items()},
            "qualifiers": {k: v.as_dict() for k, v in sorted(self.qualifiers.items())},
            "misses": [asdict(n) for n in self.misses],
            "false_positives": [asdict(n) for n in self.false_positives],
            "qualifier_errors": [asdict(e) for e in self.qualifier_errors],
            "optional_matched": self.optional_matched,
            "duplicates_merged": self.duplicates_merged,
            "unknown_articles": self.unknown_articles,
        }
