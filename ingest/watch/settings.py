"""Defaults of `kg watch`, read from KG_WATCH_* environment variables; the command line's options win."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

from pydantic import BeforeValidator, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from ingest.watch.sources import parse_duration

MIB = 1024 * 1024


def _default_state_dir() -> Path:
    """Beside the local graph: $XDG_DATA_HOME/kg/watch (~/.local/share/kg/watch)."""
    base = os.environ.get("XDG_DATA_HOME")
    return (Path(base) if base else Path.home() / ".local" / "share") / "kg" / "watch"


def _seconds(value: object) -> object:
    """A duration given as text (`5m`, `90`) in seconds; numbers pass as they are."""
    return parse_duration(value) if isinstance(value, str) else value


Seconds = Annotated[float, BeforeValidator(_seconds)]


class WatchSettings(BaseSettings):
    """Politeness and persistence of the watcher. Durations are seconds, or text such as `5m` in the environment."""

    model_config = SettingsConfigDict(env_prefix="KG_WATCH_", extra="ignore")

    state_dir: Path = Field(default_factory=_default_state_dir,
                            description="where the per-feed and per-folder state is kept (one file per graph)")
    interval: Seconds = Field(default=900.0, gt=0, description="seconds between two polls of a source")
    timeout: Seconds = Field(default=20.0, gt=0, description="seconds one request may take, from connect to last byte")
    max_bytes: int = Field(default=10 * MIB, gt=0, description="largest feed or page read; a bigger one is refused")
    backoff_cap: Seconds = Field(default=6 * 3600.0, gt=0,
                               description="longest wait after errors (unless the interval itself is longer)")
    max_seen_per_feed: int = Field(default=5000, gt=0,
                                   description="item fingerprints kept per feed (the oldest that left the feed go)")
    user_agent: str = "techgraph-kg-watch/0.1 (polite feed poller; conditional requests, backoff)"
