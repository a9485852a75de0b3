"""`kg ingest`, `kg extract` and `kg eval`: articles into the graph, facts to the screen, scores against gold."""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from kg.cli.console import console, err_console

if TYPE_CHECKING:
    from ingest.ingestion import IngestProgress, IngestReport
    from ingest.loaders import RefusedInput
    from kg.model import ArticleExtraction

PathsArgument = Annotated[list[Path], typer.Argument(metavar="PATH",
    help="Article files (.txt, .md, .html, .jsonl, .json, .rss, .atom, .xml) or folders of them (recursive).")]


def _print_refusals(refused: Iterable[RefusedInput], title: str = "refused") -> None:
    for item in refused:
        err_console.print(f"[yellow]{title}[/] {escape(str(item))}", highlight=False, soft_wrap=True)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


# --- kg ingest -------------------------------------------------------------------------------------------------

def _print_ingest_summary(report: IngestReport) -> None:
    written = report.written
    rate = report.articles_read / report.elapsed if report.elapsed > 0 else 0.0
    table = Table(title="Ingest summary", title_justify="left", show_header=False)
    table.add_column("what")
    table.add_column("count", justify="right")
    rows = [("articles read", report.articles_read), ("articles written", written.articles_written),
            ("articles unchanged", written.articles_unchanged),
            ("  skipped before extraction", report.skipped_before_extraction),
            ("facts written", written.facts_written),
            *((f"  {predicate}", count) for predicate, count in sorted(written.facts_by_predicate.items())),
            ("facts removed", written.facts_removed), ("inputs refused", len(report.refused)),
            ("facts refused by the ontology", len(written.refused))]
    for label, value in rows:
        table.add_row(label, str(value))
    console.print(table)
    console.print(f"{report.elapsed:.1f} s, {rate:.1f} articles/s")
    _print_refusals(report.refused)
    for fact in written.refused:
        line = f"article {fact.article_id}: {fact.description}: {fact.reason}"
        err_console.print(f"[yellow]refused fact[/] {escape(line)}", highlight=False, soft_wrap=True)


