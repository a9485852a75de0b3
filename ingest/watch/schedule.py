"""When a source is due: one interval after its last poll, or after an exponential backoff while it fails.

After the n-th failure in a row the wait is `interval * 2**n`, at most `cap` (or the interval itself when that is
longer): a feed that answers 500 every 5 minutes is asked again after 10, 20, 40 minutes... A server's Retry-After
is honoured when it asks for longer."""

from __future__ import annotations

from ingest.watch.state import SourceState
from kg.errors import KgError


def backoff_delay(interval: float, errors: int, cap: float) -> float:
    """Seconds to wait after `errors` failures in a row (0 errors: the plain interval)."""
    if errors <= 0:
        return interval
    return min(interval * 2.0 ** min(errors, 32), max(cap, interval))


def due_at(state: SourceState, interval: float, cap: float) -> float:
    """Epoch seconds at which the source should be polled next (0 for a source never polled)."""
    if state.last_attempt <= 0:
        return 0.0
    return max(state.last_attempt + backoff_delay(interval, state.errors, cap), state.retry_not_before)


def record_success(state: SourceState, now: float) -> None:
    state.last_attempt, state.errors, state.retry_not_before, state.last_error = now, 0, 0.0, None


def record_failure(state: SourceState, now: float, error: KgError, retry_after: float | None) -> None:
    state.last_attempt = now
    state.errors += 1
    state.retry_not_before = now + retry_after if retry_after else 0.0
    state.last_error = str(error)
