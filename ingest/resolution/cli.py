"""`kg resolution eval` and `kg resolution build-gold`: the resolver's scores on the gold set, and the gold set."""

from __future__ import annotations

import json
from dataclasses import asdict
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kg.cli.console import console, err_console

if TYPE_CHECKING:
    from ingest.resolution.evaluation import Scores, SweepPoint

class SplitChoice(StrEnum):
    """The gold set's splits (`ingest.resolution.gold.Split`)."""

    train = "train"
    valid = "valid"
    test = "test"


app = typer.Typer(help="Cross-article entity resolution: scores on the gold set (docs/resolution.md).",
                  no_args_is_help=True)


def _scores_table(title: str, rows: list[Scores]) -> Table:
    table = Table(title=title, title_justify="left",
                  caption="pairs: cross-article mention pairs; variants: gold pairs with different names, found/all")
    for column in ("lang", "gold", "merged", "right", "P", "R", "variants", "B3 P", "B3 R", "B3 F1"):
        table.add_column(column, justify="right")
    for s in rows:
        table.add_row(s.lang, str(s.true_pairs), str(s.merged_pairs), str(s.right_pairs), f"{s.precision:.3f}",
                      f"{s.recall:.3f}", f"{s.variant_right}/{s.variant_pairs}", f"{s.bcubed_precision:.3f}",
                      f"{s.bcubed_recall:.3f}", f"{s.bcubed_f1:.3f}")
    return table


def _report_json(split: str, aliases: bool, scores: list[Scores], baseline: list[Scores],
                 points: list[SweepPoint], chosen: float) -> str:
    from ingest.resolution.resolver import MERGE_THRESHOLD

    def pairwise(s: Scores) -> dict[str, object]:
        return asdict(s) | {"precision": s.precision, "recall": s.recall, "bcubed_f1": s.bcubed_f1}

    return json.dumps({"split": split, "aliases": aliases, "threshold": MERGE_THRESHOLD,
                       "chosen_on_train_valid": chosen, "scores": [pairwise(s) for s in scores],
                       "ids_only": [pairwise(s) for s in baseline],
                       "sweep": [asdict(p) | {"precision": p.precision, "recall": p.recall} for p in points]},
                      indent=2)


@app.command("eval")
def eval_command(split: Annotated[SplitChoice, typer.Option(help="Split whose pairs are scored.")]
                 = SplitChoice.test,
                 as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
                 aliases: Annotated[bool, typer.Option(help=(
                     "Give the resolver the annotators' aliases of each entity (--no-aliases: names alone)."))]
                 = True,
                 min_precision: Annotated[float | None, typer.Option(help=(
                     "Exit 1 if the pairwise precision (all languages) is below this."))] = None,
                 min_recall: Annotated[float | None, typer.Option(help=(
                     "Exit 1 if the pairwise recall (all languages) is below this."))] = None) -> None:
    """Pairwise precision and recall, and B-cubed, per language, at the resolver's threshold; the threshold sweep
    over train and valid that chose it; and the figures with no resolution (ids alone) for comparison."""
    from ingest.resolution.evaluation import NO_MERGE, GoldSet, choose_threshold, sweep
    from ingest.resolution.resolver import MERGE_THRESHOLD

    gold = GoldSet.load()
    scores = gold.scores(MERGE_THRESHOLD, split.value, aliases)
    baseline = gold.scores(NO_MERGE, split.value, aliases)
    points = sweep(gold)
    chosen = choose_threshold(points)
    if as_json:
        typer.echo(_report_json(split.value, aliases, scores, baseline, points, chosen))
    else:
        console.print(_scores_table(f"Resolution, {split.value} pairs, threshold {MERGE_THRESHOLD}", scores))
        console.print(_scores_table(f"Ids alone (no resolution), {split.value} pairs", baseline))
        console.print("sweep over train+valid pairs: " + ", ".join(
            f"{p.threshold}: P {p.precision:.4f} R {p.recall:.4f}" for p in points))
        console.print(f"threshold chosen by the rule (highest recall with P >= 0.97): {chosen}")
    overall = scores[-1]
    if (min_precision is not None and overall.precision < min_precision) or \
            (min_recall is not None and overall.recall < min_recall):
        err_console.print(f"[red]Below the floor:[/] P {overall.precision:.3f}, R {overall.recall:.3f}.")
        raise typer.Exit(1)


@app.command("build-gold")
def build_gold_command() -> None:
    """Rebuild annotations/resolution/mentions.jsonl and pairs.jsonl from annotations/gold and judgements.tsv."""
    from ingest.resolution.gold import build

    mentions, pairs = build()
    console.print(f"{mentions} mentions, {pairs} labelled pairs written to annotations/resolution/")
