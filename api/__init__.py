"""The HTTP API (FastAPI) and the explorer page over the graph."""
