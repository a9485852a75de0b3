"""API settings from the environment (pydantic-settings)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict


class ApiSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KG_API_", extra="ignore")

    host: str = "127.0.0.1"
    port: int = 8000
    max_limit: int = 200
