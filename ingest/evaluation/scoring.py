"""The scorer of `shared/eval/SCORING.md`, as pure functions: gold articles and predicted facts in, a report out.

    report = score(load_gold(path), predictions)

Rules, as SCORING.md states them:
- names match after `fold_name` (NFKD, lowercase, no diacritics, no punctuation, no leading article) against the
  gold entity's name or aliases; `alt_subjects` / `alt_objects` are also right in their slot; PARTNERED_WITH in
  either order; entity types are not compared;
- predicted facts are merged per article when subject, predicate and object fold the same (PARTNERED_WITH in
  either order, as the graph stores it); the merged fact keeps the first value of each qualifier;
- each gold fact and each predicted fact is matched at most once. The matching is a maximum one: first the most
  required gold facts (true positives), then the most optional ones, so a prediction that matches only an optional
  fact is neither rewarded nor punished and a prediction is never wasted on an optional fact a required one needed;
- qualifiers are scored on true positives only, for the qualifiers the gold fact gives (modality always: a gold
  fact without it means `asserted`; a prediction without it too). `date` exact string; `quantity` and `amount`
  within 1 %; `role` when either folded title contains the other as whole words; `reported_by` and `vendor` as
  names; `approximate` exact, a prediction without it meaning false; anything else (currency, status, round)
  exact.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from ingest.evaluation.gold import GoldArticle, GoldFact
from ingest.evaluation.names import fold_name
from ingest.evaluation.predictions import PredictedFact
from ingest.evaluation.report import Counts, EvalReport, FactNote, QualifierError, QualifierScore

SYMMETRIC_PREDICATES = frozenset({"PARTNERED_WITH"})
NUMERIC_TOLERANCE = 0.01
DEFAULT_QUALIFIERS = {"modality": "asserted"}
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])\s+|\n+")


# --- merging predictions ---------------------------------------------------------------------------------------

def fact_key(pred: PredictedFact) -> tuple[str, str, str]:
    subject, obj = fold_name(pred.subject), fold_name(pred.object)
    if pred.predicate in SYMMETRIC_PREDICATES and obj < subject:
        subject, obj = obj, subject
    return subject, pred.predicate, obj


def merge_duplicates(predictions: Iterable[PredictedFact]) -> tuple[list[PredictedFact], int]:
    """One fact per (subject, predicate, object) of an article, and how many duplicates were folded in."""
    merged: dict[tuple[str, str, str], PredictedFact] = {}
    duplicates = 0
    for pred in predictions:
        key = fact_key(pred)
        known = merged.get(key)
        if known is None:
            merged[key] = pred
            continue
        duplicates += 1
        missing = {k: v for k, v in pred.qualifiers.items() if known.qualifiers.get(k) is None}
        if missing:
            merged[key] = PredictedFact(known.article_id, known.subject, known.predicate, known.object,
                                        {**known.qualifiers, **missing}, known.sentence or pred.sentence,
                                        known.subject_type, known.object_type)
    return list(merged.values()), duplicates


# --- matching --------------------------------------------------------------------------------------------------

def slot_names(article: GoldArticle, names: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*(article.names_for(n) for n in names))


def fact_matches(gold: GoldFact, pred: PredictedFact, article: GoldArticle) -> bool:
    if gold.predicate != pred.predicate:
        return False
    subjects = slot_names(article, (gold.subject, *gold.alt_subjects))
    objects = slot_names(article, (gold.object, *gold.alt_objects))
    subject, obj = fold_name(pred.subject), fold_name(pred.object)
    if subject in subjects and obj in objects:
        return True
    return gold.predicate in SYMMETRIC_PREDICATES and subject in objects and obj in subjects


def _augment(pred: int, edges: list[list[int]], owner: dict[int, int], seen: set[int],
             allowed: Callable[[int], bool]) -> bool:
    for gold in edges[pred]:
        if gold in seen or not allowed(gold):
            continue
        seen.add(gold)
        if gold not in owner or _augment(owner[gold], edges, owner, seen, allowed):
            owner[gold] = pred
            return True
    return False


def match_facts(golds: list[GoldFact], preds: list[PredictedFact], article: GoldArticle) -> dict[int, int]:
    """Prediction index → gold index: a maximum matching on required facts, extended to optional ones."""
    edges = [[j for j, gold in enumerate(golds) if fact_matches(gold, pred, article)] for pred in preds]
    owner: dict[int, int] = {}  # gold index → prediction index
    for allowed in (lambda j: not golds[j].optional, lambda _j: True):
        matched = set(owner.values())
        for i in range(len(preds)):
            if i not in matched and edges[i]:
                _augment(i, edges, owner, set(), allowed)
                matched = set(owner.values())
    return {pred: gold for gold, pred in owner.items()}


# --- qualifiers ------------------------------------------------------------------------------------------------

def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _within_tolerance(gold: Any, pred: Any) -> bool:
    g, p = _number(gold), _number(pred)
    if g is None or p is None:
        return False
    return abs(p - g) <= NUMERIC_TOLERANCE * abs(g)


def _role_matches(gold: Any, pred: Any) -> bool:
    if not gold or not pred:
        return False
    g, p = f" {fold_name(str(gold))} ", f" {fold_name(str(pred))} "
    return bool(g.strip() and p.strip()) and (g in p or p in g)


def qualifier_correct(key: str, gold_value: Any, pred_value: Any, article: GoldArticle) -> bool:
    if key in ("quantity", "amount"):
        return _within_tolerance(gold_value, pred_value)
    if key == "role":
        return _role_matches(gold_value, pred_value)
    if key in ("reported_by", "vendor"):
        return pred_value is not None and fold_name(str(pred_value)) in article.names_for(str(gold_value))
    if key == "approximate":
        return bool(pred_value) == bool(gold_value)
    if key == "date":
        return pred_value is not None and str(pred_value) == str(gold_value)
    return pred_value == gold_value


def score_qualifiers(gold: GoldFact, pred: PredictedFact, article: GoldArticle) -> dict[str, tuple[bool, Any, Any]]:
    """For each qualifier the gold fact gives (and modality): (correct, gold value, predicted value)."""
    results = {}
    for key in sorted(set(gold.qualifiers) | set(DEFAULT_QUALIFIERS)):
        gold_value = gold.qualifiers.get(key, DEFAULT_QUALIFIERS.get(key))
        if gold_value is None:
            continue
        pred_value = pred.qualifiers.get(key, DEFAULT_QUALIFIERS.get(key))
        results[key] = (qualifier_correct(key, gold_value, pred_value, article), gold_value, pred_value)
    return results


# --- sentences for the error lists ----------------------------------------------------------------------------

def sentence_mentioning(article: GoldArticle, first: frozenset[str], second: frozenset[str]) -> str | None:
    """The first sentence of the article naming both slots (or else the first naming the first slot)."""
    fallback = None
    for sentence in _SENTENCE_BREAK.split(article.text):
        folded = f" {fold_name(sentence)} "
        has_first = any(f" {name} " in folded for name in first if name)
        if has_first and any(f" {name} " in folded for name in second if name):
            return sentence.strip()
        if has_first and fallback is None:
            fallback = sentence.strip()
    return fallback


# --- scoring ---------------------------------------------------------------------------------------------------

def _counts(table: dict[str, Counts], key: str) -> Counts:
    return table.setdefault(key, Counts())


def score_article(article: GoldArticle, predictions: Iterable[PredictedFact], report: EvalReport) -> None:
    preds, duplicates = merge_duplicates(predictions)
    report.duplicates_merged += duplicates
    golds = list(article.facts)
    matching = match_facts(golds, preds, article)
    lang = article.lang or "unknown"
    language = _counts(report.by_language, lang)
    own = _counts(report.by_article, article.id)
    matched_golds = set(matching.values())
    for i, pred in enumerate(preds):
        j = matching.get(i)
        if j is None:
            for table in (report.overall, language, own, _counts(report.by_predicate, pred.predicate)):
                table.fp += 1
            report.false_positives.append(FactNote(article.id, article.lang, pred.predicate, pred.describe(),
                                                   pred.sentence))
            continue
        gold = golds[j]
        if gold.optional:
            report.optional_matched += 1
            continue
        for table in (report.overall, language, own, _counts(report.by_predicate, gold.predicate)):
            table.tp += 1
        for key, (correct, gold_value, pred_value) in score_qualifiers(gold, pred, article).items():
            qualifier = report.qualifiers.setdefault(key, QualifierScore())
            qualifier.total += 1
            qualifier.correct += correct
            if not correct:
                report.qualifier_errors.append(QualifierError(article.id, gold.describe(), key, gold_value,
                                                              pred_value))
    for j, gold in enumerate(golds):
        if gold.optional or j in matched_golds:
            continue
        for table in (report.overall, language, own, _counts(report.by_predicate, gold.predicate)):
            table.fn += 1
        sentence = sentence_mentioning(article, slot_names(article, (gold.subject, *gold.alt_subjects)),
                                       slot_names(article, (gold.object, *gold.alt_objects)))
        report.misses.append(FactNote(article.id, article.lang, gold.predicate, gold.describe(), sentence))


def score(gold_articles: Iterable[GoldArticle], predictions: Iterable[PredictedFact]) -> EvalReport:
    """Score `predictions` (any order, any mix of articles) against `gold_articles`, as SCORING.md says.

    Predictions for an article the gold does not hold are left out of the numbers and listed in
    `report.unknown_articles`."""
    articles = list(gold_articles)
    by_article: dict[str, list[PredictedFact]] = defaultdict(list)
    for pred in predictions:
        by_article[pred.article_id].append(pred)
    report = EvalReport(articles=len(articles))
    known = {a.id for a in articles}
    report.unknown_articles = sorted(set(by_article) - known)
    for article in articles:
        score_article(article, by_article.get(article.id, []), report)
    return report
