"""`kg retract` (take articles back out of the graph) and `kg migrate` (bring a graph up to the time-aware model)."""

from __future__ import annotations

from typing import Annotated

import typer

from kg.cli.console import console, err_console


def retract_command(
    article_ids: Annotated[list[str] | None, typer.Argument(metavar="ARTICLE_ID", help="Ids of articles to take out.")]
    = None,
    source: Annotated[str | None, typer.Option(help="Take out every article stored with this source.")] = None,
) -> None:
    """Remove articles, their evidence and every fact left without evidence; recompute the facts that keep other
    evidence (counts, first publication, dates) and the validity intervals. Idempotent; `kg ingest` of the same
    article later brings it back whole."""
    from kg.store import GraphWriter, connect

    if not article_ids and source is None:
        err_console.print("[red]Error:[/] give article ids or --source NAME.")
        raise typer.Exit(1)
    with connect() as conn:
        writer = GraphWriter(conn)
        ids = [*(article_ids or []), *(writer.articles_from_source(source) if source is not None else [])]
        result = writer.retract(ids) if ids else None
    if result is None:
        console.print(f"No article is stored with source {source!r}: nothing to retract.")
        return
    console.print(f"{result.articles_removed} article(s) removed ({len(set(ids)) - result.articles_removed} not "
                  f"stored), {result.facts_removed} fact(s) removed, {result.facts_recomputed} recomputed.")


def migrate_command() -> None:
    """Add native dates (dateStart/dateEnd), event ids and validity intervals to a graph written before them.
    Safe to run again."""
    from kg.store import connect
    from kg.store.migration import migrate

    with connect() as conn, console.status(f"Migrating {conn.uri}…"):
        report = migrate(conn)
    console.print(f"{report.facts_updated} fact(s) updated ({report.facts_rekeyed} given an event id), "
                  f"{report.intervals} validity interval(s) derived.")


def register(app: typer.Typer) -> None:
    app.command("retract")(retract_command)
    app.command("migrate")(migrate_command)
