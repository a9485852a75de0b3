"""The scorer against small hand-made gold and prediction sets; every expected number is worked out by hand."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.evaluation import PredictedFact, fold_name, score
from ingest.evaluation.gold import gold_article_from_dict
from ingest.evaluation.scoring import merge_duplicates

TEXT = ("Selon Business Insider, Elon Musk a acheté près de 10 000 GPU pour Twitter. "
        "Igor Babuschkin a quitté DeepMind. DeepMind est une filiale d'Alphabet.")


def gold(facts: list[dict], entities: list[dict] | None = None, article_id: str = "a1", lang: str = "fr",
         text: str = TEXT):
    defaults = {"alt_subjects": [], "alt_objects": [], "qualifiers": {}, "optional": False}
    return gold_article_from_dict({"id": article_id, "lang": lang, "published": None, "text": text,
                                   "entities": entities or [], "facts": [{**defaults, **f} for f in facts]})


def fact(subject: str, predicate: str, obj: str, **extra) -> dict:
    return {"subject": subject, "predicate": predicate, "object": obj, **extra}


def pred(subject: str, predicate: str, obj: str, article_id: str = "a1", sentence: str | None = None,
         **qualifiers) -> PredictedFact:
    return PredictedFact(article_id, subject, predicate, obj, qualifiers, sentence)


ENTITIES = [
    {"name": "Elon Musk", "type": "Person", "aliases": ["Musk", "@elonmusk"]},
    {"name": "Twitter", "type": "Organization", "aliases": []},
    {"name": "GPU", "type": "Product", "aliases": ["unités de traitement graphique", "GPUs"]},
    {"name": "Business Insider", "type": "Organization", "aliases": ["BI"]},
    {"name": "National Governors Association", "type": "Organization",
     "aliases": ["Association nationale des gouverneurs"]},
]


# --- name folding ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "folded"), [
    ("Élon MUSK", "elon musk"),                       # lowercase, diacritics dropped
    ("ﬁnance", "finance"),                            # NFKD compatibility form
    ("Alphabet Inc.", "alphabet inc"),                # punctuation dropped
    ("Canal+", "canal"),                              # symbols too
    ("Coca-Cola", "coca cola"),
    ("the Washington Post", "washington post"),
    ("A Company", "company"),
    ("An Agency", "agency"),
    ("L'Association", "association"),
    ("l’Équipe", "equipe"),                           # typographic apostrophe
    ("La Poste", "poste"),
    ("Le Monde", "monde"),
    ("Les Échos", "echos"),
    ("Un Groupe", "groupe"),
    ("Une Société", "societe"),
    ("Des Chercheurs", "chercheurs"),
    ("Du Pont", "pont"),
    ("de la Recherche", "recherche"),
    ("d'Alphabet", "alphabet"),
    ("\"La Recherche\"", "recherche"),               # quotes before the article
    ("Theranos", "theranos"),                         # "the" only as a whole word
    ("Leclerc", "leclerc"),
    ("Les", "les"),                                   # an article alone is a name
])
def test_fold_name_follows_scoring_md(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


# --- counts ----------------------------------------------------------------------------------------------------

def test_precision_recall_f1_are_micro_averaged() -> None:
    # gold: 3 required; predictions: 2 right, 1 wrong -> TP 2, FP 1, FN 1; P = R = F1 = 2/3
    article = gold([fact("Elon Musk", "PURCHASED", "GPU"), fact("Igor Babuschkin", "LEFT", "DeepMind"),
                    fact("DeepMind", "SUBSIDIARY_OF", "Alphabet")], ENTITIES)
    report = score([article], [pred("Elon Musk", "PURCHASED", "GPU"), pred("DeepMind", "SUBSIDIARY_OF", "Alphabet"),
                               pred("Twitter", "OWNS", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 1)
    assert report.overall.precision == pytest.approx(2 / 3)
    assert report.overall.recall == pytest.approx(2 / 3)
    assert report.overall.f1 == pytest.approx(2 / 3)


def test_no_prediction_gives_zero_scores_not_an_error() -> None:
    report = score([gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)], [])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 0, 1)
    assert (report.overall.precision, report.overall.recall, report.overall.f1) == (0.0, 0.0, 0.0)


def test_names_match_by_alias_after_folding() -> None:
    article = gold([fact("Elon Musk", "PURCHASED", "GPU"),
                    fact("Elon Musk", "JOINED", "National Governors Association")], ENTITIES)
    report = score([article], [pred("MUSK", "PURCHASED", "Unités de traitement graphique"),
                               pred("Musk", "JOINED", "l'Association nationale des gouverneurs")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 0, 0)


def test_a_name_that_is_no_alias_does_not_match() -> None:
    article = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon", "PURCHASED", "GPU")])  # "Elon" is not an alias
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 1, 1)


def test_predicate_must_be_equal() -> None:
    article = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon Musk", "LAUNCHED", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (0, 1, 1)


def test_alt_subjects_and_alt_objects_are_also_right() -> None:
    article = gold([fact("Twitter", "PURCHASED", "GPU", alt_subjects=["Elon Musk"]),
                    fact("Igor Babuschkin", "JOINED", "Twitter", alt_objects=["xAI"])], ENTITIES)
    report = score([article], [pred("Musk", "PURCHASED", "GPU"), pred("Igor Babuschkin", "JOINED", "XAI")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 0, 0)


def test_optional_facts_neither_reward_nor_punish() -> None:
    # required: SUBSIDIARY_OF (found); optional: OWNS (found) and WORKS_FOR (not found); one wrong prediction
    # -> TP 1, FP 1 (the wrong one only), FN 0 (an optional miss is no miss): P 1/2, R 1, F1 2/3
    article = gold([fact("DeepMind", "SUBSIDIARY_OF", "Alphabet"),
                    fact("Elon Musk", "OWNS", "Twitter", optional=True),
                    fact("Elon Musk", "WORKS_FOR", "Twitter", optional=True)], ENTITIES)
    report = score([article], [pred("DeepMind", "SUBSIDIARY_OF", "Alphabet"), pred("Elon Musk", "OWNS", "Twitter"),
                               pred("Twitter", "OWNS", "DeepMind")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 0)
    assert report.overall.f1 == pytest.approx(2 / 3)
    assert report.optional_matched == 1


def test_partnered_with_matches_in_either_order_other_predicates_do_not() -> None:
    article = gold([fact("Twitter", "PARTNERED_WITH", "DeepMind"), fact("DeepMind", "SUBSIDIARY_OF", "Alphabet")])
    report = score([article], [pred("DeepMind", "PARTNERED_WITH", "Twitter"),
                               pred("Alphabet", "SUBSIDIARY_OF", "DeepMind")])
    assert report.by_predicate["PARTNERED_WITH"].tp == 1
    assert (report.by_predicate["SUBSIDIARY_OF"].tp, report.by_predicate["SUBSIDIARY_OF"].fp,
            report.by_predicate["SUBSIDIARY_OF"].fn) == (0, 1, 1)


def test_each_gold_fact_is_matched_at_most_once() -> None:
    # "Igor Babuschkin" and "Babuschkin" fold differently, so both stay; only one can take the one gold fact
    article = gold([fact("Igor Babuschkin", "LEFT", "DeepMind")],
                   [{"name": "Igor Babuschkin", "type": "Person", "aliases": ["Babuschkin"]}])
    report = score([article], [pred("Igor Babuschkin", "LEFT", "DeepMind"), pred("Babuschkin", "LEFT", "DeepMind")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 0)


def test_each_prediction_is_matched_at_most_once() -> None:
    # one prediction fits both gold facts (Musk is the alt subject of the first): it counts once
    article = gold([fact("Twitter", "PURCHASED", "GPU", alt_subjects=["Elon Musk"]),
                    fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon Musk", "PURCHASED", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 0, 1)


def test_matching_is_maximum_not_greedy() -> None:
    # greedy in prediction order would give "Elon Musk" the first gold fact and leave "Twitter" with nothing
    article = gold([fact("Twitter", "PURCHASED", "GPU", alt_subjects=["Elon Musk"]),
                    fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon Musk", "PURCHASED", "GPU"), pred("Twitter", "PURCHASED", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 0, 0)


def test_required_facts_take_priority_over_optional_ones() -> None:
    # "Musk" fits the required fact (as alt subject) and the optional one; "Twitter" fits only the required one.
    # Best: Twitter -> required (TP), Musk -> optional (neutral): TP 1, FP 0, FN 0.
    article = gold([fact("Elon Musk", "PURCHASED", "GPU", optional=True),
                    fact("Twitter", "PURCHASED", "GPU", alt_subjects=["Elon Musk"])], ENTITIES)
    report = score([article], [pred("Musk", "PURCHASED", "GPU"), pred("Twitter", "PURCHASED", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 0, 0)
    assert report.optional_matched == 1
    # alone, "Musk" goes to the required fact rather than the optional one
    alone = score([article], [pred("Musk", "PURCHASED", "GPU")])
    assert (alone.overall.tp, alone.overall.fp, alone.overall.fn) == (1, 0, 0)


def test_duplicate_predictions_are_merged_per_article() -> None:
    # the same fact twice (spelt differently but folding the same) and a wrong fact twice -> TP 1, FP 1
    article = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon Musk", "PURCHASED", "GPU"), pred("ÉLON MUSK", "PURCHASED", "gpu"),
                               pred("Twitter", "OWNS", "GPU"), pred("Twitter", "OWNS", "GPU")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 1, 0)
    assert report.duplicates_merged == 2


def test_duplicates_are_merged_within_an_article_not_across_articles() -> None:
    first = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES, article_id="a1")
    second = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES, article_id="a2")
    report = score([first, second], [pred("Elon Musk", "PURCHASED", "GPU", article_id="a1"),
                                     pred("Elon Musk", "PURCHASED", "GPU", article_id="a2")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 0, 0)


def test_merging_keeps_the_first_value_of_each_qualifier_and_fills_gaps() -> None:
    merged, duplicates = merge_duplicates([pred("A", "ACQUIRED", "B", status="announced"),
                                           pred("a", "ACQUIRED", "B", status="completed", amount=5.0)])
    assert duplicates == 1
    assert merged[0].qualifiers == {"status": "announced", "amount": 5.0}


def test_partnered_with_in_both_orders_is_one_predicted_fact() -> None:
    article = gold([fact("Twitter", "PARTNERED_WITH", "DeepMind")])
    report = score([article], [pred("Twitter", "PARTNERED_WITH", "DeepMind"),
                               pred("DeepMind", "PARTNERED_WITH", "Twitter")])
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (1, 0, 0)


def test_per_predicate_and_per_language() -> None:
    fr = gold([fact("Elon Musk", "PURCHASED", "GPU"), fact("DeepMind", "SUBSIDIARY_OF", "Alphabet")], ENTITIES,
              article_id="fr1", lang="fr")
    en = gold([fact("Google", "LAUNCHED", "Gmail")], article_id="en1", lang="en", text="Google launched Gmail.")
    report = score([fr, en], [pred("Elon Musk", "PURCHASED", "GPU", article_id="fr1"),
                              pred("Google", "LAUNCHED", "Gmail", article_id="en1"),
                              pred("Google", "LAUNCHED", "Android", article_id="en1")])
    # fr: TP 1, FN 1; en: TP 1, FP 1
    assert (report.by_language["fr"].tp, report.by_language["fr"].fp, report.by_language["fr"].fn) == (1, 0, 1)
    assert (report.by_language["en"].tp, report.by_language["en"].fp, report.by_language["en"].fn) == (1, 1, 0)
    assert report.by_language["en"].precision == pytest.approx(0.5)
    assert report.by_language["fr"].recall == pytest.approx(0.5)
    # per predicate: PURCHASED TP 1; SUBSIDIARY_OF FN 1; LAUNCHED TP 1 FP 1
    assert (report.by_predicate["LAUNCHED"].tp, report.by_predicate["LAUNCHED"].fp) == (1, 1)
    assert report.by_predicate["SUBSIDIARY_OF"].fn == 1
    assert report.by_predicate["PURCHASED"].f1 == pytest.approx(1.0)
    assert (report.overall.tp, report.overall.fp, report.overall.fn) == (2, 1, 1)
    assert (report.by_article["fr1"].tp, report.by_article["fr1"].fn) == (1, 1)
    assert (report.by_article["en1"].tp, report.by_article["en1"].fp) == (1, 1)


def test_predictions_for_articles_not_in_the_gold_are_left_out_and_listed() -> None:
    article = gold([fact("Elon Musk", "PURCHASED", "GPU")], ENTITIES)
    report = score([article], [pred("Elon Musk", "PURCHASED", "GPU"), pred("X", "OWNS", "Y", article_id="zz")])
    assert (report.overall.tp, report.overall.fp) == (1, 0)
    assert report.unknown_articles == ["zz"]


# --- qualifiers ------------------------------------------------------------------------------------------------

def _qualifier_report(gold_qualifiers: dict, predicted: dict):
    article = gold([fact("Elon Musk", "PURCHASED", "GPU", qualifiers=gold_qualifiers)], ENTITIES)
    return score([article], [pred("Elon Musk", "PURCHASED", "GPU", **predicted)])


@pytest.mark.parametrize(("key", "gold_value", "predicted", "correct"), [
    ("date", "2023-03", "2023-03", True),
    ("date", "2023-03", "2023-03-18", False),           # same precision required
    ("date", "2023-03-18", None, False),
    ("quantity", 10000, 10099, True),                   # within 1 %
    ("quantity", 10000, 9901, True),
    ("quantity", 10000, 10101, False),
    ("amount", 44_000_000_000, 44.2e9, True),
    ("amount", 44_000_000_000, 45e9, False),
    ("amount", 1_500_000_000, None, False),
    ("role", "ceo", "chairman and ceo", True),           # either contains the other
    ("role", "chairman and ceo", "CEO", True),
    ("role", "head of research", "head", True),
    ("role", "ceo", "cfo", False),
    ("role", "coo", "coordinator", False),               # whole words, not letters
    ("currency", "USD", "USD", True),
    ("currency", "USD", "EUR", False),
    ("status", "announced", "announced", True),
    ("status", "announced", "completed", False),
    ("approximate", True, True, True),
    ("approximate", True, None, False),                 # no `approximate` predicted means not approximate
    ("approximate", False, None, True),
    ("reported_by", "Business Insider", "business insider", True),
    ("reported_by", "Business Insider", "BI", True),     # an alias of the gold entity
    ("reported_by", "Business Insider", "Reuters", False),
    ("vendor", "Boeing", "Boeing", True),
    ("vendor", "Boeing", "Airbus", False),
    ("modality", "reported", "reported", True),
    ("modality", "reported", None, False),               # a prediction without modality is asserted
])
def test_each_qualifier_is_scored_as_scoring_md_says(key, gold_value, predicted, correct) -> None:
    report = _qualifier_report({key: gold_value}, {} if predicted is None else {key: predicted})
    assert report.overall.tp == 1
    assert (report.qualifiers[key].correct, report.qualifiers[key].total) == (int(correct), 1)
    assert len(report.qualifier_errors) == (0 if correct else 1)


def test_gold_without_modality_means_asserted() -> None:
    assert _qualifier_report({}, {}).qualifiers["modality"].correct == 1
    assert _qualifier_report({}, {"modality": "asserted"}).qualifiers["modality"].correct == 1
    assert _qualifier_report({}, {"modality": "reported"}).qualifiers["modality"].correct == 0


def test_qualifiers_the_gold_does_not_give_are_not_scored() -> None:
    report = _qualifier_report({}, {"date": "2023-03-18", "quantity": 5})
    assert set(report.qualifiers) == {"modality"}


def test_qualifiers_are_scored_on_true_positives_only() -> None:
    article = gold([fact("Elon Musk", "PURCHASED", "GPU", qualifiers={"quantity": 10000}),
                    fact("Twitter", "OWNS", "GPU", qualifiers={"date": "2023"}, optional=True)], ENTITIES)
    report = score([article], [pred("Twitter", "PURCHASED", "GPU", quantity=10000),  # FP: not scored
                               pred("Twitter", "OWNS", "GPU", date="2022")])         # optional: not scored
    assert report.qualifiers == {}


def test_qualifier_accuracy_sums_over_true_positives() -> None:
    # three TPs give a date; two predicted it right -> 2/3
    article = gold([fact("A", "FOUNDED", "B", qualifiers={"date": "2001"}),
                    fact("C", "FOUNDED", "D", qualifiers={"date": "2002"}),
                    fact("E", "FOUNDED", "F", qualifiers={"date": "2003"})])
    report = score([article], [pred("A", "FOUNDED", "B", date="2001"), pred("C", "FOUNDED", "D", date="2002"),
                               pred("E", "FOUNDED", "F", date="2004")])
    assert report.qualifiers["date"].accuracy == pytest.approx(2 / 3)


# --- the facts behind the numbers ------------------------------------------------------------------------------

def test_misses_and_false_positives_name_article_and_sentence() -> None:
    article = gold([fact("Igor Babuschkin", "LEFT", "DeepMind")], ENTITIES)
    report = score([article], [pred("Twitter", "OWNS", "GPU", sentence="Elon Musk a acheté près de 10 000 GPU.")])
    (miss,) = report.misses
    assert (miss.article_id, miss.predicate, miss.sentence) == ("a1", "LEFT", "Igor Babuschkin a quitté DeepMind.")
    (false_positive,) = report.false_positives
    assert false_positive.article_id == "a1"
    assert false_positive.sentence == "Elon Musk a acheté près de 10 000 GPU."


def test_report_as_dict_is_plain_data() -> None:
    report = _qualifier_report({"quantity": 10000}, {"quantity": 10000})
    data = report.as_dict()
    assert data["overall"] == {"tp": 1, "fp": 0, "fn": 0, "precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert data["qualifiers"]["quantity"] == {"correct": 1, "total": 1, "accuracy": 1.0}


# --- the matching is optimal: checked against brute force on small random cases ---------------------------------

NAMES = ["Alpha", "Beta", "Gamma", "Delta"]


@st.composite
def matching_cases(draw):
    golds = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.lists(st.sampled_from(NAMES), max_size=2),
                                    st.sampled_from(NAMES), st.booleans()), max_size=4))
    preds = draw(st.lists(st.tuples(st.sampled_from(NAMES), st.sampled_from(NAMES)), max_size=5, unique=True))
    return golds, preds


def brute_force(golds, preds) -> tuple[int, int]:
    """The best (true positives, predictions matched at all) over every one-to-one assignment."""
    def fits(g, p) -> bool:
        subject, alts, obj, _ = golds[g]
        return preds[p][0] in {subject, *alts} and preds[p][1] == obj

    best = (0, 0)
    for choice in itertools.product([None, *range(len(golds))], repeat=len(preds)):
        used = [g for g in choice if g is not None]
        if len(used) != len(set(used)) or any(g is not None and not fits(g, p) for p, g in enumerate(choice)):
            continue
        best = max(best, (sum(1 for g in used if not golds[g][3]), len(used)))
    return best


@settings(max_examples=300, deadline=None)
@given(matching_cases())
def test_matching_maximises_true_positives_then_minimises_false_positives(case) -> None:
    golds, preds = case
    article = gold([fact(s, "OWNS", o, alt_subjects=alts, optional=optional) for s, alts, o, optional in golds])
    report = score([article], [pred(s, "OWNS", o) for s, o in preds])
    true_positives, matched = brute_force(golds, preds)
    assert report.overall.tp == true_positives
    assert report.overall.fp == len(preds) - matched
    assert report.overall.fn == sum(1 for g in golds if not g[3]) - true_positives
