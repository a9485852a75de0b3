"""Near-duplicate detection measured on the shared corpora stays above its floors (docs/corroboration.md has the
full figures: `kg dedup eval`). Pure computation, no Neo4j."""

from __future__ import annotations

import random
from pathlib import Path

from ingest.dedup.corpora import load_bbc, load_orangesum
from ingest.dedup.edits import EDIT_KINDS, edited_copy
from ingest.dedup.evaluation import evaluate, linked
from kg.store.text_signatures import signature

CORPORA = Path(__file__).resolve().parents[1].parent / "shared" / "corpora"

TEXT = ("The chip maker said on Monday that it would build a new plant in Dresden to make processors for cars, "
        "with two thousand jobs and a budget of ten billion euros over six years. The regional government will pay "
        "part of the cost. Work starts next spring and the first chips are due in 2027, the company said, adding "
        "that customers had already booked most of the output for the first three years. Unions welcomed the news "
        "but asked for guarantees on wages and training. Local officials said new roads and a rail link would be "
        "needed, and that housing for the workers was the main worry of the town. Analysts noted that the plant "
        "would be the largest investment in the region since reunification, and that rivals in Asia were adding "
        "capacity even faster. The shares rose by three per cent in early trading in Frankfurt.")


def test_edits_are_seeded_and_light() -> None:
    for kind in EDIT_KINDS:
        first = edited_copy(TEXT, kind, random.Random(1))
        assert first == edited_copy(TEXT, kind, random.Random(1))
        assert linked(signature(TEXT), signature(first)), kind


def test_a_different_article_is_not_linked() -> None:
    other = ("Shares of the carmaker fell sharply after it cut its sales forecast for the year, blaming weak demand "
             "in China and the cost of new batteries. Its chief executive said prices would not be cut and that the "
             "company would keep its plan to launch four electric models before the end of next year.")
    assert not linked(signature(TEXT), signature(other))


def test_precision_and_recall_stay_above_their_floors() -> None:
    report = evaluate([load_bbc(CORPORA), load_orangesum(CORPORA)], sample_size=60, with_scan=False)
    rates = {s.name: s.rate for s in report.sets}
    assert rates["bbc: the corpus's duplicate list"] == 1.0  # byte-identical pairs
    assert rates["orangesum: the corpus's duplicate list"] >= 0.75  # title-only "duplicates" are not copies
    assert min(r for name, r in rates.items() if "edited copies" in name) >= 0.9
    assert report.recall >= 0.95 and report.precision >= 0.97
