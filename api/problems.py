"""Errors as RFC 9457 problem details (`application/problem+json`), each with a sentence a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import ServiceUnavailable, SessionExpired
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import (InputError, KgError, Neo4jAuthError, Neo4jUnavailableError, OntologyViolation,
                       UnsafeQueryError)
from kg.store.cypher_guard import QueryFailed

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://techgraph.example.org/problems/"

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          413: "Payload too large", 414: "URI too long", 422: "Invalid request", 500: "Internal error",
          503: "Service unavailable"}


class FieldError(BaseModel):
    location: list[str | int] = Field(description="Where the invalid value is, e.g. [\"query\", \"limit\"]")
    message: str


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(examples=[PROBLEM_BASE + "not-found"])
    title: str = Field(examples=["Not found"])
    status: int = Field(examples=[404])
    detail: str = Field(examples=["No entity has the id 'organization:nope': find ids with GET /v1/entities?q=…"])
    instance: str | None = Field(default=None, examples=["/v1/entities/organization:nope"])
    errors: list[FieldError] | None = None


class ApiProblem(Exception):
    """Raised by handlers to answer with a problem detail."""

    def __init__(self, status: int, slug: str, detail: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(detail)
        self.status, self.slug, self.detail, self.headers = status, slug, detail, headers


def problem_response(request: Request, status: int, slug: str, detail: str,
                     errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    body = Problem(type=PROBLEM_BASE + slug, title=TITLES.get(status, "Error"), status=status, detail=detail,
                   instance=request.url.path, errors=[FieldError(**e) for e in errors] if errors else None)
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_MEDIA_TYPE,
                        headers=headers)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The OpenAPI `responses` entries for these problem statuses."""
    descriptions = {400: "The request cannot be carried out as sent", 401: "Missing or wrong API key",
                    403: "Not allowed", 404: "No such resource", 413: "Too much in one request",
                    414: "The query string is too long", 422: "A parameter or the body is invalid",
                    503: "Neo4j (or the API key) is not available"}
    return {s: {"description": descriptions.get(s, TITLES.get(s, "Error")),
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for s in statuses}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"location": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
             "message": str(e.get("msg", "invalid"))} for e in exc.errors()]


def install(app: FastAPI) -> None:
    @app.exception_handler(ApiProblem)
    async def api_problem(request: Request, exc: ApiProblem) -> JSONResponse:
        return problem_response(request, exc.status, exc.slug, exc.detail, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        where = "; ".join(f"{'.'.join(str(p) for p in e['location'])}: {e['message']}" for e in errors[:5])
        return problem_response(request, 422, "invalid-request",
                                f"The request has invalid values ({where}): fix them and send it again.", errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"Nothing is served at {request.url.path}: see /docs for the API's paths."
        if exc.status_code == 405:
            detail = f"{request.method} is not allowed on {request.url.path}: see /docs for the methods it takes."
        return problem_response(request, exc.status_code, "http-" + str(exc.status_code), detail,
                                headers=getattr(exc, "headers", None))

    @app.exception_handler(UnsafeQueryError)
    async def unsafe(request: Request, exc: UnsafeQueryError) -> JSONResponse:
        return problem_response(request, 400, "unsafe-query", str(exc))

    @app.exception_handler(QueryFailed)
    async def failed(request: Request, exc: QueryFailed) -> JSONResponse:
        return problem_response(request, 400, "query-failed", str(exc))

    @app.exception_handler(OntologyViolation)
    async def ontology(request: Request, exc: OntologyViolation) -> JSONResponse:
        return problem_response(request, 422, "ontology-violation", str(exc))

    @app.exception_handler(InputError)
    async def bad_input(request: Request, exc: InputError) -> JSONResponse:
        return problem_response(request, 422, "invalid-article", str(exc))

    async def unavailable(request: Request, exc: Exception) -> JSONResponse:
        log.warning("Neo4j unavailable: %s", exc)
        detail = str(exc) if isinstance(exc, KgError) else (
            "Neo4j does not answer: check that it runs (`kg neo4j status`) and that NEO4J_URI points at it, "
            "then retry.")
        return problem_response(request, 503, "neo4j-unavailable", detail, headers={"Retry-After": "10"})

    for exc_type in (Neo4jUnavailableError, Neo4jAuthError, ServiceUnavailable, SessionExpired):
        app.add_exception_handler(exc_type, unavailable)

    @app.exception_handler(KgError)
    async def kg_error(request: Request, exc: KgError) -> JSONResponse:
        return problem_response(request, 400, "request-failed", str(exc))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return problem_response(request, 500, "internal-error",
                                "The server failed on this request; the error is in its log. Retry, and report "
                                "it if it happens again.")
