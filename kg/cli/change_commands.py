"""`kg changes status` and `kg changes prune`: the change feed's position and its retention (docs/changes.md)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from kg.cli.console import console

changes_app = typer.Typer(help="The change feed of facts (GET /v1/changes): its state and its retention.",
                          no_args_is_help=True)


@changes_app.command("status")
def status_command() -> None:
    """Show the last change recorded and where the retained window starts."""
    from kg.store import connect
    from kg.store.change_feed import feed_state

    with connect() as conn:
        state = feed_state(conn)
    console.print(f"last change: {state.last}; kept: changes after {state.pruned_through} "
                  f"({state.last - state.pruned_through} change(s))")


@changes_app.command("prune")
def prune_command(
    older_than_days: Annotated[float | None, typer.Option(
        "--older-than-days", min=0, help="Remove changes recorded more than this many days ago (default: "
                                         "KG_CHANGES_RETENTION_DAYS, 30).")] = None,
) -> None:
    """Remove changes older than the retention window. Readers whose cursor is older then get 410 Gone and must copy
    the graph again; run it from cron (daily) to keep the feed bounded."""
    from kg.store import connect
    from kg.store.change_feed import ChangeFeedSettings, prune_changes

    days = older_than_days if older_than_days is not None else ChangeFeedSettings().retention_days
    with connect() as conn:
        result = prune_changes(conn, dt.timedelta(days=days))
    console.print(f"{result.deleted} change(s) older than {days:g} day(s) removed; cursors up to "
                  f"{result.pruned_through} now answer 410 Gone.")


def register(app: typer.Typer) -> None:
    app.add_typer(changes_app, name="changes")
