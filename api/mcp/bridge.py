"""The in-process path from MCP tools to the HTTP API: one FastAPI app, called over an ASGI transport.

Nothing here re-implements a query, a limit or a refusal: a tool asks the API, and an API problem (RFC 9457)
becomes a tool error carrying the problem's own sentence. Output is bounded in bytes (`MAX_TOOL_BYTES`): a list
that would pass the bound is cut, and the answer says so and how to narrow the call.
"""

from __future__ import annotations

import json
from contextlib import AsyncExitStack
from typing import Any

import httpx
from mcp.server.mcpserver.exceptions import ToolError

from api.app import create_app
from api.deps import API_KEY_HEADER
from api.settings import ApiSettings

MAX_TOOL_BYTES = 60_000
BASE_URL = "http://techgraph.internal"


class ApiBridge:
    """Enter it (`async with bridge:`) once per process; tools then call `get` and `post`."""

    def __init__(self, settings: ApiSettings | None = None) -> None:
        self.settings = settings or ApiSettings()
        self.app = create_app(self.settings)
        self._stack: AsyncExitStack | None = None
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> ApiBridge:
        stack = AsyncExitStack()
        await stack.enter_async_context(self.app.router.lifespan_context(self.app))
        key = self.settings.api_key()
        headers = {API_KEY_HEADER: key} if key else {}
        self._client = await stack.enter_async_context(httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=BASE_URL, headers=headers,
            timeout=self.settings.cypher_timeout + 30))
        self._stack = stack
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        if self._stack is not None:
            await self._stack.aclose()
        self._stack, self._client = None, None

    async def get(self, path: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        return self._answer(await self._require_client().get(path, params=clean))

    async def post(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        return self._answer(await self._require_client().post(path, json=body))

    def _require_client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise ToolError("The graph connection is not open yet; retry in a moment.")
        return self._client

    @staticmethod
    def _answer(response: httpx.Response) -> dict[str, Any]:
        try:
            payload = response.json()
        except ValueError as exc:
            raise ToolError(f"The graph answered with status {response.status_code} and no JSON; retry later.") \
                from exc
        if response.status_code >= 400:
            detail = payload.get("detail") if isinstance(payload, dict) else None
            raise ToolError(str(detail or payload.get("title") or f"Request refused ({response.status_code})."))
        return payload if isinstance(payload, dict) else {"items": payload}


def bounded(payload: dict[str, Any], list_key: str, hint: str) -> dict[str, Any]:
    """The payload, with `list_key` cut so the JSON stays under MAX_TOOL_BYTES; says so when it cut."""
    if len(json.dumps(payload, ensure_ascii=False)) <= MAX_TOOL_BYTES:
        return payload
    items = list(payload.get(list_key) or [])
    kept: list[Any] = []
    budget = MAX_TOOL_BYTES - len(json.dumps({**payload, list_key: []}, ensure_ascii=False)) - len(hint) - 200
    for item in items:
        size = len(json.dumps(item, ensure_ascii=False)) + 2
        if size > budget:
            break
        kept.append(item)
        budget -= size
    return {**payload, list_key: kept, "truncated": True,
            "truncation": f"Only {len(kept)} of {len(items)} {list_key} fit in this answer. {hint}"}
