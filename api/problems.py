"""Errors as RFC 9457 problem details (`application/problem+json`), each with a sentence a person can act on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from neo4j.exceptions import DriverError, Neo4jError
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from kg.errors import (
    GraphQueryError,
    InputError,
    KgError,
    Neo4jAuthError,
    Neo4jUnavailableError,
    OntologyViolation,
    UnsafeQueryError,
)
from kg.store.connection import translate_driver_error
from kg.store.cypher_guard import QueryFailed

log = logging.getLogger(__name__)
PROBLEM_MEDIA_TYPE = "application/problem+json"
PROBLEM_BASE = "https://techgraph.example.org/problems/"
INTERNAL_ERROR = ("The server failed on this request; the error is in its log. Retry, and report it if it happens "
                  "again.")

TITLES = {400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 404: "Not found", 405: "Method not allowed",
          409: "Conflict", 413: "Payload too large", 414: "URI too long", 422: "Invalid request", 500: "Internal error",
          503: "Service unavailable"}


class FieldError(BaseModel):
    """One invalid value of a request."""

    location: list[str | int] = Field(description="Where the invalid value is, e.g. [\"query\", \"limit\"]",
                                      examples=[["query", "limit"]])
    message: str = Field(description="What is wrong with it", examples=["Input should be greater than or equal to 1"])


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(description="A URI naming the kind of problem", examples=[PROBLEM_BASE + "not-found"])
    title: str = Field(description="The HTTP status in words", examples=["Not found"])
    status: int = Field(description="The HTTP status code", examples=[404])
    detail: str = Field(description="What is wrong and what to do, in a sentence",
                        examples=["No entity has the id 'organization:nope': find ids with GET /v1/entities?q=…"])
    instance: str | None = Field(default=None, description="The path the problem occurred at",
                                 examples=["/v1/entities/organization:nope"])
    errors: list[FieldError] | None = Field(default=None, description="Each invalid value (422 only)")


class ApiProblem(KgError):
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
                    403: "Not allowed", 404: "No such resource",
                    409: "The action contradicts the graph's state or the ontology", 413: "Too much in one request",
                    414: "The query string is too long", 422: "A parameter or the body is invalid",
                    503: "Neo4j (or the API key) is not available"}
    return {s: {"description": descriptions.get(s, TITLES.get(s, "Error")),
                "content": {PROBLEM_MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
            for s in statuses}


def _validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    return [{"location": [str(p) if not isinstance(p, int) else p for p in e.get("loc", ())],
             "message": str(e.get("msg", "invalid"))} for e in exc.errors()]


# Project errors a route lets out, answered with their own message: (error, status, slug); the most specific wins.
KG_ERROR_ANSWERS: tuple[tuple[type[KgError], int, str], ...] = (
    (UnsafeQueryError, 400, "unsafe-query"),
    (QueryFailed, 400, "query-failed"),
    (OntologyViolation, 422, "ontology-violation"),
    (InputError, 422, "invalid-article"),
    (KgError, 400, "request-failed"),
)
RETRY_AFTER_SECONDS = 10
UNAVAILABLE = ("Neo4j does not answer: check that it runs (`kg neo4j status`) and that NEO4J_URI points at it, "
               "then retry.")
SHOWN_FIELD_ERRORS = 5  # a 422's detail names the first few invalid values; `errors` lists them all


async def _api_problem(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiProblem)
    return problem_response(request, exc.status, exc.slug, exc.detail, headers=exc.headers)


async def _invalid(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _validation_errors(exc)
    where = "; ".join(f"{'.'.join(str(p) for p in e['location'])}: {e['message']}"
                      for e in errors[:SHOWN_FIELD_ERRORS])
    return problem_response(request, 422, "invalid-request",
                            f"The request has invalid values ({where}): fix them and send it again.", errors)


async def _http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
    if exc.status_code == 404 and detail == "Not Found":
        detail = f"Nothing is served at {request.url.path}: see /docs for the API's paths."
    if exc.status_code == 405:
        detail = f"{request.method} is not allowed on {request.url.path}: see /docs for the methods it takes."
    return problem_response(request, exc.status_code, "http-" + str(exc.status_code), detail,
                            headers=getattr(exc, "headers", None))


async def _kg_error(request: Request, exc: Exception) -> JSONResponse:
    """A project error: Neo4j unavailable (503), a query Neo4j refused (500, logged), or the error's own answer."""
    if isinstance(exc, (Neo4jUnavailableError, Neo4jAuthError)):
        log.warning("Neo4j unavailable: %s", exc)
        return problem_response(request, 503, "neo4j-unavailable", str(exc) or UNAVAILABLE,
                                headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
    if isinstance(exc, GraphQueryError):
        log.error("Neo4j refused a query on %s: %s", request.url.path, exc)
        return problem_response(request, 500, "internal-error", INTERNAL_ERROR)
    for error_type, status, slug in KG_ERROR_ANSWERS:
        if isinstance(exc, error_type):
            return problem_response(request, status, slug, str(exc))
    return await _unexpected(request, exc)


async def _driver_error(request: Request, exc: Exception) -> JSONResponse:
    """A driver error from code that talks to the driver itself (not through kg.store's boundary): the same
    translation (`kg.store.connection.translate_driver_error`), then the project error's answer."""
    return await _kg_error(request, translate_driver_error(exc))


async def _unexpected(request: Request, _exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s", request.url.path)
    return problem_response(request, 500, "internal-error", INTERNAL_ERROR)


def install(app: FastAPI) -> None:
    """Answer every error with a problem detail."""
    app.add_exception_handler(ApiProblem, _api_problem)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(KgError, _kg_error)
    app.add_exception_handler(DriverError, _driver_error)
    app.add_exception_handler(Neo4jError, _driver_error)
    app.add_exception_handler(Exception, _unexpected)
