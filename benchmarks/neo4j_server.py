"""A throwaway local Neo4j for one benchmark run: its own home, free ports, 2 GB heap, 1 GB page cache."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import free_port
from kg.settings import LocalNeo4jSettings, Neo4jSettings
from kg.store import GraphConnection, connect


@contextmanager
def throwaway_neo4j(home: Path | None = None, heap: str = "2g",
                    pagecache: str = "1g") -> Iterator[tuple[LocalNeo4j, Neo4jSettings, GraphConnection]]:
    """Start a server in `home` (kept afterwards) or in a temporary directory (deleted); stop it at the end."""
    temporary = home is None
    home = Path(tempfile.mkdtemp(prefix="kg-bench-neo4j-")) if temporary else home
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(), heap=heap,
                                           pagecache=pagecache))
    try:
        status = server.start()
        user, password = server.credentials()
        settings = Neo4jSettings(uri=status.bolt_uri, user=user, password=password)
        with connect(settings) as conn:
            yield server, settings, conn
    finally:
        server.stop()
        if temporary:
            shutil.rmtree(home, ignore_errors=True)
