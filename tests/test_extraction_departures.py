"""The default extractor (model + rules) on invented sentences: a past employment the rules read is no present
WORKS_FOR from the model, and a state's stated period does not date an event of the same sentence."""

from __future__ import annotations

import pytest

from ingest.extractor import extract
from kg.model import Article


def facts_of(text: str, lang: str) -> set[tuple[str, str, str, str | None]]:
    """(subject, predicate, object, date) of every fact the default extractor reads."""
    extraction = extract(Article(id="d", text=text, lang=lang, published="2024-05-02"))
    return {(f.subject.name, f.predicate, f.object.name, f.qualifiers.date) for f in extraction.facts}


@pytest.mark.parametrize(("lang", "text", "person", "employer"), [
    ("fr", "Les anciens ingénieurs de Google Pierre Dubois et Marc Lefèvre ont quitté le navire.",
     "Pierre Dubois", "Google"),
    ("en", "Tom Reyes, a former engineer at Google, said the project had stalled.", "Tom Reyes", "Google"),
])
def test_a_former_employee_is_not_read_as_working_for_the_employer(lang: str, text: str, person: str,
                                                                   employer: str) -> None:
    assert not [f for f in facts_of(text, lang) if f[:3] == (person, "WORKS_FOR", employer)]


def test_a_former_employee_who_joins_elsewhere_is_hired_from_the_old_employer() -> None:
    facts = facts_of("Les anciens ingénieurs de Google Pierre Dubois et Marc Lefèvre ont quitté le navire pour "
                     "rejoindre Mistral AI.", "fr")
    pairs = {f[:3] for f in facts}
    assert ("Pierre Dubois", "HIRED_FROM", "Google") in pairs
    assert ("Pierre Dubois", "WORKS_FOR", "Google") not in pairs


def test_a_present_employee_still_works_for_the_employer() -> None:
    facts = facts_of("Tom Reyes, an engineer at Google, said the project had stalled.", "en")
    assert ("Tom Reyes", "WORKS_FOR", "Google") in {f[:3] for f in facts}


@pytest.mark.parametrize(("text", "expected_date"), [
    ("Jane Holloway, who was CEO of Acme Robotics until 2020, joined Globex in March.", "2024-03"),
    ("Jane Holloway, who was CEO of Acme Robotics until 2020, joined Globex.", None),
])
def test_a_stated_period_does_not_date_the_joining(text: str, expected_date: str | None) -> None:
    joined = [f for f in facts_of(text, "en") if f[:3] == ("Jane Holloway", "JOINED", "Globex")]
    assert joined and joined[0][3] == expected_date


def test_an_events_own_date_is_kept() -> None:
    joined = [f for f in facts_of("Jane Holloway joined Globex in 2020.", "en")
              if f[:3] == ("Jane Holloway", "JOINED", "Globex")]
    assert joined and joined[0][3] == "2020"
