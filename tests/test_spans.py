"""Explicit periods read from invented sentences, in English and French (never dev or test sentences): through the
whole extractor (spaCy pipelines and rules) and, for the span patterns alone, through `find_spans`."""

from __future__ import annotations

import pytest

from ingest.extraction.spans import find_spans
from ingest.extractor import extract
from ingest.nlp import pipeline_for
from kg.model import Article


def state_spans(text: str, lang: str) -> set[tuple[str, str, str, str | None, str | None]]:
    """(subject, predicate, object, stated_from, stated_to) of every fact the extractor reads."""
    extraction = extract(Article(id="s", text=text, lang=lang, published="2024-05-02"))
    return {(f.subject.name, f.predicate, f.object.name, f.qualifiers.stated_from, f.qualifiers.stated_to)
            for f in extraction.facts}


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "Jane Holloway was chief executive of Acme Robotics between 2015 and 2019.",
     ("Jane Holloway", "WORKS_FOR", "Acme Robotics", "2015", "2019")),
    ("en", "Jane Holloway, CEO of Acme Robotics since 2018, announced the results.",
     ("Jane Holloway", "WORKS_FOR", "Acme Robotics", "2018", None)),
    ("en", "Since March 2018, Jane Holloway has been the CEO of Acme Robotics.",
     ("Jane Holloway", "WORKS_FOR", "Acme Robotics", "2018-03", None)),
    ("en", "Jane Holloway, former CEO of Acme Robotics (2015-2019), spoke on Monday.",
     ("Jane Holloway", "WORKS_FOR", "Acme Robotics", "2015", "2019")),
    ("en", "Initech was a subsidiary of Globex from 2012 until 2020.",
     ("Initech", "SUBSIDIARY_OF", "Globex", "2012", "2020")),
    ("en", "Globex has owned Initech since 2012.", ("Globex", "OWNS", "Initech", "2012", None)),
    ("fr", "Jeanne Martin, PDG d'Acme Robotique depuis 2018, a présenté les résultats.",
     ("Jeanne Martin", "WORKS_FOR", "Acme Robotique", "2018", None)),
    ("fr", "Jeanne Martin a été PDG d'Acme Robotique entre 2015 et 2019.",
     ("Jeanne Martin", "WORKS_FOR", "Acme Robotique", "2015", "2019")),
    ("fr", "Jeanne Martin, ancienne PDG d'Acme Robotique de 2015 à 2019, a pris la parole lundi.",
     ("Jeanne Martin", "WORKS_FOR", "Acme Robotique", "2015", "2019")),
    ("fr", "Globex détient Initech depuis 2012.", ("Globex", "OWNS", "Initech", "2012", None)),
])
def test_the_extractor_gives_a_state_fact_its_stated_period(lang: str, text: str,
                                                            expected: tuple[str, str, str, str, str | None]) -> None:
    assert expected in state_spans(text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Jane Holloway, former CEO of Acme Robotics, spoke on Monday."),  # "former" with no date: no state
    ("fr", "Jeanne Martin, l'ancienne directrice générale d'Acme Robotique, a pris la parole lundi."),
])
def test_former_without_a_stated_end_gives_no_state(lang: str, text: str) -> None:
    assert not [f for f in state_spans(text, lang) if f[1] == "WORKS_FOR"]


def test_a_period_goes_to_its_own_fact_not_to_another_clause_or_person() -> None:
    facts = state_spans("Jane Holloway, CEO of Acme Robotics, said sales had doubled from 2010 to 2014.", "en")
    assert ("Jane Holloway", "WORKS_FOR", "Acme Robotics", None, None) in facts
    facts = state_spans("Jane Holloway, CEO of Acme Robotics, and Tom Reyes, CFO of Zentrix since 2019, met on "
                        "Monday.", "en")
    assert {("Jane Holloway", "WORKS_FOR", "Acme Robotics", None, None),
            ("Tom Reyes", "WORKS_FOR", "Zentrix", "2019", None)} <= facts


def test_events_get_no_stated_period() -> None:
    facts = state_spans("Jane Holloway joined Acme Robotics in 2018.", "en")
    assert facts and all(f[3] is None and f[4] is None for f in facts)


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "She worked there from 2015 to 2019.", [("2015", "2019")]),
    ("en", "She has worked there since 1 March 2018 and will stay until June 2026.",
     [("2018-03-01", None), (None, "2026-06")]),
    ("en", "The unit (2015-present) grew.", [("2015", None)]),
    ("en", "From 2019 to 2015 is backwards.", []),
    ("en", "Sales rose 20% in 2019.", []),
    ("fr", "Elle y a travaillé de 2015 à 2019.", [("2015", "2019")]),
    ("fr", "Elle y travaille depuis le 1er mars 2018.", [("2018-03-01", None)]),
    ("fr", "Elle y est restée jusqu'en 2020, puis jusqu’à mai 2021.", [(None, "2020"), (None, "2021-05")]),
    ("fr", "Elle y a travaillé d'avril 2015 à juin 2019.", [("2015-04", "2019-06")]),
    ("fr", "Elle y a travaillé entre 2015 et 2019.", [("2015", "2019")]),
])
def test_span_patterns(lang: str, text: str, expected: list[tuple[str | None, str | None]]) -> None:
    doc = pipeline_for(lang)(text)
    found = [(s.start, s.end) for sent in doc.sents for s in find_spans(sent, lang)]
    assert found == expected
