"""A stop request that a signal handler can set safely, and a sleep that ends early when it is set.

Signal handlers run between bytecodes of the main thread; setting a threading.Event from one can deadlock if the
main thread holds the Event's lock at that moment, so the handler only flips a flag that the loop reads."""

from __future__ import annotations

import time

SLICE = 0.2  # seconds: how late a sleeping watcher notices a stop request at worst


class StopFlag:
    def __init__(self) -> None:
        self.requested = False

    def request(self) -> None:
        self.requested = True

    def sleep(self, seconds: float) -> None:
        """Sleep `seconds`, or less when a stop is requested meanwhile."""
        end = time.monotonic() + seconds
        while not self.requested and (left := end - time.monotonic()) > 0:
            time.sleep(min(SLICE, left))
