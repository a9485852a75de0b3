"""Evaluation against gold files: the scorer of `shared/eval/SCORING.md` and the runner behind `kg eval`.

    from ingest.evaluation import load_gold, run_extractor, score
    gold = load_gold(Path("../shared/eval/dev.jsonl"))
    report = score(gold, run_extractor(gold).predictions)
    report.overall.f1, report.by_language["fr"].precision, report.qualifiers["role"].accuracy
"""

from ingest.evaluation.gold import GoldArticle, GoldEntity, GoldFact, load_gold
from ingest.evaluation.names import fold_name
from ingest.evaluation.predictions import PredictedFact, load_predictions, predictions_from_extraction
from ingest.evaluation.report import Counts, EvalReport, QualifierScore
from ingest.evaluation.runner import ExtractorRun, run_extractor
from ingest.evaluation.scoring import score

__all__ = ["Counts", "EvalReport", "ExtractorRun", "GoldArticle", "GoldEntity", "GoldFact", "PredictedFact",
           "QualifierScore", "fold_name", "load_gold", "load_predictions", "predictions_from_extraction",
           "run_extractor", "score"]
