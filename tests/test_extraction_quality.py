"""The shared development set, scored by the project's scorer (shared/eval/SCORING.md): precision >= 0.85,
recall >= 0.70 and F1 >= 0.75 in each language, for the rule layer alone and for the default extractor (the rules
and the trained classifier, mode `both`).

The rules were written against these 29 articles, so for them this is a regression test, not a measure of how well
the extractor generalises: that is the annotation test split (tests/test_training.py). The classifier never saw
these articles; the test checks that its facts do not drown the rules' precision here."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.evaluation import load_gold, run_extractor, score

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev.jsonl"


@pytest.mark.parametrize("mode", ["rules", "both"])
def test_dev_set_meets_the_bar_in_each_language(mode: str):
    from ingest.nlp import extractor_mode_set

    gold = load_gold(DEV)
    with extractor_mode_set(mode):
        report = score(gold, run_extractor(gold).predictions)
    assert set(report.by_language) == {"en", "fr"}
    for lang, counts in report.by_language.items():
        assert counts.precision >= 0.85, (mode, lang, counts)
        assert counts.recall >= 0.70, (mode, lang, counts)
        assert counts.f1 >= 0.75, (mode, lang, counts)
