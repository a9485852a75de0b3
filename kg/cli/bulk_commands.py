"""`kg bulk-export DIR`: the graph as CSV files for `neo4j-admin database import full`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import console


def bulk_export_command(
    directory: Annotated[Path, typer.Argument(help="Empty or new directory for the CSV files.")],
) -> None:
    """Write the graph as node and relationship CSV files that `neo4j-admin database import full` reads
    (see IMPORT.txt in the directory for the exact command)."""
    from kg.bulk_export import bulk_export
    from kg.store import connect

    with connect() as conn, console.status(f"Exporting {conn.uri} to {directory}…"):
        export = bulk_export(conn, directory)
    console.print(f"{export.nodes} nodes in {len(export.node_files)} files and {export.relationships} relationships "
                  f"in {len(export.relationship_files)} files written to {export.directory}; "
                  f"the import command is in {export.directory / 'IMPORT.txt'}.")
