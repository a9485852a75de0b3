"""A read-only MCP server (Model Context Protocol) over the HTTP API, for agents.

Every tool is a thin adapter over one `/v1` route, called in-process (`bridge.ApiBridge`), so an agent gets exactly
what a researcher gets from the HTTP API: the same Cypher guard, limits, timeouts and one-sentence errors.
"""
