"""The resolution rules on invented names (no Neo4j): name variants, acronyms, French/English forms, spelling
variants, surnames in context, the knowledge base; and the hard negatives they must keep apart."""

from __future__ import annotations

import pytest

from ingest.resolution.names import blocking_keys, name_forms
from ingest.resolution.resolver import MERGE_THRESHOLD, Resolver
from ingest.resolution.rules import best_rule
from kg.model import Article, ArticleExtraction, Entity, EntityMerge, Fact


def _article(article_id: str, *entities: Entity, facts: list[Fact] | None = None) -> ArticleExtraction:
    return ArticleExtraction(Article(article_id, "text"), entities=list(entities), facts=facts or [])


def _org(name: str, *aliases: str) -> Entity:
    return Entity.named(name, "Organization", aliases=set(aliases))


def _person(name: str) -> Entity:
    return Entity.named(name, "Person")


def _merges(first: ArticleExtraction, second: ArticleExtraction) -> list[EntityMerge]:
    resolver = Resolver()
    resolver.resolve(first)
    return resolver.resolve(second).merges


@pytest.mark.parametrize(("stored", "new", "rule"), [
    ("Zorblax Holdings Ltd.", "Zorblax", "name-variant"),  # legal suffixes
    ("The Daily Quill", "Daily Quill", "name-variant"),  # leading article
    ("Quill-Tech", "Quill Tech", "name-variant"),  # punctuation
    ("Velmora Ventures", "velmora ventures", "name-variant"),  # case
    ("Société Générale des Ondes", "Societe Generale des Ondes", "name-variant"),  # accents (one id already)
    ("Université de Pontmarais", "Pontmarais University", "translation"),  # French/English forms
    ("Commission européenne des ondes", "European Commission of Ondes", "translation"),
])
def test_name_variants_are_merged(stored: str, new: str, rule: str) -> None:
    merges = _merges(_article("a", _org(stored)), _article("b", _org(new)))
    if Entity.named(stored, "Organization").id == Entity.named(new, "Organization").id:
        assert merges == []  # folded to one id by the extractor already: nothing to decide
        return
    assert [(m.source_id, m.target_id, m.rule, m.by) for m in merges] == [
        (Entity.named(new, "Organization").id, Entity.named(stored, "Organization").id, rule, "resolver")]
    assert merges[0].score >= MERGE_THRESHOLD


def test_spelling_variant_is_merged_where_the_context_agrees() -> None:
    """One letter apart (a transliteration): similar enough to be looked at, merged only with a shared neighbour."""
    buyer = _org("Rosvelt Oil")
    first = _article("a", _org("Krasnoyarskneftegas"), buyer,
                     facts=[Fact(buyer, "ACQUIRED", _org("Krasnoyarskneftegas"))])
    assert _merges(first, _article("b", _org("Krasnoyarskneftegaz"))) == []
    merges = _merges(first, _article("b", _org("Krasnoyarskneftegaz"), buyer))
    assert [(m.source_id, m.target_id, m.rule) for m in merges] == [
        ("organization:krasnoyarskneftegaz", "organization:krasnoyarskneftegas", "fuzzy")]


def test_acronym_is_merged_in_context_and_two_letters_never() -> None:
    assert best_rule("Organization", [name_forms("QWCD")],
                     [name_forms("Quantum Widget Corporation of Delmar")], False) is not None
    partner = _org("Delmar Bank")
    first = _article("a", _org("Quantum Widget Delmar"), partner,
                     facts=[Fact(_org("Quantum Widget Delmar"), "PARTNERED_WITH", partner)])
    assert _merges(first, _article("b", _org("QWD"))) == []  # an acronym alone: not enough
    merges = _merges(first, _article("b", _org("QWD"), partner))
    assert [(m.source_id, m.target_id, m.rule) for m in merges] == [
        ("organization:qwd", "organization:quantum-widget-delmar", "acronym")]
    # two letters spell too many names: below the threshold even where the context agrees
    two = _article("a", _org("Quantum Widget"), partner,
                   facts=[Fact(_org("Quantum Widget"), "PARTNERED_WITH", partner)])
    assert _merges(two, _article("b", _org("QW"), partner)) == []


