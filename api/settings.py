"""API settings from the environment (pydantic-settings), all prefixed `KG_API_`.

KG_API_KEY            the key write endpoints (and keyed reads) expect in the `X-API-Key` header; unset = writes refused
KG_API_READ_ACCESS    `open` (default: anyone may read) or `key` (reads need the key too)
KG_API_CORS_ORIGINS   JSON list of origins allowed to call the API from a browser, e.g. '["http://localhost:3000"]'
KG_API_MAX_LIMIT      largest page size a client may ask for
KG_API_CYPHER_TIMEOUT / KG_API_CYPHER_ROW_CAP / KG_API_CYPHER_ENABLED   the researchers' Cypher endpoint
KG_API_CYPHER_MAX_BYTES / _MAX_CONCURRENT / _NEO4J_USER, KG_API_RATE_LIMIT_*   limits: see docs/security.md
KG_API_WORKERS        API processes `kg serve` starts (default 1: see docs/scaling.md, "Reading at scale")
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_API_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    key: SecretStr | None = Field(default=None, description="API key for writes (header X-API-Key)")
    read_access: Literal["open", "key"] = "open"
    cors_origins: list[str] = Field(default_factory=list)
    default_limit: int = 50
    max_limit: int = 200
    graph_max_nodes: int = 300
    cypher_enabled: bool = True
    cypher_timeout: float = 10.0
    cypher_row_cap: int = 1000
    cypher_max_bytes: int = 4 * 1024 * 1024  # about this many bytes of result, then reading stops (truncated)
    cypher_max_concurrent: int = 4  # Cypher queries running at once; more wait up to 2 s, then 503 + Retry-After
    cypher_neo4j_user: str | None = None  # run /v1/cypher as this Neo4j user (a reader role on Enterprise/Aura)
    cypher_neo4j_password: SecretStr | None = Field(default=None, repr=False)
    rate_limit_per_minute: float = 60.0  # per client, on POST /v1/cypher and /v1/articles; 0 turns it off
    rate_limit_burst: int = 20
    rate_limit_loopback: bool = False  # also limit clients on 127.0.0.1/::1 (off: local tools and tests)
    # API processes of `kg serve`. One on a small machine: a read spends ~2 ms of its time in the API process
    # (validation, JSON) and the rest waiting for Neo4j, whose CPU is what saturates first (docs/scaling.md); each
    # more process holds its own driver pool and memory. More where Neo4j runs on other cores or machines.
    workers: int = Field(default=1, ge=1)
    max_articles_per_request: int = 20
    max_article_chars: int = 200_000

    def api_key(self) -> str | None:
        value = self.key.get_secret_value() if self.key else None
        return value or None
