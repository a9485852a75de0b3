"""Query parameters and checks shared by the routers.

Dates are checked here, not by a pattern in the schema, so a bad one gets a sentence saying what is accepted
rather than a regular expression; predicates may be repeated (`predicates=A&predicates=B`) or comma-separated.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import Depends, Query
from pydantic import BeforeValidator

from api.problems import ApiProblem
from api.settings import ApiSettings
from kg.errors import OntologyViolation
from kg.store.connection import GraphConnection
from kg.store.reader import entity_exists
from kg.terms import EntityType, Predicate
from kg.validation import check_date

MAX_PAGE_SIZE: int = ApiSettings.model_fields["max_limit"].default  # the schema's cap; KG_API_MAX_LIMIT may lower it
DATE_FORMS = "a year (2023), a month (2023-03) or a day (2023-03-18)"


def _comma_separated(value: Any) -> Any:
    """`predicates=A,B` and `predicates=A&predicates=B` both give [A, B]."""
    if isinstance(value, str):
        value = [value]
    if isinstance(value, list):
        return [part for item in value for part in (item.split(",") if isinstance(item, str) else [item]) if part]
    return value


DateFrom = Annotated[str | None, Query(alias="from", examples=["2023"],
                                       description=f"Earliest date, inclusive: {DATE_FORMS}")]
DateTo = Annotated[str | None, Query(alias="to", examples=["2023-12"],
                                     description=f"Latest date, inclusive: {DATE_FORMS}")]
AsOfDate = Annotated[str | None, Query(alias="as_of", examples=["2019-06"],
                                       description=f"As of this date, {DATE_FORMS}: events up to then, states that "
                                                   "may hold then (validity intervals derived from events)")]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Page size")]
Cursor = Annotated[str | None, Query(max_length=512, pattern=r"^[A-Za-z0-9_\-]*$",
                                     description="`nextCursor` from the previous page")]
PredicateFilter = Annotated[Predicate | None, Query(description="Only facts of this predicate",
                                                    examples=["HIRED_FROM"])]
PredicateList = Annotated[list[Predicate] | None, BeforeValidator(_comma_separated),
                          Query(description="Predicates to keep: repeat the parameter (predicates=JOINED&"
                                            "predicates=LEFT) or separate them with commas (JOINED,LEFT)",
                                examples=[["HIRED_FROM", "JOINED"]])]
MinSources = Annotated[int | None, Query(ge=1, le=1000, examples=[2],
                                         description="Only facts supported by at least this many independent "
                                                     "sources (copies of one article and one outlet count once)")]
FactSortOrder = Annotated[Literal["date", "sources"], Query(
    description="`date`: in date order, undated facts last; `sources`: most independent sources first")]
EntityTypeFilter = Annotated[EntityType | None, Query(description="Only entities of this type",
                                                      examples=["Organization"])]


@dataclass(frozen=True)
class DateWindow:
    start: str | None
    end: str | None


def _checked(name: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        check_date(value, name)
    except OntologyViolation:
        raise ApiProblem(422, "invalid-date",
                         f"`{name}` {value!r} is not a calendar date: give {DATE_FORMS}.") from None
    return value


def date_window(date_from: DateFrom = None, date_to: DateTo = None) -> DateWindow:
    """The `from` and `to` parameters, checked: real dates, `from` not after `to` (compared at the precision of the
    less precise one, so from=2023-05&to=2023 is a window)."""
    start, end = _checked("from", date_from), _checked("to", date_to)
    if start is not None and end is not None:
        common = min(len(start), len(end))
        if start[:common] > end[:common]:
            raise ApiProblem(422, "invalid-date-window", f"`from` ({start}) is after `to` ({end}): give a window "
                             "that starts before it ends.")
    return DateWindow(start, end)


def as_of(as_of_date: AsOfDate = None) -> str | None:
    """The `as_of` parameter, checked: a real date."""
    return _checked("as_of", as_of_date)


AsOf = Annotated[str | None, Depends(as_of)]


def page_size(limit: int, settings: ApiSettings) -> int:
    return max(1, min(limit, settings.max_limit))


def no_entity(entity_id: str, parameter: str = "the path") -> ApiProblem:
    if ":" not in entity_id:  # ids are `type:name`; this looks like a name
        return ApiProblem(404, "entity-not-found", f"No entity has the id {entity_id!r}: {parameter} takes an entity "
                          f"id such as person:elon-musk, not a name; find the id with GET /v1/entities?q={entity_id}.")
    return ApiProblem(404, "entity-not-found", f"No entity has the id {entity_id!r}: find ids with "
                      "GET /v1/entities?q=<name>.")


def require_entity(graph: GraphConnection, entity_id: str, parameter: str = "the path") -> None:
    if not entity_exists(graph, entity_id):
        raise no_entity(entity_id, parameter)
