"""`kg eval`: numbers as text and JSON, `--min-f1` for CI, scoring a predictions file or the extractor itself."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from ingest.evaluation import load_gold, run_extractor, score
from kg.cli.main import app, load_plugins
from kg.errors import InputError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
runner = CliRunner()

GOLD = [
    {"id": "fr-1", "lang": "fr", "published": "2023-04-12", "title": None, "source": "test",
     "text": "Selon Business Insider, Elon Musk a acheté près de 10 000 GPU. DeepMind est une filiale d'Alphabet.",
     "entities": [{"name": "Elon Musk", "type": "Person", "aliases": ["Musk"]},
                  {"name": "GPU", "type": "Product", "aliases": []},
                  {"name": "DeepMind", "type": "Organization", "aliases": []},
                  {"name": "Alphabet", "type": "Organization", "aliases": []}],
     "facts": [{"subject": "Elon Musk", "predicate": "PURCHASED", "object": "GPU", "alt_subjects": [],
                "alt_objects": [], "qualifiers": {"quantity": 10000, "approximate": True}, "optional": False},
               {"subject": "DeepMind", "predicate": "SUBSIDIARY_OF", "object": "Alphabet", "alt_subjects": [],
                "alt_objects": [], "qualifiers": {}, "optional": False}]},
    {"id": "en-1", "lang": "en", "published": None, "title": None, "source": "test",
     "text": "Google launched Gmail in 2004.",
     "entities": [], "facts": [{"subject": "Google", "predicate": "LAUNCHED", "object": "Gmail", "alt_subjects": [],
                                "alt_objects": [], "qualifiers": {"date": "2004"}, "optional": False}]},
]


def output(article_id: str, subject: str, predicate: str, obj: str, sentence: str, **qualifiers) -> dict:
    return {"article_id": article_id, "subject": {"name": subject, "type": "Organization"}, "predicate": predicate,
            "object": {"name": obj, "type": "Organization"}, "qualifiers": qualifiers,
            "evidence": {"sentence": sentence, "start": 0, "end": len(sentence), "extractor": "test",
                         "confidence": 1.0}}


PREDICTIONS = [  # fr: 1 TP (quantity right, approximate missing), 1 FN; en: 1 TP (date wrong), 1 FP
    output("fr-1", "Musk", "PURCHASED", "GPU", "Selon Business Insider, Elon Musk a acheté près de 10 000 GPU.",
           quantity=10000),
    output("en-1", "Google", "LAUNCHED", "Gmail", "Google launched Gmail in 2004.", date="2005"),
    output("en-1", "Gmail", "OWNS", "Google", "Google launched Gmail in 2004."),
]


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    if not any(c.name == "eval" for c in app.registered_commands):
        load_plugins(app)
    return app


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in GOLD) + "\n", encoding="utf-8")
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PREDICTIONS), encoding="utf-8")
    return gold, predictions


def test_json_report_of_a_predictions_file(cli: typer.Typer, files: tuple[Path, Path]) -> None:
    gold, predictions = files
    result = runner.invoke(cli, ["eval", str(gold), "--predictions", str(predictions), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    # TP 2, FP 1, FN 1 -> P = R = F1 = 2/3
    assert data["overall"] == {"tp": 2, "fp": 1, "fn": 1, "precision": 0.6667, "recall": 0.6667, "f1": 0.6667}
    assert data["by_language"]["fr"] == {"tp": 1, "fp": 0, "fn": 1, "precision": 1.0, "recall": 0.5,
                                         "f1": 0.6667}
    assert data["by_language"]["en"]["fp"] == 1
    assert data["by_predicate"]["SUBSIDIARY_OF"]["fn"] == 1
    assert data["by_article"]["en-1"] == {"tp": 1, "fp": 1, "fn": 0, "precision": 0.5, "recall": 1.0, "f1": 0.6667}
    assert data["qualifiers"]["quantity"] == {"correct": 1, "total": 1, "accuracy": 1.0}
    assert data["qualifiers"]["approximate"]["correct"] == 0
    assert data["qualifiers"]["date"]["correct"] == 0
    assert data["qualifiers"]["modality"] == {"correct": 2, "total": 2, "accuracy": 1.0}
    assert [(m["article_id"], m["fact"], m["sentence"]) for m in data["misses"]] == [
        ("fr-1", "DeepMind —SUBSIDIARY_OF→ Alphabet", "DeepMind est une filiale d'Alphabet.")]
    assert [(f["article_id"], f["fact"], f["sentence"]) for f in data["false_positives"]] == [
        ("en-1", "Gmail —OWNS→ Google", "Google launched Gmail in 2004.")]
    assert data["predictions"] == str(predictions)


def test_text_report_lists_numbers_and_errors(cli: typer.Typer, files: tuple[Path, Path]) -> None:
    gold, predictions = files
    result = runner.invoke(cli, ["eval", str(gold), "--predictions", str(predictions), "--per-article"],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for expected in ("Per article", "fr-1", "Per language", "Per predicate", "Qualifier accuracy", "LAUNCHED", "0.667",
                     "Misses (gold facts not predicted) (1)", "DeepMind —SUBSIDIARY_OF→ Alphabet",
                     "False positives (1)", "Gmail —OWNS→ Google", "date gold '2004', predicted '2005'"):
        assert expected in result.stdout


def test_min_f1_fails_the_run_below_the_bar_overall_or_in_a_language(cli: typer.Typer,
                                                                      files: tuple[Path, Path]) -> None:
    gold, predictions = files
    passing = runner.invoke(cli, ["eval", str(gold), "--predictions", str(predictions), "--min-f1", "0.6"])
    assert passing.exit_code == 0
    failing = runner.invoke(cli, ["eval", str(gold), "--predictions", str(predictions), "--min-f1", "0.7",
                                  "--max-errors", "0"])
    assert failing.exit_code == 1
    assert "F1 below 0.7: overall 0.667, en 0.667, fr 0.667." in failing.stderr


def test_a_malformed_gold_file_is_a_clear_error(cli: typer.Typer, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(GOLD[0]) + "\n{\"id\": \"x\"}\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(gold)])
    assert isinstance(result.exception, InputError)
    assert str(result.exception).startswith(f"Gold file {gold}, line 2, is not a gold article (KeyError")


def test_eval_runs_the_extractor_on_the_gold_articles(cli: typer.Typer, tmp_path: Path) -> None:
    seed = (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()[0]
    gold = tmp_path / "seed.jsonl"
    gold.write_text(seed + "\n", encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(gold), "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    from ingest.extractor import EXTRACTOR_VERSION

    assert data["predictions"] == f"extractor {EXTRACTOR_VERSION}"
    assert data["failed"] == []
    articles = load_gold(gold)
    expected = score(articles, run_extractor(articles).predictions)
    assert data["overall"] == expected.overall.as_dict()
    assert data["overall"]["tp"] + data["overall"]["fn"] == 6  # the seed article's six required facts


def test_text_report_prints_brackets_in_names_and_sentences_as_they_are(cli: typer.Typer, tmp_path: Path) -> None:
    record = {**GOLD[1], "id": "en-2", "text": "[24]7.ai launched Gmail [/b] today."}
    gold = tmp_path / "gold.jsonl"
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text(json.dumps(output("en-2", "[24]7.ai", "LAUNCHED", "Gmail", record["text"])),
                           encoding="utf-8")
    result = runner.invoke(cli, ["eval", str(gold), "--predictions", str(predictions)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "[24]7.ai —LAUNCHED→ Gmail" in result.stdout
    assert "[24]7.ai launched Gmail [/b] today." in result.stdout
