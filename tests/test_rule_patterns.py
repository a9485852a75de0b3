"""Every trigger pattern of the rule registry (`ingest/data/<lang>/patterns.jsonl`) gives the facts its own
invented example sentence states, and the registry itself is well formed."""

from __future__ import annotations

import json

import pytest

from ingest.extraction import resources
from ingest.extraction.resources import DATA_DIR, trigger_patterns
from ingest.extractor import extract
from kg.errors import ConfigurationError
from kg.model import Article

LANGUAGES = ("en", "fr")
PATTERNS = [(lang, p) for lang in LANGUAGES for p in trigger_patterns(lang)]


@pytest.fixture(autouse=True, scope="module")
def _rules_only():
    """The registry pins the rule layer (mode `rules`)."""
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):
        yield


@pytest.mark.parametrize(("lang", "pattern"), PATTERNS, ids=[p.id for _, p in PATTERNS])
def test_each_pattern_gives_the_facts_of_its_example(lang, pattern):
    extraction = extract(Article(id=f"pattern-{pattern.id}", text=pattern.example, lang=lang, published="2024-05-15"))
    found = {(f.subject.name, f.predicate, f.object.name) for f in extraction.facts}
    for fact in pattern.expect:
        assert (fact.subject, fact.predicate, fact.object) in found, f"{pattern.id}: {pattern.example!r} gave {found}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_patterns_are_one_line_each_with_ids_of_their_language(lang):
    lines = [line for line in (DATA_DIR / lang / "patterns.jsonl").read_text(encoding="utf-8").splitlines() if line]
    assert len(lines) == len(trigger_patterns(lang))
    assert all(json.loads(line)["id"].startswith(f"{lang}.") for line in lines)


def test_a_malformed_pattern_is_refused_with_its_line(tmp_path, monkeypatch):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "patterns.jsonl").write_text(
        '{"id": "xx.buy", "predicate": "BOUGHT", "lemmas": ["buy"], "example": "Acme bought Beta.", '
        '"expect": [{"subject": "Acme", "predicate": "ACQUIRED", "object": "Beta"}]}\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(resources, "DATA_DIR", tmp_path)
    trigger_patterns.cache_clear()
    try:
        with pytest.raises(ConfigurationError, match="patterns.jsonl:1"):
            trigger_patterns("xx")
    finally:
        trigger_patterns.cache_clear()
