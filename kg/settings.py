"""Settings read from the environment (pydantic-settings).

`NEO4J_URI` (with `NEO4J_USER`, `NEO4J_PASSWORD`, `NEO4J_DATABASE`) points every command at an existing
server; without it the commands use the local Neo4j that `kg neo4j start` manages.
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


def _xdg(var: str, fallback: str) -> Path:
    base = os.environ.get(var)
    return Path(base) if base else Path.home() / fallback


class Neo4jSettings(BaseSettings):
    """Where the graph lives."""

    model_config = SettingsConfigDict(env_prefix="NEO4J_", extra="ignore")

    uri: str | None = Field(default=None, description="bolt://, neo4j:// or their +s variants; unset = local server")
    user: str = "neo4j"
    password: str | None = Field(default=None, repr=False)  # never shown in logs or tracebacks
    database: str = "neo4j"


class LocalNeo4jSettings(BaseSettings):
    """The local Neo4j that `kg neo4j start` provisions from Maven Central and runs."""

    model_config = SettingsConfigDict(env_prefix="KG_NEO4J_", extra="ignore")

    version: str = "5.26.30"
    browser_version: str = "5.24.0"
    cache_dir: Path = Field(default_factory=lambda: _xdg("XDG_CACHE_HOME", ".cache") / "kg" / "neo4j")
    home: Path = Field(default_factory=lambda: _xdg("XDG_DATA_HOME", ".local/share") / "kg" / "neo4j")
    bolt_port: int = 7687
    http_port: int = 7474
    heap: str = "1g"
    pagecache: str = "512m"
    start_timeout: float = 180.0
    transaction_max_memory: str = "256m"  # db.memory.transaction.max of the local server (docs/security.md)
