"""`kg export`, `kg import-rdf` and `kg validate-rdf`: the graph as RDF, back from RDF, and checked by SHACL."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kg.cli.console import console, err_console

if TYPE_CHECKING:
    from kg.rdf.export import ExportOptions

FORMAT_HELP = "turtle, jsonld or ntriples"
GUESSED_FORMAT_HELP = f"{FORMAT_HELP}; guessed from the file name if omitted."

RdfFormat = Annotated[str, typer.Option("--format", "-f", help=f"{FORMAT_HELP} (ntriples streams a full dump at "
                                                                 "constant memory; use it for a large graph)")]
EntityOption = Annotated[str | None, typer.Option("--entity", help="Only this entity id, its facts and their sources.")]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of standard output.")]
GuessedRdfFormat = Annotated[str | None, typer.Option("--format", "-f", help=GUESSED_FORMAT_HELP)]
BaseIriOption = Annotated[str | None, typer.Option(
    "--base-iri", help="IRI prefix of the exported nodes (default: KG_RDF_BASE_IRI, else the project's); ends with /.")]
ArticleTextOption = Annotated[bool, typer.Option("--article-text/--no-article-text",
                                                 help="Include the full text of articles (publishers' terms apply).")]
LocalPathsOption = Annotated[bool, typer.Option("--local-paths/--no-local-paths",
                                                help="Export the local file paths articles were read from.")]


def _options(base_iri: str | None, article_text: bool, local_paths: bool) -> ExportOptions:
    from kg.rdf.export import ExportOptions

    if base_iri is None:
        return ExportOptions(article_text=article_text, local_paths=local_paths)
    if not base_iri.startswith(("http://", "https://")) or not base_iri.endswith(("/", "#")):
        raise typer.BadParameter(f"{base_iri!r} is not an http(s) IRI ending with / or #.", param_hint="--base-iri")
    return ExportOptions(base_iri=base_iri, article_text=article_text, local_paths=local_paths)


def _stream_to(lines: Iterator[str], output: Path | None) -> int:
    """Write the lines as they come; the bytes written."""
    written = 0
    with (open(output, "w", encoding="utf-8") if output else nullcontext(sys.stdout)) as out:
        for line in lines:
            out.write(line)
            written += len(line.encode("utf-8"))
    return written


def export_command(
    fmt: RdfFormat = "turtle",
    entity: EntityOption = None,
    output: OutputOption = None,
    base_iri: BaseIriOption = None,
    article_text: ArticleTextOption = True,
    local_paths: LocalPathsOption = False,
) -> None:
    """Export the graph (or one entity's facts) as RDF: asserted facts as triples, every fact reified with its
    modality, qualifiers, date bounds and PROV-O evidence, and a VoID/DCAT description of the export."""
    from kg.rdf import export_graph, rdf_format
    from kg.rdf.export import stream_ntriples
    from kg.store import connect

    target = rdf_format(fmt)  # refuse an unknown format before connecting
    options = _options(base_iri, article_text, local_paths)
    with connect() as conn:
        if target == "nt" and entity is None:
            written = _stream_to(stream_ntriples(conn, options), output)
        else:
            text = export_graph(conn, fmt, entity_id=entity, options=options)
            written = _stream_to(iter([text]), output)
    if output is not None:
        err_console.print(f"Wrote {output} ({written:,} bytes, {fmt}).")


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
