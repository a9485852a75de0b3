"""Query parameters and checks shared by the routers."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from api.problems import ApiProblem
from api.settings import ApiSettings
from kg.store.connection import GraphConnection
from kg.store.reader import entity_exists
from kg.vocabulary import vocabulary

ISO_PREFIX = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
ENTITY_TYPE_PATTERN = "^(" + "|".join(sorted(vocabulary().entity_types)) + ")$"
PREDICATE_PATTERN = "^(" + "|".join(sorted(vocabulary().predicates)) + ")$"

DateFrom = Annotated[str | None, Query(alias="from", pattern=ISO_PREFIX, examples=["2023"],
                                       description="Earliest date (ISO prefix: 2023, 2023-03 or 2023-03-18)")]
DateTo = Annotated[str | None, Query(alias="to", pattern=ISO_PREFIX, examples=["2023-12"],
                                     description="Latest date (ISO prefix), inclusive")]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size (capped by the server's KG_API_MAX_LIMIT)")]
Cursor = Annotated[str | None, Query(max_length=512, pattern=r"^[A-Za-z0-9_\-]*$",
                                     description="`nextCursor` from the previous page")]


def page_size(limit: int, settings: ApiSettings) -> int:
    return max(1, min(limit, settings.max_limit))


def no_entity(entity_id: str) -> ApiProblem:
    return ApiProblem(404, "entity-not-found", f"No entity has the id {entity_id!r}: find ids with "
                      "GET /v1/entities?q=<name>.")


def require_entity(graph: GraphConnection, entity_id: str) -> None:
    if not entity_exists(graph, entity_id):
        raise no_entity(entity_id)
