"""`kg resolution eval` on the resolution gold set: the figures clear their floors, and the resolver's threshold is
the one the documented rule picks on train and valid."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.resolution.evaluation import GoldSet, choose_threshold, sweep
from ingest.resolution.gold import load_articles, similar_name_pairs
from ingest.resolution.resolver import MERGE_THRESHOLD
from kg.cli.main import app, load_plugins
from kg.model import fold

runner = CliRunner()
# Floors for all languages together: the goal (the measured test figures are in docs/resolution.md).
PRECISION_FLOOR = 0.97
RECALL_FLOOR = 0.85
# Per language, precision is floored lower: French test pairs are at 0.947 (0.964 with the ids alone: 17 of its 26 wrong
# pairs are one id given to two entities, e.g. a channel and its group, which a resolver that only merges cannot undo).
LANGUAGE_PRECISION_FLOOR = 0.94


@pytest.fixture(scope="module")
def gold() -> GoldSet:
    return GoldSet.load()


@pytest.mark.slow
def test_eval_command_prints_figures_above_the_floor() -> None:
    load_plugins(app)
    result = runner.invoke(app, ["resolution", "eval", "--split", "test", "--json",
                                 "--min-precision", str(PRECISION_FLOOR), "--min-recall", str(RECALL_FLOOR)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    by_lang = {s["lang"]: s for s in report["scores"]}
    assert set(by_lang) == {"en", "fr", "all"}
    for scores in by_lang.values():
        assert scores["precision"] >= LANGUAGE_PRECISION_FLOOR and scores["recall"] >= RECALL_FLOOR
        assert scores["bcubed_f1"] >= 0.95
    # resolution finds the pairs the ids alone miss
    ids_only = {s["lang"]: s for s in report["ids_only"]}
    assert by_lang["all"]["right_pairs"] > ids_only["all"]["right_pairs"]


@pytest.mark.slow
def test_threshold_is_the_one_the_rule_chooses(gold: GoldSet) -> None:
    assert choose_threshold(sweep(gold)) == MERGE_THRESHOLD


def test_floor_fails_the_command() -> None:
    load_plugins(app)
    result = runner.invoke(app, ["resolution", "eval", "--split", "valid", "--min-precision", "1.01"])
    assert result.exit_code == 1


def test_every_pair_worth_reading_is_labelled_in_the_committed_files() -> None:
    """The hard negatives are the similar pairs a person read: each is labelled in pairs.jsonl (same or different),
    and the committed files are those the builder gives now."""
    folder = Path("annotations/resolution")
    with (folder / "mentions.jsonl").open(encoding="utf-8") as lines:
        key_of = {m["id"]: (m["type"], fold(m["name"])) for m in map(json.loads, lines)}
    with (folder / "pairs.jsonl").open(encoding="utf-8") as lines:
        labelled = {frozenset((key_of[p["a"]], key_of[p["b"]])) for p in map(json.loads, lines)}
    read = similar_name_pairs(load_articles())
    assert len(read) > 500
    assert read <= labelled, sorted(map(sorted, read - labelled))[:5]
