"""RDF views of the graph: export (turtle, JSON-LD, streamed N-Triples), import, and SHACL validation.

Names are imported on first use, so `python -m kg.rdf.shapes` and light imports stay cheap."""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "export_graph": "kg.rdf.export", "export_rdf_graph": "kg.rdf.export", "media_type": "kg.rdf.export",
    "rdf_format": "kg.rdf.export", "import_rdf": "kg.rdf.importer", "ShaclReport": "kg.rdf.shapes",
    "validate_rdf": "kg.rdf.shapes", "stream_ntriples": "kg.rdf.export", "ExportOptions": "kg.rdf.export",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'kg.rdf' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
