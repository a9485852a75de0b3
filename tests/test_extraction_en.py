"""English rules, one sentence of our own per behaviour: every predicate, roles, negation, hypotheticals,
and the reading rules of the ontology brief (past roles, "left A to join B", rockets, minority stakes)."""

from __future__ import annotations

import pytest

from ingest.extractor import extract
from kg.model import Article


@pytest.fixture(autouse=True, scope="module")
def _rules_only():
    """These tests pin the rule layer (mode `rules`); the trained model has its own (tests/test_training.py)."""
    from ingest.nlp import extractor_mode_set

    with extractor_mode_set("rules"):
        yield


PUBLISHED = "2024-05-15"


def facts(text: str, published: str | None = PUBLISHED):
    extraction = extract(Article(id="t-en", text=text, lang="en", published=published))
    return {(f.subject.name, f.predicate, f.object.name): f for f in extraction.facts}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Microsoft's chief executive Satya Nadella said the deal was done.",
         ("Satya Nadella", "WORKS_FOR", "Microsoft")),
        ('"It is a bold move," said Jane Porter, an analyst at Morgan Stanley.',
         ("Jane Porter", "WORKS_FOR", "Morgan Stanley")),
        ("Oracle has agreed to buy Cerner for $28.3bn.", ("Oracle", "ACQUIRED", "Cerner")),
        ("Microsoft bought a 4% stake in OpenAI.", ("Microsoft", "INVESTED_IN", "OpenAI")),
        ("Twitter was founded by Jack Dorsey in 2006.", ("Jack Dorsey", "FOUNDED", "Twitter")),
        ("Mark Webb has resigned from Vodafone.", ("Mark Webb", "LEFT", "Vodafone")),
        ("Apple launched the iPhone in 2007.", ("Apple", "LAUNCHED", "iPhone")),
        ("Epic Games sued Apple in August 2020.", ("Epic Games", "SUED", "Apple")),
        ("Elon Musk signed an open letter calling for a pause.", ("Elon Musk", "SIGNED", "open letter")),
        ("Microsoft partnered with OpenAI in 2019.", ("Microsoft", "PARTNERED_WITH", "OpenAI")),
        ("YouTube, a subsidiary of Google, said it would act.", ("YouTube", "SUBSIDIARY_OF", "Google")),
        ("Instagram is owned by Meta.", ("Meta", "OWNS", "Instagram")),
        ("Tesla bought nearly 10,000 Nvidia H100 chips.", ("Tesla", "PURCHASED", "H100")),
    ],
)
def test_each_predicate_from_a_plain_sentence(text, expected):
    assert expected in facts(text)


def test_role_qualifier_is_a_short_english_title():
    found = facts("Microsoft's chief executive Satya Nadella said the deal was done.")
    assert found[("Satya Nadella", "WORKS_FOR", "Microsoft")].qualifiers.role == "ceo"


def test_past_role_is_not_a_current_job():
    found = facts("Former Google engineer Tom Baker said nothing about it.")
    assert not any(p == "WORKS_FOR" for _, p, _ in found)


def test_left_to_join_gives_hired_from_and_joined_not_left():
    found = facts("Sarah Jones left Google to join OpenAI.")
    assert ("Sarah Jones", "HIRED_FROM", "Google") in found
    assert ("Sarah Jones", "JOINED", "OpenAI") in found
    assert ("Sarah Jones", "LEFT", "Google") not in found


def test_two_subjects_give_one_fact_each():
    found = facts("Anna Smith and Peter Brown left DeepMind last year.")
    assert {("Anna Smith", "LEFT", "DeepMind"), ("Peter Brown", "LEFT", "DeepMind")} <= set(found)
    assert found[("Anna Smith", "LEFT", "DeepMind")].qualifiers.date == "2023"


@pytest.mark.parametrize(
    "text",
    [
        "Apple did not buy Netflix.",
        "If Google buys Fitbit, regulators will object.",
        "Amazon could buy Netflix.",
        "SpaceX launched a rocket on Monday.",
        "Is Microsoft about to buy Nokia?",
    ],
)
def test_negated_hypothetical_and_non_product_launches_give_no_fact(text):
    assert facts(text) == {}


def test_deal_status_amount_and_currency():
    deal = facts("Oracle has agreed to buy Cerner for $28.3bn.")[("Oracle", "ACQUIRED", "Cerner")].qualifiers
    assert (deal.status, deal.amount, deal.currency) == ("announced", 28_300_000_000, "USD")
    done = facts("Microsoft bought LinkedIn in 2016.")[("Microsoft", "ACQUIRED", "LinkedIn")].qualifiers
    assert (done.status, done.date) == ("completed", "2016")


def test_quantity_with_approximation():
    q = facts("Tesla bought nearly 10,000 Nvidia H100 chips.")[("Tesla", "PURCHASED", "H100")].qualifiers
    assert (q.quantity, q.approximate) == (10_000, True)


def test_reported_and_planned_modalities():
    assert facts("Apple reportedly bought Shazam.")[("Apple", "ACQUIRED", "Shazam")].qualifiers.modality == "reported"
    planned = facts("Laura Smith will leave Intel in June.")[("Laura Smith", "LEFT", "Intel")].qualifiers
    assert (planned.modality, planned.date) == ("planned", "2024-06")


def test_relative_date_needs_a_publication_date():
    assert facts("Epic Games sued Apple on Tuesday.")[("Epic Games", "SUED", "Apple")].qualifiers.date == "2024-05-14"
    undated = facts("Epic Games sued Apple on Tuesday.", published=None)
    assert undated[("Epic Games", "SUED", "Apple")].qualifiers.date is None


def test_titles_and_possessives_are_not_part_of_names_and_surnames_resolve():
    text = ("Satya Nadella spoke on Monday. Later, Mr Nadella, chief executive of Microsoft, "
            "said Microsoft's plans were unchanged.")
    found = facts(text)
    assert ("Satya Nadella", "WORKS_FOR", "Microsoft") in found
    assert all(not name.startswith(("Mr", "Microsoft's")) for key in found for name in (key[0], key[2]))


def test_a_date_belongs_to_its_own_verb_only():
    found = facts("Tom Smith, who founded Acme Labs and sold it to Intel in 2001, said little.")
    assert found[("Tom Smith", "FOUNDED", "Acme Labs")].qualifiers.date is None


def test_a_product_named_by_its_kind_gets_a_singular_english_name():
    found = facts("Nokia was buoyed by the debut of its 3G handsets in December.")
    launch = found[("Nokia", "LAUNCHED", "3G handset")]
    assert launch.object.type == "Product" and launch.qualifiers.date == "2023-12"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Google unveiled a new tool called Sodar on Friday.", ("Google", "LAUNCHED", "Sodar")),
        ("Sony launched a new service dubbed Stadia.", ("Sony", "LAUNCHED", "Stadia")),
    ],
)
def test_a_product_introduced_by_a_naming_participle_is_the_object(text, expected):
    assert expected in facts(text)


def test_joint_subjects_of_a_concluded_agreement_are_the_partners():
    assert ("Telefonica", "PARTNERED_WITH", "Google") in facts("Telefonica and Google signed a partnership on Monday.")
    # the same nouns in other roles give no partnership
    assert not any(p == "PARTNERED_WITH" for _, p, _ in facts("Telefonica and Google raised money through deals."))


def test_a_season_or_an_edge_of_the_year_dates_the_event():
    found = facts("Vivendi bought Deezer in summer 2019.")
    assert found[("Vivendi", "ACQUIRED", "Deezer")].qualifiers.date == "2019"
