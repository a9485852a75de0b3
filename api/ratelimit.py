"""Per-client rate limiting of the costly endpoints (`POST /v1/cypher`, `POST /v1/articles`): a token bucket per
client address, as a pure ASGI middleware, so a refused request costs no body read and no thread.

Each client gets `rate_limit_burst` tokens, refilled at `rate_limit_per_minute` per minute; a request takes one, and
with none left it is refused with 429 and a `Retry-After` header (seconds until the next token). Clients on the
loopback interface (127.0.0.1, ::1) are not limited unless `rate_limit_loopback` is set: local tools and tests call
the API from there, and a reverse proxy in front of the API should pass the limit on to its own clients. The table of
buckets is bounded (`MAX_CLIENTS`, least recently seen dropped first), so many addresses cannot grow it without end.
"""

from __future__ import annotations

import ipaddress
import json
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from api.problems import PROBLEM_BASE, PROBLEM_MEDIA_TYPE
from api.settings import ApiSettings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

LIMITED = (("POST", "/v1/cypher"), ("POST", "/v1/articles"))
MAX_CLIENTS = 10_000


class TokenBuckets:
    """Token buckets keyed by client; thread-safe; time from `clock` (monotonic seconds)."""

    def __init__(self, per_minute: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_clients: int = MAX_CLIENTS) -> None:
        self.rate = per_minute / 60.0
        self.burst = max(1, burst)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()  # client -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, client: str) -> float:
        """Take one token for `client`: 0.0 when granted, else the seconds until one is available."""
        now = self.clock()
        with self._lock:
            tokens, at = self._buckets.pop(client, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - at) * self.rate)
            wait = 0.0
            if tokens >= 1.0:
                tokens -= 1.0
            else:
                wait = (1.0 - tokens) / self.rate if self.rate > 0 else math.inf
            self._buckets[client] = (tokens, now)
            while len(self._buckets) > self.max_clients:
                self._buckets.popitem(last=False)
            return wait


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host in ("localhost", "testclient")  # starlette's TestClient reports "testclient"


class RateLimit:
    def __init__(self, app: ASGIApp, settings: ApiSettings) -> None:
        self.app = app
        self.loopback = settings.rate_limit_loopback
        self.enabled = settings.rate_limit_per_minute > 0
        self.buckets = TokenBuckets(settings.rate_limit_per_minute, settings.rate_limit_burst)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (not self.enabled or scope["type"] != "http"
                or (scope.get("method", ""), scope.get("path", "").rstrip("/")) not in LIMITED):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("unknown", 0))[0]
        if _is_loopback(client) and not self.loopback:
            await self.app(scope, receive, send)
            return
        wait = self.buckets.take(client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = max(1, math.ceil(min(wait, 3600)))
        body = json.dumps({
            "type": PROBLEM_BASE + "rate-limited", "title": "Too many requests", "status": 429,
            "detail": f"This client sent more than {self.buckets.burst} requests in a burst to {scope['path']} "
                      f"(the limit refills {self.buckets.rate * 60:g} a minute): wait {retry} s and retry.",
            "instance": scope.get("path", "")}).encode()
        await send({"type": "http.response.start", "status": 429,
                    "headers": [(b"content-type", PROBLEM_MEDIA_TYPE.encode()),
                                (b"content-length", str(len(body)).encode()),
                                (b"retry-after", str(retry).encode())]})
        await send({"type": "http.response.body", "body": body})


def install(app: Any, settings: ApiSettings) -> None:
    """Add the rate limit to `app` (call once, when the app is built, after the request limits)."""
    app.add_middleware(RateLimit, settings=settings)
