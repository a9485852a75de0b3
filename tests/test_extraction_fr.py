"""French rules, one sentence of our own per behaviour: every predicate, the conditional as reported speech,
"quitter A pour rejoindre B", appointments, negation and hypotheticals, French amounts and dates."""

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
    extraction = extract(Article(id="t-fr", text=text, lang="fr", published=published))
    return {(f.subject.name, f.predicate, f.object.name): f for f in extraction.facts}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Le directeur général de Renault, Luca de Meo, a présenté le plan.", ("Luca de Meo", "WORKS_FOR", "Renault")),
        ("Xavier Niel, fondateur d'Iliad, a investi dans la start-up.", ("Xavier Niel", "FOUNDED", "Iliad")),
        ("Vivendi a racheté Lagardère pour 1,5 milliard d'euros.", ("Vivendi", "ACQUIRED", "Lagardère")),
        ("Canal+ a assigné TF1 en justice.", ("Canal+", "SUED", "TF1")),
        ("Elon Musk a signé une lettre ouverte.", ("Elon Musk", "SIGNED", "open letter")),
        ("DeepMind est une filiale d'Alphabet.", ("DeepMind", "SUBSIDIARY_OF", "Alphabet")),
        ("Instagram appartient à Meta.", ("Meta", "OWNS", "Instagram")),
        ("Jean Martin a été nommé directeur général de Capgemini.", ("Jean Martin", "JOINED", "Capgemini")),
        ("Apple a lancé l'iPhone en 2007.", ("Apple", "LAUNCHED", "iPhone")),
        ("Ubisoft a noué un partenariat avec Netflix.", ("Ubisoft", "PARTNERED_WITH", "Netflix")),
        ("Microsoft a investi 10 milliards de dollars dans OpenAI.", ("Microsoft", "INVESTED_IN", "OpenAI")),
        ("Tesla a acheté près de 10 000 processeurs graphiques.", ("Tesla", "PURCHASED", "GPU")),
    ],
)
def test_each_predicate_from_a_plain_sentence(text, expected):
    assert expected in facts(text)


def test_quitter_pour_rejoindre_gives_hired_from_and_joined():
    found = facts("Marie Dupont a quitté Google pour rejoindre Mistral AI.")
    assert ("Marie Dupont", "HIRED_FROM", "Google") in found
    assert ("Marie Dupont", "JOINED", "Mistral AI") in found
    assert ("Marie Dupont", "LEFT", "Google") not in found


def test_appointment_carries_the_role_in_english():
    joined = facts("Jean Martin a été nommé directeur général de Capgemini.")[("Jean Martin", "JOINED", "Capgemini")]
    assert joined.qualifiers.role == "ceo"


def test_conditional_is_reported_with_its_source():
    q = facts("Selon Les Echos, Apple aurait racheté Shazam.")[("Apple", "ACQUIRED", "Shazam")].qualifiers
    assert (q.modality, q.reported_by) == ("reported", "Les Echos")


def test_reported_denial_keeps_the_fact_as_denied():
    q = facts("Amazon a démenti avoir racheté Netflix.")[("Amazon", "ACQUIRED", "Netflix")].qualifiers
    assert q.modality == "denied"


@pytest.mark.parametrize(
    "text",
    ["Google n'a pas racheté Twitter.", "Google pourrait racheter Twitter.", "La Nasa a lancé une fusée vers la Lune."],
)
def test_negated_hypothetical_and_rockets_give_no_fact(text):
    assert facts(text) == {}


def test_french_amount_and_generic_product_name():
    deal = facts("Vivendi a racheté Lagardère pour 1,5 milliard d'euros.")[("Vivendi", "ACQUIRED", "Lagardère")]
    qualifiers = deal.qualifiers
    assert (qualifiers.amount, qualifiers.currency, qualifiers.status) == (1_500_000_000, "EUR", "completed")
    gpu = facts("Tesla a acheté près de 10 000 processeurs graphiques.")[("Tesla", "PURCHASED", "GPU")]
    assert (gpu.qualifiers.quantity, gpu.qualifiers.approximate) == (10_000, True)
    assert gpu.object.type == "Product" and gpu.object.wikidata_id == "Q183484"


def test_dates_resolve_against_the_publication_date():
    found = facts("Le 18 mars, Nvidia a racheté Mellanox.")
    assert found[("Nvidia", "ACQUIRED", "Mellanox")].qualifiers.date == "2024-03-18"
    found = facts("Sophie Leroy et Paul Girard ont démissionné d'Ubisoft mardi.")
    assert found[("Sophie Leroy", "LEFT", "Ubisoft")].qualifiers.date == "2024-05-14"
    assert ("Paul Girard", "LEFT", "Ubisoft") in found


def test_president_of_a_federation_is_president_not_chairman():
    found = facts("Le président de la Fédération française de football, Noël Le Graët, a parlé.")
    roles = {f.qualifiers.role for k, f in found.items() if k[1] == "WORKS_FOR"}
    assert roles == {"president"}


def test_a_product_introduced_by_a_naming_participle_is_the_object():
    assert ("Google", "LAUNCHED", "Stadia") in facts("Google a lancé un service appelé Stadia.")


def test_a_participle_after_a_comma_with_a_par_agent_is_passive():
    assert ("Marie Dupont", "JOINED", "TF1") in facts("Marie Dupont, débauchée par TF1, présentera le journal.")


@pytest.mark.parametrize(("text", "date"), [
    ("Vivendi a racheté Deezer à l'été 2019.", "2019"),
    ("Le rachat de Deezer par Vivendi a été finalisé fin 2018.", "2018"),
])
def test_a_season_or_an_edge_of_the_year_dates_the_event(text, date):
    assert facts(text)[("Vivendi", "ACQUIRED", "Deezer")].qualifiers.date == date
