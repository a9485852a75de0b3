"""Where recall is lost (`python -m ingest.training.breakdown`): every required gold fact of the train and valid
splits that the default extractor misses, put in the first stage that loses it.

- `mention`: the subject's or the object's name is not a mention (of the rules or the classifier: NER, knowledge
  base, gazetteer, anaphor) in the fact's evidence sentences: missing, split or cut;
- `pair`: both are mentions there, but no candidate pair joins them (different sentences, the mention or distance
  caps, a sentence in another language);
- `classifier`: the pair is scored, but its probability for the gold predicate stays below the threshold (or
  another predicate wins) and no rule states it;
- `assembly`: the classifier or a rule produced the fact, but it did not leave `build_extraction` (slot typing,
  the past-employment filter, merging, entity resolution renaming a slot).

Train facts were seen in training, so their `classifier` share is optimistic; the valid line is the honest one.
Only train and valid are read: the test split is never broken down."""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ingest.evaluation.gold import GoldArticle, GoldFact
from ingest.evaluation.scoring import match_facts, merge_duplicates, slot_names
from ingest.extraction.relations import DEFAULT_MODEL_DIR, Pair, TrainedModel
from ingest.training.data import ParsedArticle, annotations_dir, evidence_spans, load_split, mention_names
from ingest.training.train import _prepare, parse, predict

Stage = Literal["found", "mention", "pair", "classifier", "assembly"]
STAGES: tuple[Stage, ...] = ("found", "mention", "pair", "classifier", "assembly")


@dataclass
class Breakdown:
    """Required gold facts per (language, predicate) and stage."""

    counts: Counter[tuple[str, str, Stage]] = field(default_factory=Counter)

    def add(self, lang: str, predicate: str, stage: Stage) -> None:
        self.counts[(lang, predicate, stage)] += 1

    def rows(self) -> list[tuple[str, str, dict[Stage, int]]]:
        keys = sorted({(lang, pred) for lang, pred, _ in self.counts})
        rows = [(lang, pred, {s: self.counts[(lang, pred, s)] for s in STAGES}) for lang, pred in keys]
        for lang in sorted({lang for lang, _ in keys}):
            rows.append((lang, "all", {s: sum(self.counts[(lang, p, s)] for _, p in keys if _ == lang)
                                       for s in STAGES}))
        return rows


def _names_in(pair: Pair, fact: GoldFact, gold: GoldArticle, entities: dict) -> bool:
    subj = slot_names(gold, (fact.subject, *fact.alt_subjects))
    obj = slot_names(gold, (fact.object, *fact.alt_objects))
    s, o = mention_names(pair.subject, entities), mention_names(pair.object, entities)
    return bool(s & subj and o & obj) or (fact.predicate == "PARTNERED_WITH" and bool(s & obj and o & subj))


def stage_of(p: ParsedArticle, fact: GoldFact, span: tuple[int, int] | None,
             produced: set[tuple[str, str, str]]) -> Stage:
    """The first stage that loses a missed required fact of a prepared article."""
    gold = p.gold
    entities = p.doc._.kg.entities
    start, end = span if span else (0, len(gold.text))
    sents = [s for s in p.doc.sents if s.start_char < end and s.end_char > start]
    mentions = [m for m in p.prepared[1] if m.key and any(s.start <= m.start < s.end for s in sents)]
    names = set().union(*(mention_names(m, entities) for m in mentions)) if mentions else set()
    if not (names & slot_names(gold, (fact.subject, *fact.alt_subjects))
            and names & slot_names(gold, (fact.object, *fact.alt_objects))):
        return "mention"
    pairs = [x for x in p.prepared[3] if any(x.sent.start == s.start for s in sents)
             and _names_in(x, fact, gold, entities)]
    if not pairs:
        return "pair"
    if (fact.predicate, fact.subject, fact.object) in produced:
        return "assembly"
    return "classifier"


def _produced(p: ParsedArticle, model: TrainedModel) -> set[tuple[str, str, str]]:
    """(predicate, gold subject, gold object) of the gold facts some candidate (rule or model) states."""
    clf = _prepare(p, model)
    _, _, _, pairs, ids = p.prepared
    cands = clf.classify(p.doc, pairs, ids) + [c for c in p.rule_candidates if c.object is not None]
    entities = p.doc._.kg.entities
    out = set()
    for fact in p.gold.facts:
        subj = slot_names(p.gold, (fact.subject, *fact.alt_subjects))
        obj = slot_names(p.gold, (fact.object, *fact.alt_objects))
        for c in cands:
            s, o = mention_names(c.subject, entities), mention_names(c.object, entities)
            if c.predicate == fact.predicate and (s & subj and o & obj or (
                    fact.predicate == "PARTNERED_WITH" and s & obj and o & subj)):
                out.add((fact.predicate, fact.subject, fact.object))
    return out


def breakdown(articles: list[ParsedArticle], model: TrainedModel) -> Breakdown:
    out = Breakdown()
    for p in articles:
        preds, _ = merge_duplicates(predict([p], model, "both"))
        matched = set(match_facts(list(p.gold.facts), preds, p.gold).values())
        produced = _produced(p, model)
        spans = _spans_by_fact(p)
        for j, fact in enumerate(p.gold.facts):
            if fact.optional:
                continue
            stage: Stage = "found" if j in matched else stage_of(p, fact, spans.get(j), produced)
            out.add(p.gold.lang or "en", fact.predicate, stage)
    return out


def _spans_by_fact(p: ParsedArticle) -> dict[int, tuple[int, int]]:
    """Gold fact index → its evidence offsets (gold facts and annotation facts are in the same order)."""
    spans = evidence_spans(p.annotation, p.gold.text)
    return {j: s for j, s in enumerate(spans) if s is not None and j < len(p.gold.facts)}


def render(name: str, result: Breakdown) -> str:
    lines = [f"{name}: required gold facts by first losing stage",
             "| lang | predicate | " + " | ".join(STAGES) + " | total |", "|---" * (len(STAGES) + 3) + "|"]
    for lang, pred, counts in result.rows():
        total = sum(counts.values())
        lines.append(f"| {lang} | {pred} | " + " | ".join(str(counts[s]) for s in STAGES) + f" | {total} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--splits", default="train,valid", help="comma-separated: train, valid (never test)")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model folder")
    parser.add_argument("--annotations", type=Path, default=None, help="annotations folder")
    args = parser.parse_args(argv)
    model = TrainedModel.from_disk(args.model)
    root = annotations_dir(args.annotations)
    for name in args.splits.split(","):
        if name == "test":
            raise SystemExit("The test split is never broken down: only its totals are reported.")
        print(render(name, breakdown(parse(load_split(root, name)), model)), flush=True)


if __name__ == "__main__":
    main()
