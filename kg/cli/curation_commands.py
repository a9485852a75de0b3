"""`kg entities merge|split|rename|retype|alias|wikidata`, `kg facts reject|confirm` and `kg curation log`: the
curation actions of kg.curation from the command line (who acts: --by, default the login name)."""

from __future__ import annotations

import getpass
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.console import console

if TYPE_CHECKING:  # the driver and the store load only when a command runs
    from kg.curation.records import LogEntry, Outcome
    from kg.curation.service import Curator

entities_app = typer.Typer(help="Curate entities: merge, split, rename, retype, add an alias, set a Wikidata id.",
                           no_args_is_help=True)
facts_app = typer.Typer(help="Curate facts: reject or confirm one by id.", no_args_is_help=True)
curation_app = typer.Typer(help="The curation audit log.", no_args_is_help=True)

Why = Annotated[str, typer.Option("--why", help="Why (kept in the audit log).")]
By = Annotated[str | None, typer.Option("--by", help="Who acts (default: your login name).")]
Entity = Annotated[str, typer.Argument(metavar="ENTITY_ID", help="An entity id such as organization:deepmind.")]


def _run(by: str | None, action: Callable[[Curator], Outcome]) -> None:
    from kg.curation.service import Curator
    from kg.store import connect

    with connect() as conn:
        outcome = action(Curator(conn, by or _login()))
    _print_entry(outcome.entry)
    changes = outcome.changes
    if changes.all_ids():
        console.print(f"  facts: {len(changes.added)} added, {len(changes.updated - changes.added)} updated, "
                      f"{len(changes.removed)} removed")


def _login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "cli"


def _print_entry(entry: LogEntry) -> None:
    console.print(f"{entry.at}  {entry.by}  {entry.action}: {entry.detail}" + (f" — {entry.why}" if entry.why else ""))


@entities_app.command("merge")
def merge(into: Entity, merged: Annotated[str, typer.Argument(metavar="MERGED_ID", help="The entity merged away.")],
          why: Why, by: By = None) -> None:
    """Merge MERGED_ID into ENTITY_ID: its facts move, it leaves every read; undo with `kg entities split`."""
    _run(by, lambda c: c.merge(into, merged, why))


@entities_app.command("split")
def split(entity: Entity, merged: Annotated[str, typer.Argument(metavar="MERGED_ID", help="The entity once "
                                                                "merged into ENTITY_ID.")], why: Why,
          by: By = None) -> None:
    """Undo a merge: MERGED_ID is an entity again and gets its facts back."""
    _run(by, lambda c: c.split(entity, merged, why))


@entities_app.command("rename")
def rename(entity: Entity, name: Annotated[str, typer.Argument(help="The new canonical name.")], why: Why,
           by: By = None) -> None:
    """A new canonical name (the old one stays as an alias)."""
    _run(by, lambda c: c.rename(entity, name, why))


@entities_app.command("retype")
def retype(entity: Entity, type_name: Annotated[str, typer.Argument(metavar="TYPE", help="Person, Organization, "
                                                                    "Product or Document.")], why: Why,
           by: By = None) -> None:
    """A new type, when every fact of the entity allows it."""
    _run(by, lambda c: c.retype(entity, type_name, why))


@entities_app.command("alias")
def alias(entity: Entity, name: Annotated[str, typer.Argument(metavar="ALIAS", help="Another name.")], why: Why,
          by: By = None) -> None:
    """One more name the entity is known by."""
    _run(by, lambda c: c.alias(entity, name, why))


@entities_app.command("wikidata")
def wikidata(entity: Entity, qid: Annotated[str, typer.Argument(metavar="QID", help="A Wikidata id such as Q95.")],
             why: Why, by: By = None) -> None:
    """Set the entity's Wikidata id."""
    _run(by, lambda c: c.wikidata(entity, qid, why))


FactId = Annotated[str, typer.Argument(metavar="FACT_ID", help="The fact's id (GET /v1/facts shows them).")]


@facts_app.command("reject")
def reject(fact_id: FactId, why: Why, by: By = None) -> None:
    """Reject a fact for good: it leaves every read, and re-ingestion never brings it back."""
    _run(by, lambda c: c.reject(fact_id, why))


@facts_app.command("confirm")
def confirm(fact_id: FactId, why: Why, by: By = None) -> None:
    """Mark a fact as confirmed by a person."""
    _run(by, lambda c: c.confirm(fact_id, why))


@curation_app.command("log")
def log(entity: Annotated[str | None, typer.Option(help="Only entries about this entity id.")] = None,
        fact: Annotated[str | None, typer.Option(help="Only entries about this fact id.")] = None,
        limit: Annotated[int, typer.Option(min=1, max=1000, help="How many entries.")] = 50) -> None:
    """The audit log, newest first: who did what, when and why."""
    from kg.curation.audit import read_log
    from kg.store import connect

    with connect() as conn:
        page = read_log(conn, entity, fact, limit)
    for entry in page.entries:
        _print_entry(entry)
    if not page.entries:
        console.print("No curation yet" + (" about that." if entity or fact else "."))


def register(app: typer.Typer) -> None:
    app.add_typer(entities_app, name="entities")
    app.add_typer(facts_app, name="facts")
    app.add_typer(curation_app, name="curation")
