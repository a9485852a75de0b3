"""`kg ingest`: articles from files and folders into the graph."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from kg.cli.console import console, err_console


def ingest_paths(paths: list[Path], show_progress: bool = True):
    """Load, extract and write every article under `paths`; returns (WriteResult, refused files)."""
    from kg.store import GraphWriter, WriteResult, connect

    from ingest.extractor import EXTRACTOR_VERSION, extract
    from ingest.loaders import RefusedFile, expand_paths, load_path
    from kg.errors import InputError

    files = list(expand_paths(paths))
    refused: list[RefusedFile] = []
    total = WriteResult()
    with connect() as conn, Progress(TextColumn("[bold]ingest"), BarColumn(), MofNCompleteColumn(),
                                     TextColumn("{task.fields[rate]} articles/s"), TimeElapsedColumn(),
                                     console=console, disable=not show_progress) as progress:
        writer = GraphWriter(conn, extractor_version=EXTRACTOR_VERSION)
        task = progress.add_task("ingest", total=len(files), rate="0.0")
        for path in files:
            try:
                article = load_path(path)
            except InputError as exc:
                refused.append(RefusedFile(str(path), str(exc)))
            else:
                total.add(writer.write(extract(article)))
            progress.advance(task)
            elapsed = progress.tasks[0].elapsed or 1e-9
            progress.update(task, rate=f"{progress.tasks[0].completed / elapsed:.1f}")
    return total, refused


def ingest_command(paths: list[Path] = typer.Argument(..., help="Article files (.txt, .html) or folders of them.")) -> None:
    """Read articles, extract facts and write them to Neo4j (idempotent: a second run changes nothing)."""
    result, refused = ingest_paths(paths)
    console.print(f"articles written {result.articles_written}, unchanged {result.articles_unchanged}, "
                  f"facts {result.facts_written}, refused files {len(refused)}")
    for predicate, count in sorted(result.facts_by_predicate.items()):
        console.print(f"  {predicate:<15} {count}")
    for item in refused:
        err_console.print(f"[yellow]refused[/] {item.reason}")
    for item in result.refused:
        err_console.print(f"[yellow]refused fact[/] {item.description}: {item.reason}")


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest_command)
