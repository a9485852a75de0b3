"""The annotated corpus: the sample is reproducible, the splits are frozen, every committed annotation checks."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from ingest.annotation.corpus import load_doc, text_sha256
from ingest.annotation.files import ANNOTATIONS_DIR, check_annotation, gold_line, load_annotation
from ingest.annotation.sample import default_dev_path, draw_sample, read_sample
from ingest.evaluation.gold import gold_article_from_dict

TEST_SPLIT_SHA256 = "6443c12d410467a6a943603b59f38496d1de4b40da916a70e0a74447e9c6473c"
SAMPLE = ANNOTATIONS_DIR / "sample.tsv"


def test_the_sample_is_redrawn_identically_from_its_seed() -> None:
    assert draw_sample(default_dev_path()) == read_sample(SAMPLE)


def test_the_test_split_is_frozen_and_matches_the_sample() -> None:
    test_ids = (ANNOTATIONS_DIR / "splits" / "test.txt").read_bytes()
    assert hashlib.sha256(test_ids).hexdigest() == TEST_SPLIT_SHA256
    assert test_ids.decode().split() == [d.id for d in read_sample(SAMPLE) if d.split == "test"]


def test_splits_are_disjoint_and_cover_both_languages() -> None:
    docs = read_sample(SAMPLE)
    assert len({d.id for d in docs}) == len(docs) == 600
    test = [d for d in docs if d.split == "test"]
    assert sum(d.lang == "en" for d in test) >= 75 and sum(d.lang == "fr" for d in test) >= 75


def test_no_dev_article_is_in_the_sample() -> None:
    dev_texts = {json.loads(line)["text"] for line in default_dev_path().read_text(encoding="utf-8").splitlines()}
    assert not any(load_doc(d.id).text in dev_texts for d in read_sample(SAMPLE))


def test_orangesum_text_is_title_heading_article_like_the_dev_set() -> None:
    doc = load_doc("orangesum-high-tech-34165")
    dev = {json.loads(line)["id"]: json.loads(line) for line in default_dev_path().read_text().splitlines()}
    assert doc.text == dev["orangesum-high-tech-34165"]["text"]
    assert load_doc("bbc-business-047").text == dev["bbc-business-047"]["text"]


@pytest.mark.parametrize("path", sorted((ANNOTATIONS_DIR / "gold").glob("*.json"))
                         + sorted((ANNOTATIONS_DIR / "second").glob("*.json")),
                         ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_every_committed_annotation_checks_and_joins_its_text(path: Path) -> None:
    result = check_annotation(path, write=False)
    assert result.ok, result.errors
    annotation = load_annotation(path)
    assert annotation["sha256"] == text_sha256(load_doc(annotation["id"]).text)
    gold = gold_article_from_dict(gold_line(annotation))
    for fact in annotation["facts"]:
        quote = gold.text[fact["evidence_start"]:fact["evidence_end"]]
        assert " ".join(quote.split()) == " ".join(fact["evidence"].split())


def _write(tmp_path: Path, facts: list[dict[str, object]]) -> Path:
    path = tmp_path / "bbc-business-124.json"
    entities = [{"name": "Softbank", "type": "Organization", "kind": "company", "aliases": ["SoftBank"]},
                {"name": "Japan Telecom", "type": "Organization", "kind": "company", "aliases": []}]
    path.write_text(json.dumps({"id": "bbc-business-124", "entities": entities, "facts": facts}), encoding="utf-8")
    return path


def test_check_fills_offsets_of_an_exact_quote(tmp_path: Path) -> None:
    quote = "came with the purchase of Japan Telecom"
    path = _write(tmp_path, [{"subject": "Softbank", "predicate": "ACQUIRED", "object": "Japan Telecom",
                              "qualifiers": {"status": "completed"}, "evidence": quote}])
    assert check_annotation(path).ok
    fact = load_annotation(path)["facts"][0]
    assert load_doc("bbc-business-124").text[fact["evidence_start"]:fact["evidence_end"]] == quote


@pytest.mark.parametrize(("fact", "complaint"), [
    ({"subject": "Softbank", "predicate": "BOUGHT", "object": "Japan Telecom"}, "unknown predicate"),
    ({"subject": "Softbank", "predicate": "JOINED", "object": "Japan Telecom"}, "needs Person"),
    ({"subject": "Sony", "predicate": "ACQUIRED", "object": "Japan Telecom"}, "not an entity name"),
    ({"subject": "Softbank", "predicate": "ACQUIRED", "object": "Japan Telecom",
      "qualifiers": {"date": "2004-13"}}, "is not YYYY"),
    ({"subject": "Softbank", "predicate": "ACQUIRED", "object": "Japan Telecom",
      "qualifiers": {"status": "done"}}, "not allowed"),
    ({"subject": "Softbank", "predicate": "ACQUIRED", "object": "Japan Telecom",
      "qualifiers": {"price": 3}}, "unknown qualifier"),
])
def test_check_refuses_what_the_vocabulary_forbids(tmp_path: Path, fact: dict[str, object], complaint: str) -> None:
    fact = {**fact, "evidence": "the purchase of Japan Telecom"}
    result = check_annotation(_write(tmp_path, [fact]), write=False)
    assert any(complaint in error for error in result.errors), result.errors


def test_check_refuses_a_quote_that_is_not_in_the_text(tmp_path: Path) -> None:
    path = _write(tmp_path, [{"subject": "Softbank", "predicate": "ACQUIRED", "object": "Japan Telecom",
                              "evidence": "Softbank bought Japan Telecom for $3bn"}])
    assert any("not an exact quote" in error for error in check_annotation(path, write=False).errors)


def test_no_training_article_shares_text_with_the_dev_set() -> None:
    """The dev set is a test set: no train or valid article shares an 8-word run with one of its articles."""
    import re

    words = re.compile(r"\w+")

    def shingles(text: str) -> set[str]:
        w = words.findall(text.lower())
        return {" ".join(w[i:i + 8]) for i in range(len(w) - 7)}

    dev = set().union(*(shingles(json.loads(line)["text"])
                        for line in default_dev_path().read_text(encoding="utf-8").splitlines() if line.strip()))
    tuning = [i for s in ("train", "valid") for i in (ANNOTATIONS_DIR / "splits" / f"{s}.txt").read_text().split()]
    assert len(tuning) == 442
    assert [i for i in tuning if shingles(load_doc(i).text) & dev] == []
