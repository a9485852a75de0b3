"""`kg bulk-export DIR`: the graph as the CSV files `neo4j-admin database import full` reads.

The fastest way to build a very large graph is offline: Neo4j's importer writes the store files directly, with no
transactions, at hundreds of thousands of rows per second. This module writes its input from a graph:

- one node file per set of labels (`nodes-Entity-Organization.csv`), header `id:ID(Entity),name:string,...,:LABEL`;
  the `id` property is the import id, in one id space per kind of node (Entity, Article, Evidence);
- one relationship file per type and pair of id spaces (`rels-ACQUIRED-Entity-Entity.csv`), header
  `:START_ID(Entity),:END_ID(Entity),:TYPE,id:string,...`;
- property types (`long`, `double`, `boolean`, `string[]`, ...) from the values in the graph (Cypher `valueType`);
- `manifest.json` (the files, in order) and `IMPORT.txt` (the exact command and what to do after it).

Values: strings are always quoted ("" inside), an empty field is a missing property, arrays are joined by
`ARRAY_DELIMITER`, article texts keep their line breaks (the importer needs `--multiline-fields=true`).
The importer does not create indexes or constraints: start the server and run any `kg ingest` (or
`kg.store.apply_schema`) once to create them."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from neo4j import Record

from kg.errors import KgError
from kg.store.bulk_cypher import NODE_PROPERTY_TYPES, RELATIONSHIP_PROPERTY_TYPES, paged_nodes
from kg.store.connection import GraphConnection
from kg.store.paging import DEFAULT_PAGE_SIZE, keyset_pages

ARRAY_DELIMITER = "\u001f"  # ASCII unit separator: never in names, aliases or texts (";" is, in aliases)
ID_SPACES = ("Entity", "Article", "Evidence")  # the first of these labels a node has names its id space

# Cypher value types -> importer column types. Anything else is written as a string.
_SCALAR_TYPES = {"STRING": "string", "INTEGER": "long", "FLOAT": "double", "BOOLEAN": "boolean",
                 "DATE": "date", "LOCAL DATETIME": "localdatetime", "ZONED DATETIME": "datetime",
                 "LOCAL TIME": "localtime", "ZONED TIME": "time", "DURATION": "duration"}


class BulkExportError(KgError):
    """The graph cannot be written as importer CSV files."""


def _plain(value_type: str) -> str:
    return value_type.replace(" NOT NULL", "").strip()


def column_type(value_types: Iterable[str]) -> str:
    """One importer type for every value a property takes (INTEGER and FLOAT together -> double)."""
    plain = {_plain(t) for t in value_types if _plain(t) != "NULL"}
    if not plain:
        return "string"
    lists = {t for t in plain if t.startswith("LIST<")}
    if lists and lists != plain:
        return "string[]"
    if lists:
        return column_type(t[5:-1] for t in lists) + "[]"
    if plain == {"INTEGER", "FLOAT"}:
        return "double"
    if len(plain) == 1:
        return _SCALAR_TYPES.get(plain.pop(), "string")
    return "string"


def id_space(labels: Iterable[str]) -> str:
    labels = set(labels)
    for space in ID_SPACES:
        if space in labels:
            return space
    return "Node"


def _format(value: Any, type_name: str) -> str:
    """One CSV field; `None` is an empty (missing) field."""
    if value is None:
        return ""
    if type_name.endswith("[]"):
        items = value if isinstance(value, (list, tuple)) else [value]
        element_type = type_name[:-2]
        texts = [_unquoted(item, element_type) for item in items if item is not None]
        if any(ARRAY_DELIMITER in t for t in texts):
            raise BulkExportError("A list value contains the ASCII unit separator (U+001F), which the export uses "
                                  "between list items; remove it from the graph before exporting.")
        return _quote(ARRAY_DELIMITER.join(texts))
    if type_name == "boolean":
        return "true" if value else "false"
    if type_name in ("long", "double"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return _quote(str(value))
        if isinstance(value, float) and not math.isfinite(value):
            return ""
        return repr(value) if isinstance(value, float) else str(value)
    if type_name == "string":
        return _quote(value if isinstance(value, str) else str(value))
    return _quote(value.iso_format() if hasattr(value, "iso_format") else str(value))


def _unquoted(value: Any, type_name: str) -> str:
    """A list item as text: the whole list is quoted once, as one field."""
    if type_name == "boolean":
        return "true" if value else "false"
    if type_name in ("long", "double") and isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value) if isinstance(value, float) else str(value)
    return value.iso_format() if hasattr(value, "iso_format") else str(value)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclass
class _CsvFile:
    path: Path
    columns: list[tuple[str, str]]  # (property, importer type)
    handle: TextIO
    rows: int = 0


@dataclass
class BulkExport:
    directory: Path
    node_files: dict[str, int] = field(default_factory=dict)  # file name -> rows
    relationship_files: dict[str, int] = field(default_factory=dict)

    @property
    def nodes(self) -> int:
        return sum(self.node_files.values())

    @property
    def relationships(self) -> int:
        return sum(self.relationship_files.values())

    def import_arguments(self, database: str = "neo4j") -> list[str]:
        """Arguments for `neo4j-admin` (the AdminTool) that import these files into an empty `database`."""
        args = ["database", "import", "full", database, "--multiline-fields=true",
                f"--array-delimiter={ARRAY_DELIMITER}", "--overwrite-destination=true"]
        args += [f"--nodes={self.directory / name}" for name in self.node_files]
        args += [f"--relationships={self.directory / name}" for name in self.relationship_files]
        return args


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "_-" else "_" for ch in name)


Group = tuple[str, ...]  # a node's sorted labels, or a relationship's type
FileKey = tuple[str, ...]  # ("node", *labels) or ("rel", type, start id space, end id space)


def _property_types(conn: GraphConnection, query: str, group_key: str) -> dict[Group, dict[str, str]]:
    seen: dict[Group, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for record in conn.read(query):
        group = tuple(sorted(record[group_key])) if group_key == "labels" else (record[group_key],)
        seen[group][record["key"]].update(record["types"])
    return {group: {key: column_type(types) for key, types in keys.items()} for group, keys in seen.items()}


def _paged_nodes(conn: GraphConnection, labels: Group, page_size: int) -> Iterator[Record]:
    """The nodes with exactly these labels, with their outgoing relationships, one short transaction per page."""
    return keyset_pages(conn, paged_nodes(labels), lambda r: r["props"]["id"], page_size)


def bulk_export(conn: GraphConnection, directory: Path, page_size: int = DEFAULT_PAGE_SIZE) -> BulkExport:
    """Write the whole graph under `directory` (which must be empty or absent) in the importer's CSV format.

    One pass per set of labels, in id pages (kg.store.paging): each node's row and its outgoing relationships'
    rows, so every node and every relationship is written once and no transaction outlives the server's timeout.
    Keyset paging needs `id` unique within a set of labels, which the importer needs too (one id space each)."""
    directory = directory.expanduser().resolve()
    if directory.exists() and any(directory.iterdir()):
        raise BulkExportError(f"{directory} is not empty: give an empty or new directory for the CSV files.")
    directory.mkdir(parents=True, exist_ok=True)
    export = BulkExport(directory)
    open_files: dict[FileKey, _CsvFile] = {}
    try:
        node_files = _open_node_files(conn, directory, open_files)
        rel_types = _property_types(conn, RELATIONSHIP_PROPERTY_TYPES, "type")
        for labels in node_files:
            for record in _paged_nodes(conn, labels, page_size):
                _write_node(open_files[("node", *labels)], labels, record["props"])
                for rel in record["outgoing"]:
                    _write_relationship(directory, open_files, rel_types, labels, record["props"]["id"], rel)
    finally:
        for target in open_files.values():
            target.handle.close()
    for key, target in open_files.items():
        (export.node_files if key[0] == "node" else export.relationship_files)[target.path.name] = target.rows
    _write_instructions(export)
    return export


def _open_csv(path: Path, columns: list[tuple[str, str]], header: list[str]) -> _CsvFile:
    handle = path.open("w", encoding="utf-8", newline="")
    handle.write(",".join(header) + "\n")
    return _CsvFile(path, columns, handle)


def _open_node_files(conn: GraphConnection, directory: Path, open_files: dict[FileKey, _CsvFile]) -> list[Group]:
    """One file per set of labels, its columns from the property types found in the graph; the sets, sorted."""
    node_types = _property_types(conn, NODE_PROPERTY_TYPES, "labels")
    for labels, types in sorted(node_types.items()):
        if "id" not in types:
            raise BulkExportError(f"Nodes labelled {':'.join(labels)} have no `id` property; the export needs "
                                  "one on every node to link relationships.")
        space = id_space(labels)
        columns = [("id", "ID"), *sorted((k, t) for k, t in types.items() if k != "id")]
        path = directory / f"nodes-{'-'.join(_safe(label) for label in labels)}.csv"
        header = [f"id:ID({space})", *(f"{k}:{t}" for k, t in columns[1:]), ":LABEL"]
        open_files[("node", *labels)] = _open_csv(path, columns, header)
    return sorted(node_types)


def _write_node(target: _CsvFile, labels: Group, props: dict[str, Any]) -> None:
    if props.get("id") is None:
        raise BulkExportError(f"A node labelled {':'.join(labels)} has no `id`; the export needs one on every node.")
    fields = [_format(props["id"], "string"),
              *(_format(props.get(key), type_name) for key, type_name in target.columns[1:]),
              _quote(ARRAY_DELIMITER.join(labels))]
    target.handle.write(",".join(fields) + "\n")
    target.rows += 1


def _write_relationship(directory: Path, open_files: dict[FileKey, _CsvFile], rel_types: dict[Group, dict[str, str]],
                        start_labels: Group, start_id: Any, rel: dict[str, Any]) -> None:
    """One relationship row, in its file per type and pair of id spaces (opened when its first row comes)."""
    if rel["endId"] is None:
        raise BulkExportError(f"A {rel['type']} relationship joins a node without an `id`; the export needs one on "
                              "every node.")
    start, end = id_space(start_labels), id_space(rel["endLabels"])
    key = ("rel", rel["type"], start, end)
    target = open_files.get(key)
    if target is None:
        columns = sorted(rel_types.get((rel["type"],), {}).items())
        path = directory / f"rels-{_safe(rel['type'])}-{start}-{end}.csv"
        header = [f":START_ID({start})", f":END_ID({end})", ":TYPE", *(f"{k}:{t}" for k, t in columns)]
        target = open_files[key] = _open_csv(path, columns, header)
    props = rel["props"]
    fields = [_format(start_id, "string"), _format(rel["endId"], "string"), rel["type"],
              *(_format(props.get(k), t) for k, t in target.columns)]
    target.handle.write(",".join(fields) + "\n")
    target.rows += 1


def _write_instructions(export: BulkExport) -> None:
    manifest = {"nodes": export.node_files, "relationships": export.relationship_files,
                "arrayDelimiter": ARRAY_DELIMITER, "multilineFields": True}
    (export.directory / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    args = " ".join(f"'{a}'" if ARRAY_DELIMITER in a else a for a in export.import_arguments())
    args = args.replace(ARRAY_DELIMITER, "\\x1f")
    text = f"""Import these files into an EMPTY Neo4j 5 database (the server stopped):

    neo4j-admin {args.replace("'--array-delimiter=", "$'--array-delimiter=")}

(with our local server: NEO4J_HOME=<home> NEO4J_CONF=<home>/conf java -cp '<runtime>/lib/*'
 org.neo4j.cli.AdminTool <the same arguments>; kg.bulk_export.BulkExport.import_arguments() gives them.)
Then start the server and create the indexes and constraints: any `kg ingest` does, or
kg.store.apply_schema(conn) from Python.

{export.nodes} nodes in {len(export.node_files)} files, {export.relationships} relationships in \
{len(export.relationship_files)} files.
"""
    (export.directory / "IMPORT.txt").write_text(text, encoding="utf-8")


def manifest_of(directory: Path) -> BulkExport:
    """The export described by `directory/manifest.json`."""
    data = json.loads((directory / "manifest.json").read_text(encoding="utf-8"))
    return BulkExport(directory.resolve(), dict(data["nodes"]), dict(data["relationships"]))

