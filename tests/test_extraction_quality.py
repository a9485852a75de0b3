"""The rule layer on the shared development set, scored by the project's scorer (shared/eval/SCORING.md):
precision >= 0.85, recall >= 0.70 and F1 >= 0.75 in each language.

The rules were written against these 29 articles, so this is a regression test of the rule layer, not a measure
of how well the extractor generalises: that is the annotation test split (tests/test_training.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.evaluation import load_gold, run_extractor, score


@pytest.fixture(autouse=True, scope="module")
def _rules_only():
    """These tests pin the rule layer (mode `rules`); the trained model has its own (tests/test_training.py)."""
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):
        yield


DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.jsonl"


def test_dev_set_meets_the_bar_in_each_language():
    gold = load_gold(DEV)
    report = score(gold, run_extractor(gold).predictions)
    assert set(report.by_language) == {"en", "fr"}
    for lang, counts in report.by_language.items():
        assert counts.precision >= 0.85, (lang, counts)
        assert counts.recall >= 0.70, (lang, counts)
        assert counts.f1 >= 0.75, (lang, counts)
