"""The ablation the model card reports: every extractor mode (rules, model, both) on the valid split, the test split
and the shared dev set, each article parsed once (`python -m ingest.training.ablation`).

Scores come from `ingest.training.train.evaluate`, the path `kg train` selects on, which gives the numbers `kg eval
--mode M` gives one mode at a time. On the test split only totals are printed: overall, per language, per predicate
and qualifier accuracy, never an article or an error."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from ingest.evaluation import load_gold
from ingest.evaluation.gold import GoldArticle
from ingest.evaluation.report import EvalReport
from ingest.extraction.relations import DEFAULT_MODEL_DIR, MODES, TrainedModel
from ingest.training.data import ParsedArticle, annotations_dir, gold_articles, load_split
from ingest.training.train import evaluate, pipeline

DEV_SET = Path(__file__).resolve().parents[2].parent / "shared" / "eval" / "dev.jsonl"


def parse_gold(golds: Sequence[GoldArticle]) -> list[ParsedArticle]:
    """Gold articles parsed once by the rules-mode pipeline of their language (annotations not needed)."""
    out = []
    for lang in sorted({g.lang or "en" for g in golds}):
        items = [g for g in golds if (g.lang or "en") == lang]
        for gold, doc in zip(items, pipeline(lang).pipe(g.text for g in items), strict=True):
            facts = doc._.kg
            out.append(ParsedArticle({"id": gold.id}, gold, doc, list(facts.candidates), list(facts.mentions),
                                     dict(facts.entities)))
    return out


def gold_of(name: str, annotations: Path) -> list[GoldArticle]:
    """`valid`, `test` (or `train`) from the annotations, `dev` from the shared dev set."""
    if name == "dev":
        return load_gold(DEV_SET)
    return gold_articles(load_split(annotations, name))


def line(name: str, mode: str, report: EvalReport) -> str:
    def cell(c) -> str:
        return f"{c.precision:.3f} / {c.recall:.3f} / {c.f1:.3f}"

    langs = " | ".join(f"{lang} {cell(c)}" for lang, c in sorted(report.by_language.items()))
    return f"{name} {mode}: all {cell(report.overall)} | {langs}"


def totals(report: EvalReport) -> str:
    predicates = ", ".join(f"{p} {c.tp}/{c.fp}/{c.fn}" for p, c in sorted(
        report.by_predicate.items(), key=lambda item: (-item[1].tp, item[0])))
    qualifiers = ", ".join(f"{q} {s.correct}/{s.total}" for q, s in sorted(report.qualifiers.items()))
    return f"  per predicate (TP/FP/FN): {predicates}\n  qualifiers on true positives: {qualifiers}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="valid,test,dev", help="comma-separated: valid, test, dev, train")
    parser.add_argument("--modes", default=",".join(MODES), help="comma-separated: rules, model, both")
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_DIR, help="model folder")
    parser.add_argument("--annotations", type=Path, default=None, help="annotations folder")
    args = parser.parse_args(argv)
    model = TrainedModel.from_disk(args.model)
    root = annotations_dir(args.annotations)
    for name in args.sets.split(","):
        articles = parse_gold(gold_of(name, root))
        for mode in args.modes.split(","):
            report = evaluate(articles, model, mode)
            print(line(name, mode, report), flush=True)
            print(totals(report), flush=True)


if __name__ == "__main__":
    main()
