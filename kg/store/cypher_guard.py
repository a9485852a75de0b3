"""Read-only Cypher for researchers: a layered guard, because no single check is enough.

1. Text checks on the query with string literals and comments blanked out: one statement only; only ASCII
   outside string literals (no look-alike letters, no invisible characters anywhere); no write, schema or
   admin clause keyword; no LOAD CSV; no `CALL … IN TRANSACTIONS`; no `USE` (another database); procedures
   only from an allow-list, called by their plain (unquoted) name.
2. `EXPLAIN` on the server: the summary's query type must be "r", and the plan may hold no procedure outside
   the allow-list, no LOAD CSV and no write operator.
3. The query runs in a READ transaction (refused by the server if it writes) with a timeout, and at most
   `row_cap` rows are read.
Every refusal raises `UnsafeQueryError` with a sentence saying what to change.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from neo4j import READ_ACCESS, ManagedTransaction, unit_of_work
from neo4j.exceptions import ClientError, TransientError

from kg.errors import KgError, UnsafeQueryError
from kg.store.connection import GraphConnection

ALLOWED_PROCEDURE_NAMES = (
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships", "db.schema.visualization", "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
)
ALLOWED_PROCEDURES = frozenset(name.lower() for name in ALLOWED_PROCEDURE_NAMES)
_ALLOWED_TEXT = ", ".join(ALLOWED_PROCEDURE_NAMES)

# Clause keywords that write, change the schema, administer the server or leave the read path.
FORBIDDEN_KEYWORDS = (
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "GRANT", "DENY",
    "REVOKE", "ALTER", "RENAME", "TERMINATE", "START", "STOP", "SHOW", "USE", "ENABLE", "DEALLOCATE",
    "REALLOCATE", "DRYRUN", "FINISH", "INSERT", "IMPORT", "PERIODIC",
)
_KEYWORD = re.compile(r"(?<![.\w$:])(" + "|".join(FORBIDDEN_KEYWORDS) + r")(?![\w$])", re.IGNORECASE)
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(\d+\s+)?(CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
_PLUGIN_NAMESPACE = re.compile(r"(?<![\w$])(apoc|gds|genai|dbms)\s*\.", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\b\s*(?P<next>[A-Za-z_][\w.]*|`|\{|\(|\S|$)", re.IGNORECASE)
_WRITE_OPERATORS = re.compile(
    r"^(Create|Merge|SetProperty|SetProperties|SetLabels|SetNodeProperty|SetRelationshipProperty|"
    r"SetNodePropertiesFromMap|SetRelationshipPropertiesFromMap|RemoveLabels|Delete|DetachDelete|"
    r"DeleteNode|DeleteRelationship|DetachDeleteNode|DeleteExpression|DetachDeleteExpression|Foreach|"
    r"LoadCSV|TransactionForeach|TransactionApply|LockingMerge)", re.IGNORECASE)
_PLAN_PROCEDURE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_ALLOWED_CONTROL = {"\t", "\n", "\r"}


@dataclass(frozen=True)
class ReadOnlyResult:
    columns: list[str]
    rows: list[list[Any]]  # driver values: Node, Relationship, Path, temporal types, lists, maps, scalars
    truncated: bool  # more rows existed than the row cap


def _refuse(message: str) -> UnsafeQueryError:
    return UnsafeQueryError(message)


def _scan(query: str) -> Iterator[tuple[str, str]]:
    """Split a query into (kind, text) pieces: "code", "string", "quoted" (backticks) and "comment"."""
    i, n = 0, len(query)
    start = 0
    while i < n:
        ch = query[i]
        two = query[i:i + 2]
        if ch in ("'", '"', "`") or two in ("//", "/*"):
            if i > start:
                yield "code", query[start:i]
            if two == "//":
                end = query.find("\n", i)
                end = n if end == -1 else end
                yield "comment", query[i:end]
            elif two == "/*":
                end = query.find("*/", i + 2)
                if end == -1:
                    raise _refuse("The query has a /* comment that is never closed: close it with */.")
                end += 2
                yield "comment", query[i:end]
            else:
                j = i + 1
                while j < n:
                    if query[j] == "\\" and ch != "`":
                        j += 2
                        continue
                    if query[j] == ch:
                        if ch == "`" and query[j + 1:j + 2] == "`":  # `` escapes a backtick
                            j += 2
                            continue
                        break
                    j += 1
                if j >= n:
                    raise _refuse(f"The query has a {ch} quote that is never closed: close it.")
                end = j + 1
                yield ("quoted" if ch == "`" else "string"), query[i:end]
            i = start = end
        else:
            i += 1
    if start < n:
        yield "code", query[start:]


def _forbidden_keyword(code: str) -> str | None:
    """The first write or admin keyword in the code, except as a map key (`{set: 1, create: 2}`: after `{` or `,`,
    before one colon), which is a name, not a clause."""
    for match in _KEYWORD.finditer(code):
        before = code[:match.start()].rstrip()[-1:]
        after = code[match.end():].lstrip()
        if before in ("{", ",") and after.startswith(":") and not after.startswith("::"):
            continue
        return match.group(1)
    return None


def check_text(query: str) -> str:
    """The static layer. Returns the statement without a trailing semicolon; raises `UnsafeQueryError`."""
    if not query or not query.strip():
        raise _refuse("The query is empty: send a Cypher read query such as MATCH (e:Entity) RETURN e LIMIT 5.")
    for ch in query:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _ALLOWED_CONTROL) or category in ("Cf", "Co", "Cs", "Zl", "Zp"):
            raise _refuse(f"The query contains an invisible or control character (U+{ord(ch):04X}): remove it.")
    pieces = list(_scan(query))
    blank = {"quoted": " ` ", "string": " '' ", "comment": " "}
    code = "".join(text if kind == "code" else blank[kind] for kind, text in pieces)
    if any(ord(ch) > 127 for ch in code):
        bad = next(ch for ch in code if ord(ch) > 127)
        raise _refuse(f"The query has the non-ASCII character {bad!r} (U+{ord(bad):04X}) outside a string literal: "
                      "use plain ASCII for keywords, names and spaces.")
    stripped = code.rstrip()
    if ";" in stripped.rstrip(";") or stripped.count(";") > 1:
        raise _refuse("Only one statement is allowed: remove the semicolons between statements.")
    if re.search(r"\bLOAD\s+CSV\b", code, re.IGNORECASE):
        raise _refuse("LOAD CSV is not allowed: the API reads the graph only, not files or URLs.")
    if match := _PLUGIN_NAMESPACE.search(code):
        raise _refuse(f"{match.group(1)}.* procedures and functions are not allowed here: use plain Cypher.")
    if _IN_TRANSACTIONS.search(code):
        raise _refuse("CALL { … } IN TRANSACTIONS is not allowed: it is for batched writes.")
    if keyword := _forbidden_keyword(code):
        raise _refuse(f"{keyword.upper()} is not allowed: this endpoint runs read-only queries "
                      "(MATCH, OPTIONAL MATCH, WITH, UNWIND, RETURN, CALL of a read procedure).")
    for call in _CALL.finditer(code):
        nxt = call.group("next")
        if nxt in ("{", "("):
            continue  # a subquery: CALL { … } or CALL (x) { … }
        if nxt == "`":
            raise _refuse("Procedure names must not be quoted with backticks: write CALL db.labels().")
        if nxt.lower().rstrip(".") not in ALLOWED_PROCEDURES:
            raise _refuse(f"Procedure {nxt!r} is not allowed: the allowed ones are {_ALLOWED_TEXT}.")
    # The statement as given, without its one trailing semicolon (the only one left in code by now).
    return "".join(text.replace(";", " ") if kind == "code" else text for kind, text in pieces).rstrip()


def _plan_operators(plan: dict[str, Any] | None) -> Iterator[dict[str, Any]]:
    if not plan:
        return
    yield plan
    for child in plan.get("children") or []:
        yield from _plan_operators(child)


def check_plan(query_type: str | None, plan: dict[str, Any] | None) -> None:
    """The server-side layer: what EXPLAIN says the query would do."""
    if query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema"}
        kind = kinds.get(query_type or "", "is not a read")
        raise _refuse(f"The query {kind} (EXPLAIN query type {query_type!r}): only read queries (type 'r') run here.")
    for op in _plan_operators(plan):
        name = str(op.get("operatorType", "")).split("@")[0]
        if _WRITE_OPERATORS.match(name):
            raise _refuse(f"The query plan has a {name} operator: only read queries run here.")
        if name.startswith("ProcedureCall"):
            details = str((op.get("args") or {}).get("Details", ""))
            found = _PLAN_PROCEDURE.search(details)
            proc = found.group(1).lower() if found else details.lower()
            if proc not in ALLOWED_PROCEDURES:
                raise _refuse(f"Procedure {proc!r} is not allowed: the allowed ones are {_ALLOWED_TEXT}.")


def _first_line(exc: ClientError) -> str:
    text = (exc.message or str(exc)).strip().splitlines()
    return (text[0] if text else exc.code or "unknown error").rstrip(". ")


class QueryFailed(KgError):
    """The server refused or failed a query that passed the guard (syntax, type or runtime error, timeout)."""


def run_read_only(conn: GraphConnection, query: str, parameters: dict[str, Any] | None = None,
                  timeout: float = 10.0, row_cap: int = 1000) -> ReadOnlyResult:
    """Run a researcher's query if and only if every layer agrees it only reads."""
    statement = check_text(query)
    params = dict(parameters or {})
    with conn.driver.session(database=conn.database, default_access_mode=READ_ACCESS) as session:
        try:
            summary = session.run(f"EXPLAIN {statement}", params).consume()  # type: ignore[arg-type]
        except ClientError as exc:
            raise QueryFailed(f"Neo4j cannot compile this query, fix it and send it again: {_first_line(exc)}."
                              ) from exc
        check_plan(summary.query_type, summary.plan)

        @unit_of_work(timeout=timeout)
        def work(tx: ManagedTransaction) -> ReadOnlyResult:
            result = tx.run(statement, params)  # type: ignore[arg-type]
            columns = list(result.keys())
            records = result.fetch(row_cap + 1)
            truncated = len(records) > row_cap
            rows = [list(r.values()) for r in records[:row_cap]]
            return ReadOnlyResult(columns=columns, rows=rows, truncated=truncated)

        try:
            # An explicit transaction, not execute_read: a user's query runs once. Managed transactions retry
            # transient errors, and running out of memory is one, so a memory-hungry query was run four times.
            with session.begin_transaction(timeout=timeout) as tx:
                return work(tx)
        except TransientError as exc:
            if "OutOfMemory" in (exc.code or ""):
                raise QueryFailed(f"Neo4j stopped the query: {_first_line(exc)}. It needs more memory than the "
                                  "server grants one query: narrow it (a LIMIT, a more selective MATCH, fewer "
                                  "collected values).") from exc
            raise QueryFailed(f"Neo4j could not run the query just now ({_first_line(exc)}): retry in a moment.") \
                from exc
        except ClientError as exc:
            code = exc.code or ""
            if "TransactionTimedOut" in code or "Transaction.TransactionTimedOut" in code or "Timeout" in code:
                raise QueryFailed(f"The query ran longer than {timeout:g} s and was stopped: add a LIMIT or a "
                                  "more selective MATCH.") from exc
            if "AccessMode" in code or "Forbidden" in code:
                raise _refuse(f"Neo4j refused the query in a read transaction: {_first_line(exc)}.") from exc
            raise QueryFailed(f"Neo4j failed the query: {_first_line(exc)}.") from exc
