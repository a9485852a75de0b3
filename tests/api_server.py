"""Serve a FastAPI app with uvicorn in a background thread on a free local port (for HTTP-level tests)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import uvicorn

from kg.neo4j_local.server import free_port


@contextmanager
def serve(app, timeout: float = 30.0) -> Iterator[str]:
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, name=f"uvicorn-{port}", daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + timeout
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            server.should_exit = True
            raise RuntimeError(f"uvicorn did not start on port {port} within {timeout:g} s")
        time.sleep(0.05)
    assert httpx.get(base + "/health", timeout=10).status_code == 200
    try:
        yield base
    finally:
        server.should_exit = True
        thread.join(timeout=15)
