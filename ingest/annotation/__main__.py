"""`python -m ingest.annotation …` (also `kg annotate …`): the annotators' and the trainers' tool.

    sample                 draw annotations/sample.tsv (seeded; do not redraw once annotation has started)
    queue --annotator A1   the next articles this annotator should annotate, and in which pass
    show ID                an article's metadata and exact text, as the offsets count it
    check FILE...          validate annotation files; store hash, language and evidence offsets
    build --split S OUT    a SCORING.md gold file of the annotated articles of a split (text joined back)
    agreement              first pass scored against the second, per language
    status                 how many articles are annotated, per pass, split and language
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from ingest.annotation.corpus import load_doc
from ingest.annotation.files import ANNOTATIONS_DIR, annotation_path, check_annotation, gold_line, load_annotation
from ingest.annotation.sample import default_dev_path, draw_sample, read_sample, write_sample

SAMPLE_FILE = ANNOTATIONS_DIR / "sample.tsv"
ANNOTATORS = 5
app = typer.Typer(help="The annotated corpus: sample, annotate, check, build gold files, measure agreement.",
                  no_args_is_help=True)


def _annotator_of(batch: int) -> str:
    return f"A{batch % ANNOTATORS + 1}"


def _second_annotator_of(batch: int) -> str:
    return f"A{(batch - 1) % ANNOTATORS + 1}"


@app.command()
def sample(force: Annotated[bool, typer.Option(help="Overwrite an existing sample.")] = False) -> None:
    """Draw the seeded, stratified sample with its splits and batches."""
    if SAMPLE_FILE.exists() and not force:
        raise typer.BadParameter(f"{SAMPLE_FILE} exists; redrawing would change the frozen splits (use --force).")
    docs = draw_sample(default_dev_path())
    write_sample(docs, SAMPLE_FILE)
    typer.echo(f"{len(docs)} articles written to {SAMPLE_FILE}")


@app.command()
def queue(annotator: Annotated[str, typer.Option(help="A1 … A5")],
          count: Annotated[int, typer.Option(help="How many to list.")] = 10) -> None:
    """The next articles to annotate, in order: this annotator's batches, plus the double-annotation items."""
    todo = []
    for doc in read_sample(SAMPLE_FILE):
        if _annotator_of(doc.batch) == annotator and not annotation_path(doc.id, "gold").exists():
            todo.append((doc.order, doc.id, "gold"))
        second_is_mine = doc.double and _second_annotator_of(doc.batch) == annotator
        if second_is_mine and not annotation_path(doc.id, "second").exists():
            todo.append((doc.order, doc.id, "second"))
    for _order, doc_id, pass_name in sorted(todo)[:count]:
        typer.echo(f"{doc_id}\t{pass_name}\t{annotation_path(doc_id, pass_name)}")


@app.command()
def show(doc_id: str) -> None:
    """Print an article's metadata and exact text."""
    doc = load_doc(doc_id)
    typer.echo(f"id: {doc.id}\nlang: {doc.lang}\npublished: {doc.published}\ntitle: {doc.title}\n---")
    typer.echo(doc.text)


@app.command()
def check(files: list[Path]) -> None:
    """Validate annotation files and fill in hashes and offsets; exit 1 on any error."""
    failed = 0
    for path in files:
        result = check_annotation(path)
        for warning in result.warnings:
            typer.echo(f"{path.name}: warning: {warning}")
        for error in result.errors:
            typer.echo(f"{path.name}: ERROR: {error}")
        failed += not result.ok
    typer.echo(f"{len(files) - failed} of {len(files)} files pass")
    raise typer.Exit(1 if failed else 0)


@app.command()
def build(split: Annotated[str, typer.Option(help="train, valid, test or all")], out: Path,
          pass_name: Annotated[str, typer.Option("--pass")] = "gold") -> None:
    """Write a gold JSONL file (SCORING.md) of the annotated articles of a split."""
    wanted = {s for s in ("train", "valid", "test") if split in ("all", s)}
    in_split = {i for s in wanted for i in (ANNOTATIONS_DIR / "splits" / f"{s}.txt").read_text().split()}
    docs = [d for d in read_sample(SAMPLE_FILE) if d.id in in_split]
    lines = [gold_line(load_annotation(p)) for d in docs if (p := annotation_path(d.id, pass_name)).exists()]
    out.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
    typer.echo(f"{len(lines)} articles of split {split} written to {out}")


@app.command("agreement")
def agreement_command() -> None:
    """Score each pass against the other (either plays the gold), overall and per language."""
    from ingest.annotation.agreement import agreement

    for first, second in (("gold", "second"), ("second", "gold")):
        report = agreement(first=first, second=second)
        typer.echo(f"{first}/ as gold, {second}/ as predictions:")
        for name, counts in [("overall", report.overall), *sorted(report.by_language.items())]:
            typer.echo(f"  {name}: P {counts.precision:.3f} R {counts.recall:.3f} F1 {counts.f1:.3f} "
                       f"(tp {counts.tp}, fp {counts.fp}, fn {counts.fn})")
        typer.echo("  qualifiers: " + ", ".join(f"{k} {q.accuracy:.2f} ({q.total})"
                                                for k, q in sorted(report.qualifiers.items())))


@app.command()
def disagreements() -> None:
    """Every fact and qualifier on which the two passes differ, in both directions (for adjudication)."""
    from ingest.annotation.agreement import agreement

    for first, second in (("gold", "second"), ("second", "gold")):
        report = agreement(first=first, second=second)
        for note in report.misses:
            typer.echo(f"{note.article_id}\trequired in {first}/, missing from {second}/\t{note.fact}")
        if first == "gold":
            for error in report.qualifier_errors:
                typer.echo(f"{error.article_id}\tqualifier {error.qualifier}\t{error.fact}\t"
                           f"gold/ {error.gold!r} second/ {error.predicted!r}")


@app.command()
def status() -> None:
    """Annotated articles per pass, split and language."""
    counts: Counter[tuple[str, str, str]] = Counter()
    for doc in read_sample(SAMPLE_FILE):
        for pass_name in ("gold", "second"):
            if annotation_path(doc.id, pass_name).exists():
                counts[(pass_name, doc.split, doc.lang)] += 1
    for key, n in sorted(counts.items()):
        typer.echo("\t".join(key) + f"\t{n}")


if __name__ == "__main__":
    app()
