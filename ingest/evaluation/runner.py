"""Run the extractor over gold articles (with the gold language and date) and collect its predictions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from ingest.batch import extract_articles
from ingest.evaluation.gold import GoldArticle
from ingest.evaluation.predictions import PredictedFact, predictions_from_extraction
from ingest.loaders import RefusedInput


@dataclass
class ExtractorRun:
    predictions: list[PredictedFact] = field(default_factory=list)
    failed: list[RefusedInput] = field(default_factory=list)  # articles the extractor could not handle


def run_extractor(gold_articles: Iterable[GoldArticle]) -> ExtractorRun:
    run = ExtractorRun()
    for item in extract_articles(a.to_article() for a in gold_articles):
        if isinstance(item, RefusedInput):
            run.failed.append(item)
        else:
            run.predictions.extend(predictions_from_extraction(item))
    return run
