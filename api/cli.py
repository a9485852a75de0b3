"""`kg serve` and `kg demo`: the API, and the main job (Neo4j + examples + API)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kg.cli.console import console

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "examples"


HostOption = Annotated[str | None, typer.Option(help="Interface to listen on (default KG_API_HOST or 127.0.0.1).")]
PortOption = Annotated[int | None, typer.Option(help="Port (default KG_API_PORT or 8000).")]
LOOPBACK = "127.0.0.1"
ALL_INTERFACES = "0.0.0.0"  # compared with, never bound to by default


def serve_command(host: HostOption = None, port: PortOption = None) -> None:
    """Serve the HTTP API and the explorer."""
    import uvicorn

    from api.app import create_app
    from api.settings import ApiSettings
    from kg.store import connect

    settings = ApiSettings()
    listen_host = host or settings.host
    listen_port = port or settings.port
    from kg.neo4j_local.server import port_in_use

    probe_host = LOOPBACK if listen_host == ALL_INTERFACES else listen_host
    if port_in_use(listen_port, probe_host):
        from kg.errors import ConfigurationError

        raise ConfigurationError(f"Port {listen_port} is already in use: stop what runs there or pass --port.")
    connect().close()  # fail here, in one clear sentence, if Neo4j is not reachable
    console.print(f"API on http://{listen_host}:{listen_port}  (explorer /explore, docs /docs, health /health)")
    if settings.workers > 1:  # each worker process builds its own app (and driver) from the same environment
        uvicorn.run("api.app:create_app", factory=True, host=listen_host, port=listen_port, log_level="info",
                    workers=settings.workers)
        return
    uvicorn.run(create_app(settings), host=listen_host, port=listen_port, log_level="info")


def demo_command(
    examples: Annotated[Path, typer.Option(help="Folder of articles to ingest.")] = EXAMPLES_DIR,
    serve: Annotated[bool, typer.Option(help="Serve the API after ingesting.")] = True,
) -> None:
    """The main job: start the local Neo4j if needed, ingest the examples, serve the API."""
    from ingest.cli import ingest_command
    from kg.neo4j_local import LocalNeo4j
    from kg.settings import Neo4jSettings

    if not Neo4jSettings().uri:
        with console.status("Starting Neo4j…"):
            status = LocalNeo4j().start()
        console.print(f"Neo4j {status.version} at {status.bolt_uri}; data in {status.data_dir}")
    ingest_command([examples])
    if serve:
        serve_command(host=None, port=None)


def mcp_command(transport: str = typer.Option("stdio", help="stdio (desktop clients) or http (streamable HTTP)."),
                host: str = typer.Option("127.0.0.1", help="Interface for --transport http."),
                port: int = typer.Option(8765, help="Port for --transport http; the endpoint is /mcp.")) -> None:
    """Serve the read-only MCP server for agents (tools over the same API, same guard and limits)."""
    from api.mcp.run import serve
    from kg.errors import ConfigurationError

    if transport not in ("stdio", "http"):
        raise ConfigurationError(f"--transport must be stdio or http, not {transport!r}.")
    if transport == "http":
        console.print(f"MCP server on http://{host}:{port}/mcp", highlight=False)
    serve("stdio" if transport == "stdio" else "http", host, port)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("mcp")(mcp_command)
    app.command("demo")(demo_command)