def ingest_command(paths: PathsArgument,
                   progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
                   workers: Annotated[int, typer.Option(min=1, help=(
                       "Extraction processes on this machine (writes stay in this process)."))] = 1,
                   cluster: Annotated[str | None, typer.Option(help=(
                       "Dask scheduler address (tcp://host:8786): extract on that cluster's workers; see "
                       "docs/scaling.md."))] = None,
                   published: Annotated[str | None, typer.Option(help=(
                       "Publication date (ISO 8601) of the articles read, for files that carry none; for a "
                       "folder, put a NAME.meta.json beside each file (docs/ingest-and-eval.md)."))] = None,
                   source: Annotated[str | None, typer.Option(help="Source (outlet) of the articles read.")] = None,
                   lang: Annotated[str | None, typer.Option(help="Language of the articles read (en, fr).")] = None,
                   url: Annotated[str | None, typer.Option(help="Where the article was published.")] = None,
                   title: Annotated[str | None, typer.Option(help="The article's title.")] = None) -> None:
    """Read articles, extract facts and write them to Neo4j (idempotent: a second run changes nothing, and
    articles stored unchanged are skipped before extraction)."""
    from ingest.ingestion import ingest_paths
    from ingest.loaders.metadata import ArticleMetadata
    from ingest.parallel import parallel_extractor
    from kg.errors import InputError
    from kg.store import connect

    try:
        metadata = ArticleMetadata.checked({"published": published, "source": source, "lang": lang, "url": url,
                                            "title": title}, "the command line")
    except InputError as exc:
        raise _fail(str(exc)) from exc

    extract_with = parallel_extractor(workers, cluster) if workers > 1 or cluster else None

    bar = Progress(TextColumn("[bold]ingest[/] files"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("{task.fields[articles]} articles, {task.fields[rate]} articles/s"),
                   TimeElapsedColumn(), console=err_console, disable=not progress, transient=False)
    with connect() as conn, bar:
        task = bar.add_task("ingest", total=None, articles=0, rate="0.0")

        def on_progress(p: IngestProgress) -> None:
            bar.update(task, total=p.files_total, completed=p.files_done, articles=p.articles_done,
                       rate=f"{p.articles_per_second:.1f}")

        report = ingest_paths(conn, paths, on_progress=on_progress, extract_with=extract_with,
                              metadata=metadata or None)
    _print_ingest_summary(report)
    if report.nothing_read:
        raise _fail(f"no article could be read from {', '.join(map(str, paths))}; see the reasons above.")


# --- kg extract ------------------------------------------------------------------------------------------------

class OutputFormat(StrEnum):
    jsonl = "jsonl"
    table = "table"


def _facts_table(extraction: ArticleExtraction) -> Table:
    article = extraction.article
    table = Table(title=escape(f"{article.id} ({article.lang}) {article.title or ''}".rstrip()), title_justify="left")
    for name in ("subject", "predicate", "object", "qualifiers", "sentence"):
        table.add_column(name, overflow="fold")
    for fact in extraction.facts:
        qualifiers = ", ".join(f"{k}={v}" for k, v in fact.qualifiers.as_dict().items()
                               if not (k == "modality" and v == "asserted"))
        sentence = fact.evidence[0].sentence if fact.evidence else ""
        table.add_row(f"{escape(fact.subject.name)} [dim]{fact.subject.type}[/]", fact.predicate,
                      f"{escape(fact.object.name)} [dim]{fact.object.type}[/]", escape(qualifiers), escape(sentence))
    return table


def extract_command(paths: PathsArgument,
                    output: Annotated[OutputFormat, typer.Option("--format", "-f", help=(
                        "jsonl: one JSON object per fact, as SCORING.md reads it; table: for people."))]
                    = OutputFormat.jsonl) -> None:
    """Print the facts found in articles, without touching Neo4j."""
    from ingest.batch import InputBatch, extract_articles
    from ingest.loaders import RefusedInput

    batch = InputBatch.from_paths(paths)
    failed: list[RefusedInput] = []
    articles = 0
    for item in extract_articles(batch.articles()):
        if isinstance(item, RefusedInput):
            failed.append(item)
            continue
        articles += 1
        if output is OutputFormat.jsonl:
            for fact in item.facts:
                typer.echo(json.dumps(fact.to_output(item.article.id), ensure_ascii=False))
        else:
            console.print(_facts_table(item))
    _print_refusals([*batch.refused, *failed])
    if articles == 0:
        raise _fail(f"no article could be read from {', '.join(map(str, paths))}; see the reasons above.")


# --- kg eval ---------------------------------------------------------------------------------------------------

class Mode(StrEnum):
    rules = "rules"
    model = "model"
    both = "both"


def _set_mode(mode: Mode | None, model: Path | None) -> None:
    """Choose the extractor mode and model folder for this process (before any pipeline is built)."""
    import os

    from ingest.nlp import MODE_ENV, MODEL_DIR_ENV, pipeline_for

    if mode is not None:
        os.environ[MODE_ENV] = mode.value
    if model is not None:
        os.environ[MODEL_DIR_ENV] = str(model)
    pipeline_for.cache_clear()


def eval_command(gold: Annotated[Path | None, typer.Argument(help=(
                     "Gold file (JSONL), as shared/eval/SCORING.md describes; or use --split."))] = None,
                 split: Annotated[str | None, typer.Option(help=(
                     "Score on an annotation split instead of a gold file: train, valid or test (test prints "
                     "totals only)."))] = None,
                 annotations: Annotated[Path | None, typer.Option(help=(
                     "Annotations folder for --split (default: KG_ANNOTATIONS, else the repository's "
                     "annotations/)."))] = None,
                 mode: Annotated[Mode | None, typer.Option(help=(
                     "Extractor mode: rules, model or both (default: KG_EXTRACTOR_MODE, else both)."))] = None,
                 model: Annotated[Path | None, typer.Option(help="Model folder (default: ingest/data/model).")]
                 = None,
                 predictions: Annotated[Path | None, typer.Option(help=(
                     "Score this extractor output (JSONL, as `kg extract` prints it) instead of running the "
                     "extractor."))] = None,
                 as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
                 min_f1: Annotated[float | None, typer.Option(help=(
                     "Exit with status 1 when micro F1, overall or in any language, is below this."))] = None,
                 max_errors: Annotated[int, typer.Option(help=(
                     "How many misses, false positives and wrong qualifiers to list (0 none, -1 all)."))] = 50,
                 per_article: Annotated[bool, typer.Option(help="Also show the counts of each article.")] = False,
                 ) -> None:
    """Score the extractor against a gold file or an annotation split: P, R, F1 per predicate and language."""
    from ingest.batch import extractor_version
    from ingest.evaluation import load_gold, load_predictions, run_extractor, score
    from ingest.evaluation.render import render_report

    if (gold is None) == (split is None):
        raise _fail("give either a gold file or --split (train, valid, test).")
    _set_mode(mode, model)
    if split is not None:
        from ingest.training.data import annotations_dir, gold_articles, load_split

        root = annotations_dir(annotations)
        try:
            articles = gold_articles(load_split(root, split))
        except FileNotFoundError as exc:
            raise _fail(str(exc)) from exc
        if not articles:
            raise _fail(f"no annotated article of split {split} in {root}.")
        label = f"split {split} ({root})"
    else:
        articles = load_gold(gold)
        label = str(gold)
    totals_only = split == "test"  # the frozen test split: nobody reads its individual errors
    if totals_only:
        max_errors, per_article = 0, False
    failed = []
    if predictions is not None:
        predicted = load_predictions(predictions)
        source = str(predictions)
    else:
        with err_console.status(f"Extracting facts from {len(articles)} gold articles…"):
            run = run_extractor(articles)
        predicted, failed, source = run.predictions, run.failed, f"extractor {extractor_version()}"
    report = score(articles, predicted)
    if as_json:
        data = {"gold": label, "predictions": source, **report.as_dict(),
                "failed": [{"source": f.source, "reason": f.reason} for f in failed]}
        if totals_only:
            for key in ("by_article", "misses", "false_positives", "qualifier_errors", "failed"):
                data.pop(key, None)
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        console.print(f"[bold]{escape(label)}[/] scored against {source}")
        render_report(report, console, max_errors, per_article)
        if not totals_only:
            _print_refusals(failed, "extractor failed")
        elif failed:
            err_console.print(f"[yellow]the extractor failed on {len(failed)} articles[/]")
    if min_f1 is not None:
        below = {name: c.f1 for name, c in [("overall", report.overall), *sorted(report.by_language.items())]
                 if c.f1 < min_f1}
        if below:
            raise _fail(f"F1 below {min_f1}: " + ", ".join(f"{k} {v:.3f}" for k, v in below.items()) + ".")


# --- kg train --------------------------------------------------------------------------------------------------

def train_command(annotations: Annotated[Path | None, typer.Option(help=(
                      "Annotations folder (gold/ and splits/; default: KG_ANNOTATIONS, else the repository's "
                      "annotations/)."))] = None,
                  output: Annotated[Path | None, typer.Option("--output", "-o", help=(
                      "Where to write the model (default: ingest/data/model, the shipped model)."))] = None,
                  subset: Annotated[int | None, typer.Option(min=1, help=(
                      "Train on this many train articles only (a smoke run), valid cut to a quarter of it."))]
                  = None,
                  seed: Annotated[int, typer.Option(help="Seed of the shuffles.")] = 0,
                  epochs: Annotated[int, typer.Option(min=1, help="Passes over the training pairs.")] = 15,
                  conll04: Annotated[bool, typer.Option(help=(
                      "Also train on CoNLL04's English Work_For pairs (../shared/corpora/conll04)."))] = False,
                  learning_curve: Annotated[bool, typer.Option(help=(
                      "Also train on 25 % and 50 % of train and report valid F1 for each."))] = False,
                  ) -> None:
    """Train the relation classifier from the annotations (train split; epoch, threshold and kept rules chosen
    on valid) and write it where the extractor reads it."""
    import time

    from ingest.extraction.relations import DEFAULT_MODEL_DIR, model_hash
    from ingest.training.data import annotations_dir
    from ingest.training.report import learning_curve as curve
    from ingest.training.report import write_meta
    from ingest.training.train import TrainConfig, train_from_annotations

    root = annotations_dir(annotations)
    out = output or DEFAULT_MODEL_DIR
    config = TrainConfig(epochs=epochs, seed=seed, subset=subset, conll04=conll04)
    started = time.time()

    def progress(message: str) -> None:
        err_console.print(f"[dim]{time.time() - started:6.0f} s[/] {escape(message)}", highlight=False)

    result, train, valid = train_from_annotations(root, config, progress)
    points = curve(train, valid, config, progress) if learning_curve else None
    write_meta(result, out, root, config, time.time() - started, points)
    console.print(f"model written to {out} (hash {model_hash(out)}) in {time.time() - started:.0f} s")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
    app.command("extract")(extract_command)
    app.command("eval")(eval_command)
    app.command("train")(train_command)
    from ingest.watch.cli import watch_command

    app.command("watch")(watch_command)
    from ingest.annotation.__main__ import app as annotation_app

    app.add_typer(annotation_app, name="annotate")
    from ingest.resolution.cli import app as resolution_app

    app.add_typer(resolution_app, name="resolution")
    from ingest.dedup.cli import app as dedup_app

    app.add_typer(dedup_app, name="dedup")
