"""Curation through the API (`/v1/curation/...`): merge, split, rename, retype, alias, Wikidata id, reject and
confirm a fact (each needs the API key), and the audit log (a read: open unless KG_API_READ_ACCESS=key). Who acts
is the `X-Curator` header ("api" when absent). Each action runs in one transaction with its audit log entry
(kg.curation); see docs/curation.md."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Annotated

from fastapi import APIRouter, Depends, Header, Path, Query

from api.deps import GraphDep, ReadAccess, SettingsDep, WriteAccess
from api.pagination import decode_key, encode_key
from api.problems import ApiProblem, problem_responses
from api.routers.common import Cursor, Limit, page_size
from api.schemas import (
    AliasIn,
    CurationAccessOut,
    CurationLogPage,
    CurationOut,
    LogEntryOut,
    MergeIn,
    RenameIn,
    RetypeIn,
    SplitIn,
    VerdictIn,
    WikidataIn,
)
from kg.curation.audit import read_log
from kg.curation.errors import CurationConflict, CurationNotFound
from kg.curation.records import LogEntry, Outcome
from kg.curation.service import Curator
from kg.store.connection import GraphConnection
from kg.store.reader import PageKey

# Actions need the write key; the audit log is a read (open unless KG_API_READ_ACCESS=key, like the graph).
router = APIRouter(prefix="/curation", tags=["curation"], responses=problem_responses(400, 401, 403, 422, 503))
WRITE = [WriteAccess]
ACTION_PROBLEMS = problem_responses(404, 409)

CuratorName = Annotated[str, Header(alias="X-Curator", min_length=1, max_length=100,
                                    description="Who acts (kept in the audit log)", examples=["alice"])]
FactId = Annotated[str, Path(min_length=1, max_length=100, examples=["3f2a9c0d1e4b5a6f7c8d"],
                             description="The fact's id")]


def curator(graph: GraphDep, who: CuratorName = "api") -> Curator:
    return Curator(graph, who)


CuratorDep = Annotated[Curator, Depends(curator)]


@contextmanager
def _answers() -> Iterator[None]:
    """Curation errors as problems: unknown entity, fact or merge -> 404; a contradiction -> 409."""
    try:
        yield
    except CurationNotFound as exc:
        raise ApiProblem(404, "curation-not-found", str(exc)) from exc
    except CurationConflict as exc:
        raise ApiProblem(409, "curation-conflict", str(exc)) from exc


def _entry_out(entry: LogEntry) -> LogEntryOut:
    return LogEntryOut(id=entry.id, at=entry.at, by=entry.by, action=entry.action, entity_ids=list(entry.entity_ids),
                       fact_ids=list(entry.fact_ids), why=entry.why, detail=entry.detail)


def _act(action: Callable[[], Outcome]) -> CurationOut:
    with _answers():
        outcome = action()
    changes = outcome.changes
    return CurationOut(entry=_entry_out(outcome.entry), facts_added=sorted(changes.added),
                       facts_updated=sorted(changes.updated - changes.added), facts_removed=sorted(changes.removed))


@router.get("/access", response_model=CurationAccessOut, dependencies=WRITE)
def access(who: CuratorDep) -> CurationAccessOut:
    """Check an API key without acting: 200 with the curator name when the `X-API-Key` header holds this server's
    key (the explorer asks before it shows its curation controls), the usual 401/403 problem otherwise."""
    return CurationAccessOut(curator=who.by)


@router.post("/merge", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def merge(body: MergeIn, who: CuratorDep) -> CurationOut:
    """Merge `merge` into `into` (same type): `merge` leaves every read (GET /v1/entities/{into} lists it under
    `merged`), its names become aliases of `into`, its facts move onto `into`. Undo with POST /v1/curation/split.
    Survives re-ingestion."""
    return _act(lambda: who.merge(body.into, body.merge, body.why))


@router.post("/split", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def split(body: SplitIn, who: CuratorDep) -> CurationOut:
    """Undo the merge of `merged` into `entity`: `merged` is an entity again, each fact goes back to the entities
    its evidence names, the aliases the merge gave are taken back. No resolver merges the pair again."""
    return _act(lambda: who.split(body.entity, body.merged, body.why))


@router.post("/rename", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def rename(body: RenameIn, who: CuratorDep) -> CurationOut:
    """A new canonical name; the old one stays as an alias. The id does not change."""
    return _act(lambda: who.rename(body.entity, body.name, body.why))


@router.post("/retype", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def retype(body: RetypeIn, who: CuratorDep) -> CurationOut:
    """A new type, when every fact of the entity allows it (409 otherwise); kept over what extractors say."""
    return _act(lambda: who.retype(body.entity, body.type.value, body.why))


@router.post("/alias", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def alias(body: AliasIn, who: CuratorDep) -> CurationOut:
    """One more name for the entity (409 when it has it already)."""
    return _act(lambda: who.alias(body.entity, body.alias, body.why))


@router.post("/wikidata", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def wikidata(body: WikidataIn, who: CuratorDep) -> CurationOut:
    """Set the entity's Wikidata QID."""
    return _act(lambda: who.wikidata(body.entity, body.wikidata_id, body.why))


@router.post("/facts/{fact_id}/reject", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def reject(fact_id: FactId, body: VerdictIn, who: CuratorDep) -> CurationOut:
    """Reject a fact: it leaves every read (GET /v1/facts?include_rejected=true still shows it, `curation:
    rejected`), for good: re-ingesting its articles, with any extractor version, does not bring it back."""
    return _act(lambda: who.reject(fact_id, body.why))


@router.post("/facts/{fact_id}/confirm", response_model=CurationOut, dependencies=WRITE, responses=ACTION_PROBLEMS)
def confirm(fact_id: FactId, body: VerdictIn, who: CuratorDep) -> CurationOut:
    """Confirm a fact (`curation: confirmed` in the API and the RDF export); 409 for a rejected fact."""
    return _act(lambda: who.confirm(fact_id, body.why))


def _log_page(graph: GraphConnection, entity: str | None, fact: str | None, size: int,
              cursor: str | None) -> CurationLogPage:
    scope = f"curation-log:{entity or ''}:{fact or ''}"
    after = decode_key(scope, cursor)
    page = read_log(graph, entity, fact, size, (after.sort_key, after.id) if after else None)
    next_key = PageKey(*page.next_after) if page.next_after else None
    return CurationLogPage(items=[_entry_out(e) for e in page.entries], next_cursor=encode_key(scope, next_key))


@router.get("/log", response_model=CurationLogPage, dependencies=[ReadAccess])
def log(graph: GraphDep, settings: SettingsDep,
        entity: Annotated[str | None, Query(min_length=1, max_length=300, description="Only entries about this "
                                            "entity id", examples=["organization:giant"])] = None,
        fact: Annotated[str | None, Query(min_length=1, max_length=100, description="Only entries about this fact id",
                                          examples=["3f2a9c0d1e4b5a6f7c8d"])] = None,
        limit: Limit = 50, cursor: Cursor = None) -> CurationLogPage:
    """The audit log, newest first: who did what, when, why, to which entities and facts."""
    return _log_page(graph, entity, fact, page_size(limit, settings), cursor)
