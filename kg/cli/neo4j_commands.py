"""`kg neo4j start | stop | status`: the local Neo4j server."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import console
from kg.neo4j_local import LocalNeo4j
from kg.settings import Neo4jSettings

neo4j_app = typer.Typer(help="Run a local Neo4j Community server (downloaded once from Maven Central).",
                        no_args_is_help=True)


def _warn_if_remote() -> None:
    uri = Neo4jSettings().uri
    if uri:
        console.print(f"[yellow]NEO4J_URI is set ({uri}): the other commands use that server, not this local one.")


@neo4j_app.command("provision")
def provision() -> None:
    """Download the Neo4j runtime into the cache (once) without starting it."""
    server = LocalNeo4j()
    began = time.monotonic()
    with console.status("Provisioning Neo4j from Maven Central…"):
        runtime = server.provision()
    console.print(f"Neo4j {server.settings.version} runtime ready in {runtime} ({time.monotonic() - began:.1f} s)")


@neo4j_app.command("start")
def start() -> None:
    """Start the local server (provisioning it on first use) and wait until Bolt answers."""
    _warn_if_remote()
    server = LocalNeo4j()
    began = time.monotonic()
    with console.status("Starting Neo4j (the first start downloads ~140 MB from Maven Central)…"):
        status = server.start()
    took = time.monotonic() - began
    console.print(f"[green]Neo4j {status.version} is running[/] at {status.bolt_uri} "
                  f"(browser {status.http_uri}/browser/) in {took:.1f} s; data in {status.data_dir}")
    console.print(f"User neo4j; the password is in {server.credentials_file} (readable by you only).")


@neo4j_app.command("stop")
def stop() -> None:
    """Stop the local server gracefully; its data stays in the data directory."""
    server = LocalNeo4j()
    with console.status("Stopping Neo4j…"):
        was_running = server.stop()
    console.print("Neo4j stopped." if was_running else "Neo4j was not running.")


@neo4j_app.command("status")
def status() -> None:
    """Say whether the local server runs, where, which version, and where its data is."""
    _warn_if_remote()
    st = LocalNeo4j().status()
    if st.running:
        console.print(f"[green]running[/] pid {st.pid}, Neo4j {st.version}, Bolt {st.bolt_uri}, HTTP {st.http_uri}")
    else:
        console.print(f"[yellow]not running[/] (Neo4j {st.version}); start it with `kg neo4j start`")
    console.print(f"home {st.home}\ndata {st.data_dir}")
    if not st.running:
        raise typer.Exit(3)


def backup_command(
    directory: Annotated[Path, typer.Argument(help="Empty directory to write neo4j.dump into.")],
) -> None:
    """Dump the local database with neo4j-admin (the server pauses during the dump)."""
    from kg.neo4j_local.backup import backup

    _refuse_remote("backup")
    with console.status("Dumping the database…"):
        result = backup(LocalNeo4j(), directory)
    console.print(f"Backup written to {result.path}" + (" (server restarted)" if result.restarted else ""))


def restore_command(
    directory: Annotated[Path, typer.Argument(help="Directory holding a neo4j.dump from `kg backup`.")],
) -> None:
    """Replace the local database with a dump made by `kg backup`."""
    from kg.neo4j_local.backup import restore

    _refuse_remote("restore")
    with console.status("Loading the dump…"):
        result = restore(LocalNeo4j(), directory)
    console.print(f"Database restored from {result.path}" + (" (server restarted)" if result.restarted else ""))


def _refuse_remote(action: str) -> None:
    uri = Neo4jSettings().uri
    if uri:
        from kg.errors import ConfigurationError

        raise ConfigurationError(
            f"`kg {action}` works on the local server; NEO4J_URI points at {uri}: use that server's own "
            "backup tools (neo4j-admin on its host, or Aura snapshots), or unset NEO4J_URI."
        )
