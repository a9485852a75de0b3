"""The quality bar on the shared development set, scored by the project's scorer (shared/eval/SCORING.md):
precision >= 0.85, recall >= 0.70 and F1 >= 0.75 in each language."""

from __future__ import annotations

from pathlib import Path

from ingest.evaluation import load_gold, run_extractor, score

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.jsonl"


def test_dev_set_meets_the_bar_in_each_language():
    gold = load_gold(DEV)
    report = score(gold, run_extractor(gold).predictions)
    assert set(report.by_language) == {"en", "fr"}
    for lang, counts in report.by_language.items():
        assert counts.precision >= 0.85, (lang, counts)
        assert counts.recall >= 0.70, (lang, counts)
        assert counts.f1 >= 0.75, (lang, counts)
