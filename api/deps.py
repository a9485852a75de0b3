"""FastAPI dependencies: the graph connection (made in the app's lifespan), the settings, and the API key."""

from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from api.problems import ApiProblem
from api.settings import ApiSettings
from kg.store import GraphConnection

API_KEY_HEADER = "X-API-Key"
_api_key_header = APIKeyHeader(name=API_KEY_HEADER, auto_error=False,
                               description="The key set in the server's KG_API_KEY setting.")


def get_connection(request: Request) -> GraphConnection:
    graph: GraphConnection = request.app.state.graph
    return graph


def get_settings(request: Request) -> ApiSettings:
    settings: ApiSettings = request.app.state.settings
    return settings


GraphDep = Annotated[GraphConnection, Depends(get_connection)]
SettingsDep = Annotated[ApiSettings, Depends(get_settings)]


def _check_key(settings: ApiSettings, given: str | None, action: str) -> None:
    expected = settings.api_key()
    if expected is None:
        raise ApiProblem(503, "api-key-not-configured",
                         f"{action} needs an API key and this server has none: set KG_API_KEY in the server's "
                         "environment and restart it.")
    if not given:
        raise ApiProblem(401, "api-key-missing", f"{action} needs an API key: send it in the {API_KEY_HEADER} header.",
                         headers={"WWW-Authenticate": API_KEY_HEADER})
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiProblem(403, "api-key-wrong", f"The {API_KEY_HEADER} header does not hold this server's key: "
                         "check the value of KG_API_KEY.")


def require_write_key(settings: SettingsDep, key: Annotated[str | None, Depends(_api_key_header)]) -> None:
    """Writes always need the key."""
    _check_key(settings, key, "Writing to the graph")


def require_read_access(settings: SettingsDep, key: Annotated[str | None, Depends(_api_key_header)]) -> None:
    """Reads are open unless KG_API_READ_ACCESS=key."""
    if settings.read_access == "key":
        _check_key(settings, key, "Reading (KG_API_READ_ACCESS=key)")


WriteAccess = Depends(require_write_key)
ReadAccess = Depends(require_read_access)
