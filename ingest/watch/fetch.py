"""Polite HTTP for the watcher, through httpx: conditional requests, one timeout from connect to the last byte,
a size cap read as the body streams in, redirects followed, and a User-Agent that names the tool.

Every failure is a `FetchFailed` that says what happened in one sentence; `transient` tells a failure worth
retrying (timeouts, refused connections, 5xx, 429) from one that will not change by itself (404, a body too big)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from types import TracebackType

import httpx

from ingest.watch.settings import WatchSettings
from kg.errors import KgError

MAX_REDIRECTS = 5
MAX_RETRY_AFTER = 86400.0  # a Retry-After beyond a day is read as a day


class FetchFailed(KgError):
    """A feed or page could not be fetched; `retry_after` is the server's Retry-After in seconds, if it sent one."""

    def __init__(self, message: str, transient: bool = True, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class Validators:
    """What a server said identifies the version it sent: sent back to ask "only if it changed"."""

    etag: str | None = None
    last_modified: str | None = None

    def conditional_headers(self) -> dict[str, str]:
        headers = {}
        if self.etag:
            headers["If-None-Match"] = self.etag
        if self.last_modified:
            headers["If-Modified-Since"] = self.last_modified
        return headers


@dataclass(frozen=True)
class Fetched:
    """A response: `body` is None when the server answered 304 Not Modified."""

    url: str  # after redirects
    body: bytes | None
    validators: Validators
    content_type: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.body is None


def _retry_after(response: httpx.Response) -> float | None:
    """The Retry-After header in seconds (its delta-seconds form; an HTTP date is ignored)."""
    value = response.headers.get("Retry-After", "").strip()
    return min(float(value), MAX_RETRY_AFTER) if value.isdigit() else None


def _status_failure(response: httpx.Response) -> FetchFailed:
    code = response.status_code
    transient = code >= 500 or code in (408, 429)
    return FetchFailed(f"HTTP {code} {response.reason_phrase}".rstrip(), transient, _retry_after(response))


class PoliteClient:
    """One HTTP client for a whole watch run (connections are reused). Use as a context manager."""

    def __init__(self, settings: WatchSettings) -> None:
        self.timeout = settings.timeout
        self.max_bytes = settings.max_bytes
        self._client = httpx.Client(timeout=httpx.Timeout(settings.timeout), follow_redirects=True,
                                    max_redirects=MAX_REDIRECTS, headers={"User-Agent": settings.user_agent})

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self._client.close()

    def get(self, url: str, validators: Validators | None = None) -> Fetched:
        """GET `url`, conditionally when `validators` are given; FetchFailed for anything but 200 and 304."""
        deadline = time.monotonic() + self.timeout
        try:
            with self._client.stream("GET", url, headers=(validators or Validators()).conditional_headers()) as r:
                if r.status_code == 304:
                    return Fetched(str(r.url), None, validators or Validators())
                if r.status_code != 200:
                    raise _status_failure(r)
                body = self._read_capped(r, deadline)
                sent = Validators(r.headers.get("ETag"), r.headers.get("Last-Modified"))
                return Fetched(str(r.url), body, sent, r.headers.get("Content-Type"))
        except httpx.TimeoutException as exc:
            raise FetchFailed(f"no answer within {self.timeout:g} s (timeout)") from exc
        except httpx.TooManyRedirects as exc:
            raise FetchFailed(f"more than {MAX_REDIRECTS} redirects", transient=False) from exc
        except httpx.HTTPError as exc:  # connection refused, reset, DNS, protocol errors
            raise FetchFailed(f"cannot be reached ({type(exc).__name__}: {exc})") from exc

    def _read_capped(self, response: httpx.Response, deadline: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise FetchFailed(self._too_big(f" ({int(declared):,} bytes)"), transient=False)
        chunks: list[bytes] = []
        size = 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > self.max_bytes:
                raise FetchFailed(self._too_big(""), transient=False)
            if time.monotonic() > deadline:
                raise FetchFailed(f"body not received within {self.timeout:g} s (timeout)")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_big(self, size: str) -> str:
        return (f"the response{size} is over the {self.max_bytes:,}-byte cap; raise KG_WATCH_MAX_BYTES if the "
                "source is trusted")
