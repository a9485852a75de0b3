"""`kg mcp`: serve the MCP server over stdio (desktop clients) or streamable HTTP on loopback (other clients).

Over HTTP, when the server has an API key (KG_API_KEY), every request must carry it (`X-API-Key` or
`Authorization: Bearer`), as for the HTTP API; listening beyond loopback is refused without a key.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Literal

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

from api.deps import API_KEY_HEADER
from api.mcp.bridge import ApiBridge
from api.mcp.server import build_server
from api.settings import ApiSettings
from kg.errors import ConfigurationError

Transport = Literal["stdio", "http"]
MCP_PATH = "/mcp"


class ApiKeyGate:
    """ASGI middleware: HTTP requests without the server's key get a 401 problem, before the MCP app reads them."""

    def __init__(self, app: ASGIApp, key: str) -> None:
        self.app, self.key = app, key.encode()

    def _given(self, scope: Scope) -> bytes:
        headers = dict(scope.get("headers") or [])
        given = headers.get(API_KEY_HEADER.lower().encode(), b"")
        bearer = headers.get(b"authorization", b"")
        return given or (bearer[len(b"Bearer "):] if bearer.startswith(b"Bearer ") else b"")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or hmac.compare_digest(self._given(scope), self.key):
            await self.app(scope, receive, send)
            return
        body = json.dumps({"title": "Unauthorized", "status": 401, "detail": (
            f"This MCP server needs the API key: send it in the {API_KEY_HEADER} header or as a Bearer token.")})
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"application/problem+json"), (b"www-authenticate", API_KEY_HEADER.encode())]})
        await send({"type": "http.response.body", "body": body.encode()})


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


async def _serve_stdio(settings: ApiSettings) -> None:
    async with ApiBridge(settings) as bridge:
        await build_server(bridge).run_stdio_async()


async def _serve_http(settings: ApiSettings, host: str, port: int) -> None:
    import uvicorn

    key = settings.api_key()
    if not _is_loopback(host) and key is None:
        raise ConfigurationError(f"Serving MCP on {host} would open the graph to the network without a key: set "
                                 "KG_API_KEY, or listen on 127.0.0.1.")
    async with ApiBridge(settings) as bridge:
        app: ASGIApp = build_server(bridge).streamable_http_app(streamable_http_path=MCP_PATH, host=host)
        if key is not None:
            app = ApiKeyGate(app, key)
        await uvicorn.Server(uvicorn.Config(app, host=host, port=port, log_level="warning")).serve()


def serve(transport: Transport, host: str, port: int, settings: ApiSettings | None = None) -> None:
    settings = settings or ApiSettings()
    if transport == "stdio":
        anyio.run(_serve_stdio, settings)
    else:
        anyio.run(_serve_http, settings, host, port)
