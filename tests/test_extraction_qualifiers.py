"""Qualifier readers on their own: money in both languages, number words, date expressions and their
resolution against a publication date."""

from __future__ import annotations

import pytest

from ingest.extraction.qualifiers import DateExpr, reader_for
from ingest.nlp import pipeline_for


@pytest.fixture(autouse=True, scope="module")
def _rules_only():
    """These tests pin the rule layer (mode `rules`); the trained model has its own (tests/test_training.py)."""
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):
        yield



@pytest.mark.parametrize(
    ("lang", "text", "amount", "currency"),
    [
        ("en", "a deal valued at $44bn", 44_000_000_000, "USD"),
        ("en", "for £2.1bn in cash", 2_100_000_000, "GBP"),
        ("en", "worth 25m euros", 25_000_000, "EUR"),
        ("en", "a bid worth A$3.1bn for the miner", 3_100_000_000, "AUD"),
        ("en", "paid two billion dollars", 2_000_000_000, "USD"),
        ("fr", "pour 1,5 milliard d'euros", 1_500_000_000, "EUR"),
        ("fr", "10 milliards de dollars", 10_000_000_000, "USD"),
        ("fr", "deux milliards de dollars", 2_000_000_000, "USD"),
        ("fr", "2,7 millions de livres", 2_700_000, "GBP"),
        ("fr", "792.000 dollars américains", 792_000, "USD"),
    ],
)
def test_money_amounts_and_iso_currencies(lang, text, amount, currency):
    reader = reader_for(lang)
    found = reader.money(reader.normalise_numbers(text))
    assert found and found[0].amount == pytest.approx(amount) and found[0].currency == currency


@pytest.mark.parametrize(
    ("lang", "text", "published", "expected"),
    [
        ("en", "The deal was signed on 18 March 2023.", None, "2023-03-18"),
        ("en", "The deal was signed in March.", "2023-06-01", "2023-03"),
        ("en", "The deal was signed in March.", None, None),
        ("en", "The deal was signed on Tuesday.", "2024-05-15", "2024-05-14"),
        ("en", "The company was founded in 1875.", None, "1875"),
        ("fr", "L'accord a été signé le 18 mars.", "2020-06-01", "2020-03-18"),
        ("fr", "L'accord a été signé en décembre.", "2020-06-01", "2019-12"),
        ("fr", "L'accord a été signé samedi.", "2020-08-23", "2020-08-22"),
        ("fr", "La chaîne a été créée en 1997.", None, "1997"),
        # a season, a quarter or an edge of the year gives the year (docs/annotation.md)
        ("en", "The studio was sold in summer 2019.", None, "2019"),
        ("en", "The studio was sold in late 2017.", None, "2017"),
        ("en", "The phone went on sale in Q3 2021.", None, "2021"),
        ("en", "The studio was sold in mid-2016.", None, "2016"),
        ("en", "The studio was sold last year.", "2020-06-14", "2019"),
        ("fr", "Le studio a été vendu à l'été 2019.", None, "2019"),
        ("fr", "Le studio a été vendu fin 2018.", None, "2018"),
        ("fr", "Le studio a été vendu début 2020.", None, "2020"),
        ("fr", "Le studio a été vendu mi-2015.", None, "2015"),
        ("fr", "Le studio a été vendu l'an dernier.", "2020-06-14", "2019"),
    ],
)
def test_dates_keep_the_precision_the_text_gives(lang, text, published, expected):
    doc = pipeline_for(lang)(text)
    dates = reader_for(lang).dates(next(doc.sents))
    assert dates, text
    assert dates[0].resolve(published) == expected


def test_a_bare_number_after_another_word_is_not_a_year():
    doc = pipeline_for("en")("The company employs 2019 people in total.")
    assert reader_for("en").dates(next(doc.sents)) == []


def test_future_months_resolve_forward():
    assert DateExpr(token=0, month=1).resolve("2020-11-10", future=True) == "2021-01"


def test_quantity_before_a_product_with_approximation():
    doc = pipeline_for("fr")("Il a acheté près de 10 000 unités.")
    sent = next(doc.sents)
    index = next(t.i for t in doc if t.text == "unités")
    assert reader_for("fr").quantity_before(sent, index) == (10_000, True)
