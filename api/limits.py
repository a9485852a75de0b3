"""Request limits applied before any route runs: body size, query-string length, and unknown query parameters.

A pure ASGI middleware, so an oversized body is refused from its Content-Length without being read, and a body
sent without one (chunked) is cut off as soon as it passes the limit. Every refusal is an RFC 9457 problem
(`application/problem+json`) with a sentence saying what to change:
- 413 when the body is larger than the route allows (`/v1/articles` allows a full request of articles, every
  other route `SMALL_BODY_BYTES`);
- 414 when the query string is longer than `MAX_QUERY_BYTES`;
- 400 when the query names a parameter the route does not take (a typo such as `?limt=5` would otherwise be
  silently ignored), or when Content-Length is not a number;
- 401/403/503 on the write path (`/v1/articles`, the one route with a big body), and on every POST when reads
  need the key (`KG_API_READ_ACCESS=key`), when the `X-API-Key` header is missing or wrong or the server has no
  key: checked from the headers, before a byte of the body is read, so an unauthenticated client cannot make the
  server read and parse megabytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import API_KEY_HEADER, _check_key
from api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE, TITLES, ApiProblem
from api.settings import ApiSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

SMALL_BODY_BYTES = 64 * 1024  # a Cypher query with its parameters, or any other small JSON body
MAX_QUERY_BYTES = 8 * 1024
JSON_BYTES_PER_CHAR = 6  # worst case: a client escaping every character as \uXXXX
BIG_BODY_PATHS = ("/v1/articles",)


def article_body_limit(settings: ApiSettings) -> int:
    """The largest body `/v1/articles` can legitimately need: a full request of the longest articles."""
    return settings.max_articles_per_request * (settings.max_article_chars * JSON_BYTES_PER_CHAR + 4096)


def _path_pattern(template: str) -> re.Pattern[str]:
    """`/v1/entities/{entity_id}/timeline` -> a regex matching that path with any one-segment id."""
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if part.startswith("{") else re.escape(part) for part in parts))


@dataclass(frozen=True)
class _Operation:
    pattern: re.Pattern[str]
    method: str
    query: frozenset[str]


def query_parameters(app: FastAPI) -> list[_Operation]:
    """Each documented operation's path pattern and query parameter names, read from the OpenAPI schema: the
    public contract, whatever the framework's internal routing looks like."""
    operations = []
    for template, methods in app.openapi().get("paths", {}).items():
        pattern = _path_pattern(template)
        for method, operation in methods.items():
            names = frozenset(p["name"] for p in operation.get("parameters", []) if p.get("in") == "query")
            operations.append(_Operation(pattern, method.upper(), names))
    return operations


class _BodyTooLarge(StarletteHTTPException):
    """Raised from `receive` when a body without Content-Length passes the limit; FastAPI lets HTTP exceptions
    through its body parsing, and the app's problem handler renders it as a 413 problem."""

    def __init__(self, path: str, limit: int) -> None:
        super().__init__(413, detail=_too_large(path, limit))


class RequestLimits:
    def __init__(self, app: Callable[[Scope, Receive, Send], Awaitable[None]], fastapi_app: FastAPI,
                 settings: ApiSettings) -> None:
        self.app = app
        self.fastapi_app = fastapi_app
        self.big_limit = article_body_limit(settings)
        self.settings = settings
        self._operations: list[_Operation] | None = None

    def body_limit(self, path: str) -> int:
        return self.big_limit if path.rstrip("/") in BIG_BODY_PATHS else SMALL_BODY_BYTES

    def allowed_query(self, scope: Scope) -> frozenset[str] | None:
        """The query parameters of the documented operation that will answer, or None for any other path."""
        if self._operations is None:
            self._operations = query_parameters(self.fastapi_app)
        path, method = scope.get("path", ""), scope.get("method", "GET")
        method = "GET" if method == "HEAD" else method
        for operation in self._operations:
            if operation.method == method and operation.pattern.fullmatch(path):
                return operation.query
        return None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        query = scope.get("query_string", b"")
        if len(query) > MAX_QUERY_BYTES:
            await _problem(scope, send, 414, "query-too-long", f"The query string has {len(query):,} bytes, over the "
                           f"{MAX_QUERY_BYTES:,}-byte limit: send fewer or shorter parameters.")
            return
        allowed = self.allowed_query(scope)
        if allowed is not None:
            given = {name for name, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
            unknown = sorted(given - allowed)
            if unknown:
                known = ", ".join(sorted(allowed)) or "none"
                await _problem(scope, send, 400, "unknown-parameter",
                               f"{path} does not take the query parameter(s) {', '.join(unknown)}: remove them "
                               f"(it takes: {known}).")
                return
        limit = self.body_limit(path)
        headers = dict(scope.get("headers", []))
        action = None
        if scope.get("method") == "POST" and limit == self.big_limit:
            action = "Writing to the graph"
        elif scope.get("method") == "POST" and self.settings.read_access == "key":
            action = "Reading (KG_API_READ_ACCESS=key)"
        if action is not None:
            key = headers.get(API_KEY_HEADER.lower().encode())
            try:
                _check_key(self.settings, key.decode("latin-1") if key is not None else None, action)
            except ApiProblem as refusal:
                await _problem(scope, send, refusal.status, refusal.slug, refusal.detail, refusal.headers)
                return
        length = headers.get(b"content-length")
        if length is not None:
            if not length.strip().isdigit():
                await _problem(scope, send, 400, "bad-content-length",
                               "The Content-Length header is not a number of bytes: send a valid request.")
                return
            if int(length) > limit:
                await _problem(scope, send, 413, "body-too-large", _too_large(path, limit))
                return

        received = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise _BodyTooLarge(path, limit)
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _BodyTooLarge:
            if not started:
                await _problem(scope, send, 413, "body-too-large", _too_large(path, limit))


def _too_large(path: str, limit: int) -> str:
    return (f"The request body is over the {limit:,}-byte limit for {path}: send less (split articles into several "
            "requests, or shorten the query).")


async def _problem(scope: Scope, send: Send, status: int, slug: str, detail: str,
                   extra_headers: dict[str, str] | None = None) -> None:
    body = json.dumps({"type": PROBLEM_BASE + slug, "title": TITLES.get(status, "Error"), "status": status,
                       "detail": detail, "instance": scope.get("path", "")}).encode()
    headers = [(b"content-type", PROBLEM_MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    headers += [(k.lower().encode(), v.encode()) for k, v in (extra_headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def install(app: FastAPI, settings: ApiSettings) -> None:
    """Add the limits to `app` (call once, when the app is built)."""
    app.add_middleware(RequestLimits, fastapi_app=app, settings=settings)
