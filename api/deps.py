"""FastAPI dependencies: the graph connection (made in the app's lifespan) and the settings."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.settings import ApiSettings
from kg.store import GraphConnection


def get_connection(request: Request) -> GraphConnection:
    return request.app.state.graph


def get_settings(request: Request) -> ApiSettings:
    return request.app.state.settings


GraphDep = Annotated[GraphConnection, Depends(get_connection)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]
