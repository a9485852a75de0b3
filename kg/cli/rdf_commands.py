"""`kg export`, `kg import-rdf` and `kg validate-rdf`: the graph as RDF, back from RDF, and checked by SHACL."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import console, err_console

FORMAT_HELP = "turtle, jsonld or ntriples"
GUESSED_FORMAT_HELP = f"{FORMAT_HELP}; guessed from the file name if omitted."

RdfFormat = Annotated[str, typer.Option("--format", "-f", help=FORMAT_HELP)]
EntityOption = Annotated[str | None, typer.Option("--entity", help="Only this entity id, its facts and their sources.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")]
GuessedRdfFormat = Annotated[str | None, typer.Option("--format", "-f", help=GUESSED_FORMAT_HELP)]


def export_command(
    fmt: RdfFormat = "turtle",
    entity: EntityOption = None,
    output: OutputOption = None,
) -> None:
    """Export the graph (or one entity's facts) as RDF, facts reified with their qualifiers and PROV-O evidence."""
    from kg.rdf import export_graph, rdf_format
    from kg.store import connect

    rdf_format(fmt)  # refuse an unknown format before connecting
    with connect() as conn:
        text = export_graph(conn, fmt, entity_id=entity)
    if output is None:
        typer.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8")
    err_console.print(f"Wrote {output} ({len(text.encode('utf-8')):,} bytes, {fmt}).")


def import_rdf_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="An RDF file made by kg export.")],
    fmt: GuessedRdfFormat = None,
) -> None:
    """Load an RDF export into the graph (idempotent: the same validation and merging rules as ingestion)."""
    from kg.rdf import import_rdf
    from kg.store import connect

    with connect() as conn:
        result = import_rdf(conn, file, fmt)
    written = result.written
    console.print(f"Read {result.articles} articles, {result.entities} entities, {result.facts} facts and "
                  f"{result.evidence} pieces of evidence from {file}.")
    console.print(f"Articles written: {written.articles_written}, unchanged: {written.articles_unchanged}; "
                  f"facts written: {written.facts_written}.")
    for reason in result.skipped:
        err_console.print(f"[yellow]skipped:[/] {reason}")
    for refused in written.refused:
        err_console.print(f"[yellow]refused:[/] {refused.description} ({refused.reason})")
    if result.skipped or written.refused:
        raise typer.Exit(code=2)


def validate_rdf_command(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True, help="An RDF file.")],
    fmt: GuessedRdfFormat = None,
) -> None:
    """Check an RDF file against the SHACL shapes in ontology/ and list every violation."""
    from kg.rdf import validate_rdf
    from kg.rdf.importer import parse_rdf

    report = validate_rdf(parse_rdf(file, fmt))
    typer.echo(report.text(), err=not report.conforms)  # plain text: one violation per line, never re-wrapped
    if not report.conforms:
        raise typer.Exit(code=1)


def register(app: typer.Typer) -> None:
    app.command("export")(export_command)
    app.command("import-rdf")(import_rdf_command)
    app.command("validate-rdf")(validate_rdf_command)
