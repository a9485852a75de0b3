"""Read-only Cypher for researchers: a layered guard, because no single check is enough.

1. Text checks, before anything is sent to Neo4j (`check_text`): a bounded size (characters, tokens, nesting
   depth: deep nesting overflows Neo4j's parser, and long expressions make planning slow); no `\\u` escape anywhere
   (Neo4j decodes them before it lexes, so `//\\u000a` ends a comment); comments end where Neo4j ends them (at `\\n`
   and at `\\r`, the only two line terminators of its lexer, checked against the server); one statement; only ASCII
   outside string literals; no write, schema, administration, `SHOW` or `TERMINATE` keyword; no query options or
   prefixes (`CYPHER …`, `EXPLAIN`, `PROFILE`); no LOAD CSV; no `CALL … IN TRANSACTIONS`; no `USE`; procedures
   only from an allow-list, called by their plain (unquoted) name. Parameters are checked too (`check_parameters`):
   64-bit integers, strings without lone surrogates, a bounded depth.
2. `EXPLAIN` on the server (`check_plan`), an allow-list rather than a deny-list: the query type must be "r" and
   every operator of the plan must be one of `READ_OPERATORS`; `ProcedureCall` only for an allowed procedure.
   `SHOW …` and `TERMINATE …` commands plan as reads (`ShowTransactions`, `TerminateTransactions`): they are not in
   the list, so this layer refuses them even when the text layer is fooled.
3. EXPLAIN and the query run in one READ transaction with one timeout (planning included); at most `row_cap` rows
   and about `max_bytes` bytes of result are read, then reading stops and the result says it was truncated.
Every refusal raises `UnsafeQueryError`, every failure `QueryFailed`, each with one sentence saying what to change.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from neo4j import READ_ACCESS
from neo4j.exceptions import DatabaseError, DriverError, Neo4jError, TransientError
from neo4j.graph import Node, Path, Relationship

from kg.errors import KgError, UnsafeQueryError
from kg.store.connection import GraphConnection

ALLOWED_PROCEDURE_NAMES = (
    "db.labels", "db.relationshipTypes", "db.propertyKeys", "db.index.fulltext.queryNodes",
    "db.index.fulltext.queryRelationships", "db.schema.visualization", "db.schema.nodeTypeProperties",
    "db.schema.relTypeProperties",
)
ALLOWED_PROCEDURES = frozenset(name.lower() for name in ALLOWED_PROCEDURE_NAMES)
_ALLOWED_TEXT = ", ".join(ALLOWED_PROCEDURE_NAMES)

# Limits of the text layer (defaults; `TextLimits` overrides them per call).
MAX_QUERY_CHARS = 5_000
MAX_QUERY_TOKENS = 1_500
MAX_NESTING = 32
# Limits on parameters and results.
MAX_PARAMETER_DEPTH = 32
MAX_RESULT_BYTES = 4 * 1024 * 1024
MAX_VALUE_DEPTH = 32  # values nested deeper in a result are cut (see api/cypher_values.py)
INT64_MIN, INT64_MAX = -(2 ** 63), 2 ** 63 - 1
FETCH_SIZE = 100  # records the driver buffers at a time: the byte cap is checked between batches

# Clause keywords that write, change the schema, administer the server, leave the read path, or set query options.
FORBIDDEN_KEYWORDS = (
    "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "FOREACH", "LOAD", "GRANT", "DENY",
    "REVOKE", "ALTER", "RENAME", "TERMINATE", "START", "STOP", "SHOW", "USE", "ENABLE", "DEALLOCATE",
    "REALLOCATE", "DRYRUN", "FINISH", "INSERT", "IMPORT", "PERIODIC", "CYPHER", "EXPLAIN", "PROFILE",
)
_KEYWORD = re.compile(r"(?<![.\w$:])(" + "|".join(FORBIDDEN_KEYWORDS) + r")(?![\w$])", re.IGNORECASE)
_OPTIONS = ("CYPHER", "EXPLAIN", "PROFILE")
_IN_TRANSACTIONS = re.compile(r"\bIN\s+(\d+\s+)?(CONCURRENT\s+)?TRANSACTIONS\b", re.IGNORECASE)
_PLUGIN_NAMESPACE = re.compile(r"(?<![\w$])(apoc|gds|genai|dbms)\s*\.", re.IGNORECASE)
_CALL = re.compile(r"\bCALL\b\s*(?P<next>[A-Za-z_][\w.]*|`|\{|\(|\S|$)", re.IGNORECASE)
_UNICODE_ESCAPE = re.compile(r"\\[uU]")
_TOKEN = re.compile(r"[A-Za-z_$][\w$]*|\d[\w.]*|[^\s\w]")
_PLAN_PROCEDURE = re.compile(r"([A-Za-z_][\w.]*)\s*\(")
_ALLOWED_CONTROL = {"\t", "\n", "\r"}
_LINE_TERMINATORS = ("\n", "\r")  # the only characters that end a // comment in Neo4j 5's lexer (tested)

# Every operator a read query may plan to (Neo4j 5 operator reference, checked against 5.26 plans). Names are
# compared without the `@database` suffix, and families written with a variant in parentheses (`Expand(All)`,
# `VarLengthExpand(Pruning,BFS,All)`, `StatefulShortestPath(Into)`, `Repeat(Trail)`) by the name before "(".
# Absent on purpose: every updating operator, LoadCSV, Foreach, TransactionApply, TransactionForeach, the Show*
# and TerminateTransactions commands, AdministrationCommand, schema commands.
READ_OPERATORS = frozenset({
    "ProduceResults", "EmptyResult", "EmptyRow", "Argument", "ArgumentTracker",
    # leaves: nodes
    "AllNodesScan", "NodeByLabelScan", "UnionNodeByLabelsScan", "IntersectionNodeByLabelsScan",
    "SubtractionNodeByLabelsScan", "NodeByIdSeek", "NodeByElementIdSeek", "NodeIndexSeek", "NodeUniqueIndexSeek",
    "NodeIndexSeekByRange", "NodeUniqueIndexSeekByRange", "NodeIndexScan", "NodeIndexContainsScan",
    "NodeIndexEndsWithScan", "MultiNodeIndexSeek", "NodeCountFromCountStore",
    # leaves: relationships
    "DirectedAllRelationshipsScan", "UndirectedAllRelationshipsScan", "DirectedRelationshipTypeScan",
    "UndirectedRelationshipTypeScan", "DirectedUnionRelationshipTypesScan", "UndirectedUnionRelationshipTypesScan",
    "DirectedRelationshipByIdSeek", "UndirectedRelationshipByIdSeek", "DirectedRelationshipByElementIdSeek",
    "UndirectedRelationshipByElementIdSeek", "DirectedRelationshipIndexSeek", "UndirectedRelationshipIndexSeek",
    "DirectedRelationshipUniqueIndexSeek", "UndirectedRelationshipUniqueIndexSeek",
    "DirectedRelationshipIndexSeekByRange", "UndirectedRelationshipIndexSeekByRange",
    "DirectedRelationshipUniqueIndexSeekByRange", "UndirectedRelationshipUniqueIndexSeekByRange",
    "DirectedRelationshipIndexScan", "UndirectedRelationshipIndexScan", "DirectedRelationshipIndexContainsScan",
    "UndirectedRelationshipIndexContainsScan", "DirectedRelationshipIndexEndsWithScan",
    "UndirectedRelationshipIndexEndsWithScan", "RelationshipCountFromCountStore",
    # traversal
    "Expand", "OptionalExpand", "VarLengthExpand", "ShortestPath", "StatefulShortestPath", "Repeat",
    "NullifyMetadata", "ProjectEndpoints", "TriadicSelection", "TriadicBuild", "TriadicFilter",
    "BFSPruningVarExpand",
    # nested loops and joins
    "Apply", "SemiApply", "AntiSemiApply", "LetSemiApply", "LetAntiSemiApply", "SelectOrSemiApply",
    "SelectOrAntiSemiApply", "LetSelectOrSemiApply", "LetSelectOrAntiSemiApply", "ConditionalApply",
    "AntiConditionalApply", "RollUpApply", "SubqueryForeach", "Anti", "Optional", "CartesianProduct",
    "NodeHashJoin", "ValueHashJoin", "NodeLeftOuterHashJoin", "NodeRightOuterHashJoin", "Union", "OrderedUnion",
    # rows
    "Filter", "Projection", "CacheProperties", "Unwind", "Limit", "ExhaustiveLimit", "Skip", "Sort",
    "PartialSort", "Top", "PartialTop", "Distinct", "OrderedDistinct", "EagerAggregation", "OrderedAggregation",
    "Aggregation", "Eager", "AssertSameNode", "AssertSameRelationship",
    # procedures: the procedure itself is checked against ALLOWED_PROCEDURES
    "ProcedureCall",
})


@dataclass(frozen=True)
class TextLimits:
    max_chars: int = MAX_QUERY_CHARS
    max_tokens: int = MAX_QUERY_TOKENS
    max_nesting: int = MAX_NESTING


@dataclass(frozen=True)
class PlanWarning:
    """A notification Neo4j gave while planning the query (unknown label or property, cartesian product…)."""

    title: str
    description: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True)
class ReadOnlyResult:
    columns: list[str]
    rows: list[list[Any]]  # driver values: Node, Relationship, Path, temporal types, lists, maps, scalars
    truncated: bool  # reading stopped at the row cap or the byte cap
    truncated_reason: str | None = None  # "rows" or "bytes"
    warnings: list[PlanWarning] = field(default_factory=list)


class QueryFailed(KgError):
    """The server refused or failed a query that passed the guard (syntax, type or runtime error, timeout)."""


class InvalidParameters(QueryFailed):
    """A parameter cannot be sent to Neo4j (integer out of range, lone surrogate, nested too deep)."""


def _refuse(message: str) -> UnsafeQueryError:
    return UnsafeQueryError(message)


def _scan(query: str) -> Iterator[tuple[str, str]]:
    """Split a query into (kind, text) pieces: "code", "string", "quoted" (backticks) and "comment", the way
    Neo4j's lexer does: a // comment ends at \\n or \\r; in strings a backslash escapes the next character; in
    backticks a doubled backtick is one backtick."""
    i, n = 0, len(query)
    start = 0
    while i < n:
        ch = query[i]
        two = query[i:i + 2]
        if ch in ("'", '"', "`") or two in ("//", "/*"):
            if i > start:
                yield "code", query[start:i]
            if two == "//":
                end = min((p for p in (query.find(t, i) for t in _LINE_TERMINATORS) if p != -1), default=n)
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
    """The first forbidden keyword in the code, except as a map key (`{set: 1, create: 2}`: after `{` or `,`,
    before one colon), which is a name, not a clause."""
    for match in _KEYWORD.finditer(code):
        before = code[:match.start()].rstrip()[-1:]
        after = code[match.end():].lstrip()
        if before in ("{", ",") and after.startswith(":") and not after.startswith("::"):
            continue
        return match.group(1)
    return None


def _nesting(code: str) -> int:
    depth = deepest = 0
    for ch in code:
        if ch in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")]}":
            depth = max(depth - 1, 0)
    return deepest


def check_text(query: str, limits: TextLimits | None = None) -> str:
    """The static layer. Returns the statement without a trailing semicolon; raises `UnsafeQueryError`."""
    limits = limits or TextLimits()
    if not query or not query.strip():
        raise _refuse("The query is empty: send a Cypher read query such as MATCH (e:Entity) RETURN e LIMIT 5.")
    if len(query) > limits.max_chars:
        raise _refuse(f"The query has {len(query):,} characters, over the {limits.max_chars:,} allowed: shorten it, "
                      "and pass long values as parameters.")
    for ch in query:
        category = unicodedata.category(ch)
        if (category == "Cc" and ch not in _ALLOWED_CONTROL) or category in ("Cf", "Co", "Cs", "Zl", "Zp"):
            raise _refuse(f"The query contains an invisible or control character (U+{ord(ch):04X}): remove it.")
    if _UNICODE_ESCAPE.search(query):
        raise _refuse("The query contains a \\u escape, which Neo4j decodes before reading the query (in strings "
                      "and comments too): write the character itself, or pass the value as a parameter.")
    pieces = list(_scan(query))
    blank = {"quoted": " ` ", "string": " '' ", "comment": " "}
    code = "".join(text if kind == "code" else blank[kind] for kind, text in pieces)
    if any(ord(ch) > 127 for ch in code):
        bad = next(ch for ch in code if ord(ch) > 127)
        raise _refuse(f"The query has the non-ASCII character {bad!r} (U+{ord(bad):04X}) outside a string literal: "
                      "use plain ASCII for keywords, names and spaces.")
    depth = _nesting(code)
    if depth > limits.max_nesting:
        raise _refuse(f"The query nests brackets {depth} deep, over the {limits.max_nesting} allowed: flatten it "
                      "(a WITH step, or a list parameter).")
    tokens = len(_TOKEN.findall(code))
    if tokens > limits.max_tokens:
        raise _refuse(f"The query has {tokens:,} tokens, over the {limits.max_tokens:,} allowed: shorten it, and "
                      "pass long lists of values as parameters.")
    stripped = code.rstrip()
    if ";" in stripped.rstrip(";") or stripped.count(";") > 1:
        raise _refuse("Only one statement is allowed: remove the semicolons between statements.")
    first = _TOKEN.search(code)
    if first and first.group(0).upper() in _OPTIONS:
        raise _refuse(f"Query options and prefixes ({first.group(0).upper()} …) are not allowed here: send the "
                      "query alone; the server chooses how to plan and run it.")
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


def check_parameters(parameters: Mapping[str, Any] | None) -> dict[str, Any]:
    """The parameters as Neo4j can take them, or `InvalidParameters` naming the first one that cannot be sent."""
    params = dict(parameters or {})
    stack: list[tuple[str, Any, int]] = [(f"${name}", value, 1) for name, value in params.items()]
    while stack:
        where, value, depth = stack.pop()
        if depth > MAX_PARAMETER_DEPTH:
            raise InvalidParameters(f"Parameter {where.split('[')[0].split('.')[0]} nests values more than "
                                    f"{MAX_PARAMETER_DEPTH} levels deep: flatten it.")
        if value is None or isinstance(value, (bool, float)):
            continue
        if isinstance(value, int):
            if not INT64_MIN <= value <= INT64_MAX:
                raise InvalidParameters(f"Parameter {where} is an integer outside Neo4j's 64-bit range "
                                        "(-2^63 to 2^63-1): send a smaller number, or send it as a string.")
        elif isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InvalidParameters(f"Parameter {where} holds a lone surrogate (half of a UTF-16 pair), which "
                                        "is not text: send valid Unicode.") from None
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{where}[{i}]", item, depth + 1) for i, item in enumerate(value))
        elif isinstance(value, dict):
            for key, item in value.items():
                if not isinstance(key, str):
                    raise InvalidParameters(f"Parameter {where} has a map key that is not text: use text keys.")
                stack.append((f"{where}.{key}", item, depth + 1))
                stack.append((f"{where} (a key)", key, depth + 1))
        else:
            raise InvalidParameters(f"Parameter {where} has a type Neo4j does not take ({type(value).__name__}): "
                                    "send text, numbers, booleans, null, lists or maps.")
    return params


def _plan_operators(plan: Mapping[str, Any] | None) -> Iterator[Mapping[str, Any]]:
    stack = [plan] if plan else []
    while stack:
        op = stack.pop()
        yield op
        stack.extend(child for child in op.get("children") or [] if child)


def _operator_allowed(name: str) -> bool:
    return name in READ_OPERATORS or name.split("(")[0] in READ_OPERATORS


def check_plan(query_type: str | None, plan: Mapping[str, Any] | None, database: str | None = None) -> None:
    """The server-side layer: what EXPLAIN says the query would do. An allow-list: anything unknown is refused, and
    so is any operator that runs on another database than `database` (when given)."""
    if query_type != "r":
        kinds = {"w": "writes", "rw": "reads and writes", "s": "changes the schema or administers the server"}
        kind = kinds.get(query_type or "", "is not a read")
        raise _refuse(f"The query {kind} (EXPLAIN query type {query_type!r}): only read queries (type 'r') run here.")
    if not plan:
        raise _refuse("Neo4j gave no plan for the query, so it cannot be checked: send a MATCH … RETURN query.")
    for op in _plan_operators(plan):
        name, _, on = str(op.get("operatorType", "")).partition("@")
        if database and on and on != database:
            raise _refuse(f"The query reads the database {on!r}: only {database!r} is served here; remove USE.")
        if not _operator_allowed(name):
            raise _refuse(f"The query plans to a {name} step, which is not a graph read: only MATCH, OPTIONAL "
                          "MATCH, WITH, UNWIND, RETURN and allowed procedures run here.")
        if name.startswith("ProcedureCall"):
            details = str((op.get("args") or {}).get("Details", ""))
            found = _PLAN_PROCEDURE.search(details)
            proc = found.group(1).lower() if found else details.lower()
            if proc not in ALLOWED_PROCEDURES:
                raise _refuse(f"Procedure {proc!r} is not allowed: the allowed ones are {_ALLOWED_TEXT}.")


# ----------------------------------------------------------------------------------------------- messages
_JAVA_NAME = re.compile(r"\b(?:[a-z_][\w$]*\.){2,}[A-Za-z_$][\w$]*")
_POSITION = re.compile(r"\(line (\d+), column (\d+)(?: \(offset: \d+\))?\)")


def plain_message(exc: Neo4jError) -> str:
    """The server's message reduced to one plain clause: the first line, no Java class names, no list of what the
    parser expected, no position (given separately)."""
    lines = (exc.message or "").strip().splitlines()
    text = lines[0] if lines else ""
    text = _POSITION.sub("", text)
    text = re.split(r"[:,]?\s+expected\b", text, maxsplit=1)[0]
    text = _JAVA_NAME.sub("a server component", text)
    text = re.sub(r"\s+", " ", text).strip().rstrip(".:; ")
    if not text or "Exception" in text or "Error:" in text:
        return "the server could not run it"
    return text[:200]


def _position(exc: Neo4jError) -> str:
    found = _POSITION.search(exc.message or "")
    return f" (line {found.group(1)}, column {found.group(2)})" if found else ""


def _failed(exc: Neo4jError, timeout: float) -> KgError:
    code = exc.code or ""
    if "TransactionTimedOut" in code or code.endswith("Timeout") or "Terminated" in code:
        return QueryFailed(f"The query ran (or was planned) longer than {timeout:g} s and was stopped: add a LIMIT, "
                           "a more selective MATCH, or shorten it.")
    if "OutOfMemory" in code or "MemoryPoolOutOfMemory" in code or "MemoryLimit" in code:
        return QueryFailed("Neo4j stopped the query: it needs more memory than the server grants one query. "
                           "Narrow it (a LIMIT, a more selective MATCH, fewer collected values).")
    if "AccessMode" in code or "Forbidden" in code:
        return _refuse("Neo4j refused the query in a read transaction: it tries to write; send a read query.")
    if code.endswith("SyntaxError"):
        return QueryFailed(f"Neo4j cannot parse the query{_position(exc)}: {plain_message(exc)}. Fix the syntax "
                           "there and send it again.")
    if isinstance(exc, TransientError):
        return QueryFailed(f"Neo4j could not run the query just now ({plain_message(exc)}): retry in a moment.")
    if isinstance(exc, DatabaseError):
        return QueryFailed("Neo4j failed on this query: simplify it (fewer nested expressions, a LIMIT) and retry.")
    return QueryFailed(f"Neo4j refused the query{_position(exc)}: {plain_message(exc)}. Fix it and send it again.")


def _warnings(summary: Any) -> list[PlanWarning]:
    found = []
    for status in getattr(summary, "gql_status_objects", None) or []:
        if not status.is_notification:
            continue
        description = str(status.status_description or status.gql_status)
        title = description.split(". ")[0].removeprefix("warn: ").removeprefix("info: ")
        pos = status.position
        found.append(PlanWarning(title=title, description=description, line=getattr(pos, "line", None),
                                 column=getattr(pos, "column", None)))
    return found


# ------------------------------------------------------------------------------------------------ results
def value_size(value: Any, depth: int = 0) -> int:
    """About how many bytes a driver value takes as JSON (the byte cap's measure); not exact, never recursive
    beyond `MAX_VALUE_DEPTH` (values there are cut anyway)."""
    if depth > MAX_VALUE_DEPTH:
        return 64
    if value is None or isinstance(value, (bool, int, float)):
        return 8
    if isinstance(value, str):
        return len(value) + 2
    if isinstance(value, (bytes, bytearray)):
        return len(value) * 4 // 3 + 32
    if isinstance(value, Node):
        return 96 + sum(len(k) + value_size(v, depth + 1) for k, v in value.items()) + sum(map(len, value.labels))
    if isinstance(value, Relationship):
        return 160 + sum(len(k) + value_size(v, depth + 1) for k, v in value.items())
    if isinstance(value, Path):
        return sum(value_size(n, depth + 1) for n in value.nodes) + sum(
            value_size(r, depth + 1) for r in value.relationships)
    if isinstance(value, dict):
        return 2 + sum(len(str(k)) + 4 + value_size(v, depth + 1) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return 2 + sum(value_size(v, depth + 1) + 1 for v in value)
    return 48


def _server_answers(conn: GraphConnection) -> bool:
    try:
        conn.driver.verify_connectivity()
        return True
    except (DriverError, Neo4jError, OSError):
        return False


def run_read_only(conn: GraphConnection, query: str, parameters: Mapping[str, Any] | None = None,
                  timeout: float = 10.0, row_cap: int = 1000, max_bytes: int = MAX_RESULT_BYTES,
                  limits: TextLimits | None = None) -> ReadOnlyResult:
    """Run a researcher's query if and only if every layer agrees it only reads, within the limits."""
    statement = check_text(query, limits)
    params = check_parameters(parameters)
    try:
        # Notifications are off for the project's own queries (connection.py); a user wants them: they say which
        # label or property does not exist, or that the query builds a cartesian product.
        with conn.driver.session(database=conn.database, default_access_mode=READ_ACCESS, fetch_size=FETCH_SIZE,
                                 notifications_min_severity="INFORMATION") as session:
            # One explicit transaction, not execute_read: a user's query runs once (managed transactions retry
            # transient errors such as running out of memory), and the timeout covers planning as well as running.
            tx = session.begin_transaction(timeout=timeout, metadata={"app": "techgraph-cypher-endpoint"})
            try:
                summary = tx.run(f"EXPLAIN {statement}", params).consume()
                check_plan(summary.query_type, summary.plan, conn.database)
                warnings = _warnings(summary)
                result = tx.run(statement, params)
                columns = list(result.keys())
                rows: list[list[Any]] = []
                size, reason = 0, None
                for record in result:
                    if len(rows) >= row_cap:
                        reason = "rows"
                        break
                    values = list(record.values())
                    size += sum(value_size(v) for v in values)
                    if size > max_bytes:
                        reason = "bytes"
                        break
                    rows.append(values)
                return ReadOnlyResult(columns=columns, rows=rows, truncated=reason is not None,
                                      truncated_reason=reason, warnings=warnings)
            finally:
                # Rolls back (nothing to keep; the rest of the result is discarded). A transaction that already
                # failed may fail to close too: the first error is the one to report.
                with suppress(DriverError, Neo4jError):
                    tx.close()
    except Neo4jError as exc:
        raise _failed(exc, timeout) from exc
    except RecursionError:
        raise QueryFailed(f"A value in the result is nested too deep to read (over {MAX_VALUE_DEPTH} levels is cut, "
                          "far deeper cannot be read at all): return flatter values.") from None
    except (OverflowError, UnicodeError, ValueError, TypeError) as exc:
        raise InvalidParameters(f"A parameter cannot be sent to Neo4j ({type(exc).__name__}): send text, numbers, "
                                "booleans, null, lists or maps.") from exc
    except DriverError as exc:
        if exc.is_retryable():
            if _server_answers(conn):
                # The server is up but dropped this query's connection without an error: Neo4j does that when it
                # overflows its stack sending a value nested thousands of levels deep (a `reduce` building lists).
                raise QueryFailed("Neo4j stopped answering while sending this query's result, which it does for "
                                  "values nested thousands of levels deep: return flatter values.") from exc
            raise  # Neo4j is down: the API answers 503 (Neo4j unavailable), not a client error
        raise QueryFailed("The query could not be completed: retry it, and simplify it if it fails again.") from exc
