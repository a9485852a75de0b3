"""Backups of the local server with Neo4j's own `neo4j-admin database dump` and `load`.

Community Edition dumps and loads offline only, so a running server is stopped first and started again after.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.neo4j_local.server import ADMIN_TOOL, LocalNeo4j

DATABASE = "neo4j"


class BackupError(KgError):
    """A dump or load did not complete."""


@dataclass(frozen=True)
class BackupResult:
    path: Path
    restarted: bool


def _admin(server: LocalNeo4j, *args: str) -> None:
    runtime = server.provision()
    proc = subprocess.run(["java", "-cp", str(runtime / "lib" / "*"), ADMIN_TOOL, *args],
                          env={**server._env()}, capture_output=True, text=True, check=False)
    if proc.returncode != 0:
        detail = (proc.stderr or proc.stdout).strip().splitlines()
        raise BackupError(f"neo4j-admin {' '.join(args[:2])} failed: {detail[-1] if detail else 'no output'}")


def backup(server: LocalNeo4j, directory: Path) -> BackupResult:
    """Write `<directory>/neo4j.dump`; the server is stopped during the dump and restarted if it ran."""
    directory = directory.expanduser().resolve()
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / f"{DATABASE}.dump"
    if target.exists():
        raise BackupError(f"{target} already exists: choose an empty directory or remove the old dump first.")
    was_running = server.stop()
    try:
        _admin(server, "database", "dump", DATABASE, f"--to-path={directory}")
    finally:
        if was_running:
            server.start()
    return BackupResult(target, was_running)


def restore(server: LocalNeo4j, directory: Path) -> BackupResult:
    """Replace the database with `<directory>/neo4j.dump`; restarts the server if it ran."""
    directory = directory.expanduser().resolve()
    source = directory / f"{DATABASE}.dump"
    if not source.is_file():
        raise BackupError(f"No {DATABASE}.dump in {directory}: give the directory `kg backup` wrote.")
    was_running = server.stop()
    try:
        _admin(server, "database", "load", DATABASE, f"--from-path={directory}", "--overwrite-destination=true")
    finally:
        if was_running:
            server.start()
    return BackupResult(source, was_running)
