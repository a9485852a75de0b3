"""Language of an article and of each stretch of a mixed-language article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.language import (
    PROFILES_ENV,
    LanguageSpan,
    detect_language,
    language_at,
    language_scores,
    language_spans,
    supported_languages,
)
from kg.errors import ConfigurationError

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = (SHARED / "examples" / "seed-fr.txt").read_text(encoding="utf-8")

ENGLISH = "Microsoft said on Tuesday that it would buy the games maker for $69bn, the biggest deal in its history."
FRENCH = "Le groupe a annoncé mardi qu'il rachetait l'éditeur de jeux pour 69 milliards de dollars."


def test_detects_english_and_french() -> None:
    assert detect_language(ENGLISH) == "en"
    assert detect_language(FRENCH) == "fr"
    assert set(supported_languages()) >= {"en", "fr"}


def test_french_elisions_and_accents_count() -> None:
    assert detect_language("L'entreprise d'Elon Musk n'a pas répondu.") == "fr"
    scores = language_scores("L'entreprise d'Elon Musk n'a pas répondu.")
    assert scores["fr"] > 3 and scores["en"] == 0


def test_english_contractions_count() -> None:
    assert detect_language("Let's see what it's worth; don't sell.") == "en"


def test_text_without_evidence_gets_the_default() -> None:
    assert detect_language("") == "en"
    assert detect_language("Apple Google Microsoft 2023", default="fr") == "fr"


def test_seed_article_is_french_with_an_english_tweet() -> None:
    assert detect_language(SEED) == "fr"
    spans = language_spans(SEED)
    assert [s.lang for s in spans] == ["fr", "en", "fr"]
    tweet = SEED[spans[1].start:spans[1].end]
    assert tweet.startswith("In the months ahead, we will use AI")
    assert "— Elon Musk (@elonmusk) March 18, 2023" in tweet  # the attribution line goes with the tweet
    assert "Rappelons" not in tweet
    assert language_at(spans, SEED.index("Let's see what")) == "en"
    assert language_at(spans, SEED.index("Rappelons que")) == "fr"
    assert language_at(spans, SEED.index("a acheté près de")) == "fr"


def test_spans_cover_the_text_end_to_end() -> None:
    text = f"{FRENCH} {ENGLISH}\n{FRENCH}"
    spans = language_spans(text)
    assert spans[0].start == 0 and spans[-1].end == len(text)
    assert all(a.end == b.start for a, b in zip(spans, spans[1:], strict=False))
    assert [s.lang for s in spans] == ["fr", "en", "fr"]
    assert all(isinstance(s, LanguageSpan) for s in spans)


def test_a_sentence_without_evidence_takes_its_neighbours_language() -> None:
    text = f"Paris, 12 mai 2020.\n{FRENCH}\nTikTok, ByteDance.\n{FRENCH}"
    assert language_spans(text) == [LanguageSpan(0, len(text), "fr")]


def test_empty_text_has_no_spans_and_unmarked_text_has_one() -> None:
    assert language_spans("") == []
    assert language_spans("Apple 2023", default="fr") == [LanguageSpan(0, 10, "fr")]


def test_a_language_is_added_by_dropping_a_profile_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "de.json").write_text(json.dumps({
        "code": "de", "name": "German", "letters": "äöüß",
        "words": ["der", "die", "das", "und", "ist", "nicht", "mit", "für", "auf", "ein", "eine", "hat"]}),
        encoding="utf-8")
    german = "Der Konzern hat die Übernahme für 69 Milliarden Dollar nicht abgeschlossen, sagt ein Sprecher."
    assert detect_language(german) != "de"
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    assert "de" in supported_languages()
    assert detect_language(german) == "de"
    assert [s.lang for s in language_spans(f"{german}\n{ENGLISH}")] == ["de", "en"]


def test_a_broken_profile_is_a_clear_configuration_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "xx.json").write_text('{"name": "no code"}', encoding="utf-8")
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path))
    with pytest.raises(ConfigurationError, match="xx.json"):
        supported_languages()


def test_a_missing_profile_folder_is_a_clear_configuration_error(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PROFILES_ENV, str(tmp_path / "nowhere"))
    with pytest.raises(ConfigurationError, match="not a folder"):
        detect_language(ENGLISH)


GOLD = [json.loads(line) for line in (SHARED / "eval" / "dev.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()]


@pytest.mark.parametrize("record", GOLD, ids=[r["id"] for r in GOLD])
def test_every_gold_article_gets_its_gold_language(record: dict) -> None:
    assert detect_language(record["text"]) == record["lang"]
