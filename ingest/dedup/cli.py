"""`kg dedup eval`: precision and recall of near-duplicate detection on the shared corpora (docs/corroboration.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingest.dedup.corpora import load_bbc, load_orangesum
from ingest.dedup.evaluation import DEFAULT_SAMPLE, DEFAULT_SEED, DedupReport, LinkedPair, evaluate
from kg.cli.console import console
from kg.store import text_signatures

app = typer.Typer(help="Near-duplicate articles: measure the detection the writer applies.", no_args_is_help=True)


def _sets_table(report: DedupReport) -> Table:
    table = Table(title="Pairs linked as copies", title_justify="left")
    for name, justify in (("set", "left"), ("label", "left"), ("pairs", "right"), ("linked", "right"),
                          ("rate", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for s in report.sets:
        table.add_row(s.name, "copy" if s.positive else "different", str(s.pairs), str(s.linked), f"{s.rate:.3f}")
    return table


def _pairs(out: Console, title: str, pairs: list[LinkedPair]) -> None:
    if pairs:
        out.print(f"\n[bold]{escape(title)}[/] ({len(pairs)})")
        for p in pairs:
            out.print(f"  {escape(p.a)}  {escape(p.b)}  jaccard {p.jaccard:.3f}  containment {p.containment:.3f}",
                      highlight=False)


def render(report: DedupReport, out: Console) -> None:
    out.print(f"rule: {text_signatures.SHINGLE_WORDS}-word shingles, Jaccard >= "
              f"{text_signatures.DUPLICATE_THRESHOLD} or containment >= {text_signatures.CONTAINED_THRESHOLD}, "
              f"candidates sharing {text_signatures.MIN_SHARED_BANDS} MinHash LSH bands ({text_signatures.NUM_PERM} "
              f"permutations, threshold {text_signatures.LSH_THRESHOLD}), texts of at least "
              f"{text_signatures.MIN_SHINGLES} shingles")
    out.print(_sets_table(report))
    out.print(f"precision {report.precision:.3f}  recall {report.recall:.3f}  (over every labelled pair above)")
    _pairs(out, "Different articles linked (false positives as labelled)", report.false_positives)
    _pairs(out, "Listed duplicates not linked", report.missed)
    for scan in report.scans:
        out.print(f"\n[bold]{scan.corpus}, every pair[/]: {scan.articles} articles, {scan.linked} pairs linked, "
                  f"{scan.listed_linked} of the {scan.listed} listed pairs among them, "
                  f"{scan.linked - scan.listed_linked} not on the list")
        _pairs(out, "first pairs linked that are not on the list", scan.unlisted_examples)


@app.command("eval")
def eval_command(
    corpora: Annotated[Path, typer.Option(help="The shared corpora folder")] = Path("../shared/corpora"),
    sample: Annotated[int, typer.Option(min=1, help="Articles per corpus given edited copies and a negative")]
    = DEFAULT_SAMPLE,
    seed: Annotated[int, typer.Option(help="Seed of the sample and of the edits")] = DEFAULT_SEED,
    scan: Annotated[bool, typer.Option(help="Also link every pair of each corpus")] = True,
) -> None:
    """Precision and recall on the corpora's duplicate lists, lightly edited copies and same-topic negatives."""
    report = evaluate([load_bbc(corpora), load_orangesum(corpora)], sample, seed, with_scan=scan)
    render(report, console)


@app.command("index")
def index_command(
    batch_size: Annotated[int, typer.Option(min=1, max=5000, help="Articles per transaction")] = 200,
) -> None:
    """Compare and cluster the articles stored before duplicate detection, and give their facts their sources
    (idempotent: a second run finds nothing to do)."""
    from ingest.dedup.backfill import index_stored_articles
    from kg.store import connect

    with connect() as conn:
        report = index_stored_articles(conn, batch_size, on_batch=lambda r: console.print(
            f"{r.articles} articles compared, {r.joined} joined a cluster, {r.facts} facts recomputed"))
    console.print(f"done: {report.articles} articles compared, {report.joined} joined a cluster, "
                  f"{report.facts} facts recomputed")