def test_acronym_of_a_name_holding_an_acronym_means_nothing() -> None:
    assert best_rule("Organization", [name_forms("ISM")], [name_forms("In-Stat/MDR")], False) is None


def test_surname_joins_a_full_name_only_in_context() -> None:
    employer = _org("Brindle Motors")
    first = _article("a", _person("Orla Quennell"), employer,
                     facts=[Fact(_person("Orla Quennell"), "WORKS_FOR", employer)])
    assert _merges(first, _article("b", _person("Quennell"))) == []  # no shared context: a missed merge
    merges = _merges(first, _article("b", _person("Ms Quennell"), employer))
    assert [(m.source_id, m.target_id, m.rule) for m in merges] == [
        ("person:ms-quennell", "person:orla-quennell", "person-surname")]


def test_same_surname_different_people_stay_apart() -> None:
    employer = _org("Brindle Motors")
    first = _article("a", _person("Orla Quennell"), employer,
                     facts=[Fact(_person("Orla Quennell"), "WORKS_FOR", employer)])
    # a full name is never reduced to its surname, even where the context agrees
    assert _merges(first, _article("b", _person("Tomas Quennell"), employer)) == []
    # two candidates with that surname and the same context: ambiguous, nothing merged
    second = _article("b", _person("Piet Quennell"), employer,
                      facts=[Fact(_person("Piet Quennell"), "WORKS_FOR", employer)])
    resolver = Resolver()
    resolver.resolve(first)
    resolver.resolve(second)
    assert resolver.resolve(_article("c", _person("Quennell"), employer)).merges == []


@pytest.mark.parametrize(("stored", "new"), [
    ("Velmora Capital", "Velmora Research"),  # similar organisations that differ
    ("Velmora", "Velmora France"),  # a parent and its national subsidiary
    ("Pixelon 12", "Pixelon 13"),  # numbers differ
    ("Delmar Trade Commission", "Delmar Communications Commission"),
])
def test_similar_names_that_differ_stay_apart(stored: str, new: str) -> None:
    assert _merges(_article("a", _org(stored)), _article("b", _org(new))) == []


def test_same_name_different_type_stays_apart() -> None:
    first = _article("a", _org("Zephyrine"))
    assert _merges(first, _article("b", Entity.named("Zephyrine", "Product"))) == []


def test_knowledge_base_alias_is_merged_and_curated_ids_never_are() -> None:
    merges = _merges(_article("a", _org("Nadirco")), _article("b", _org("Google Inc"), _org("Microsoft")))
    assert [(m.source_id, m.target_id, m.rule) for m in merges] == [
        ("organization:google-inc", "organization:google", "kb-alias")]


def test_two_entities_of_one_article_are_never_merged_together() -> None:
    merges = _merges(_article("a", _org("Orbital Quill")),
                     _article("b", _org("Orbital Quill Ltd"), _org("Orbital Quill Group")))
    assert len(merges) == 1 and merges[0].target_id == "organization:orbital-quill"


def test_a_merge_is_repeated_for_later_articles_and_names_are_learnt() -> None:
    resolver = Resolver()
    resolver.resolve(_article("a", _org("Orbital Quill Ltd")))
    resolver.resolve(_article("b", _org("Orbital Quill")))
    again = resolver.resolve(_article("c", _org("Orbital Quill")))
    assert [(m.source_id, m.target_id) for m in again.merges] == [
        ("organization:orbital-quill", "organization:orbital-quill-ltd")]


def test_blocking_keys_bring_variants_together() -> None:
    pairs = [("SBC Communications", "SBC"), ("Massachusetts Institute of Technology", "MIT"),
             ("Yuganskneftegas", "Yuganskneftegaz"), ("JP Morgan Chase", "JPMorgan Chase")]
    for a, b in pairs:
        assert blocking_keys(name_forms(a)) & blocking_keys(name_forms(b)), (a, b)
