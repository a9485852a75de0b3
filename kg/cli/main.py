"""Entry point of the `kg` command."""

from __future__ import annotations

import logging
import sys
from importlib.metadata import entry_points
from typing import Annotated

import typer

from kg.cli.bulk_commands import bulk_export_command
from kg.cli.console import console, err_console
from kg.cli.curation_commands import register as register_curation_commands
from kg.cli.neo4j_commands import backup_command, neo4j_app, restore_command
from kg.cli.rdf_commands import register as register_rdf_commands
from kg.cli.time_commands import register as register_time_commands
from kg.errors import KgError

EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C

app = typer.Typer(help="The knowledge graph of the tech industry: news articles in, typed sourced facts out.",
                  no_args_is_help=True, pretty_exceptions_enable=False)
app.add_typer(neo4j_app, name="neo4j")
app.command("backup")(backup_command)
app.command("restore")(restore_command)
app.command("bulk-export")(bulk_export_command)
register_rdf_commands(app)
register_time_commands(app)
register_curation_commands(app)


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log what happens.")] = False) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")


@app.command("stats")
def stats() -> None:
    """Count articles, entities, facts and evidence in the graph."""
    from kg.store import connect
    from kg.store.reader import stats as graph_stats

    with connect() as conn:
        counts = graph_stats(conn)
        console.print(f"Neo4j {conn.server_version()} at {conn.uri}")
        for key in ("articles", "entities", "facts", "evidence"):
            console.print(f"{key:>9}: {getattr(counts, key)}")
        for item in counts.facts_by_predicate:
            console.print(f"{'':>11}{item.key}: {item.count}")


def load_plugins(target: typer.Typer) -> None:
    """Let `ingest` and `api` add their commands (declared under `kg.commands` in pyproject.toml)."""
    for ep in entry_points(group="kg.commands"):
        register = ep.load()
        register(target)


def run() -> None:
    load_plugins(app)
    try:
        app()
    except KgError as exc:
        err_console.print(f"[red]Error:[/] {exc}")
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("Interrupted.")
        sys.exit(EXIT_INTERRUPTED)
