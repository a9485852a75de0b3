"""RDF views of the graph: export (turtle, JSON-LD, N-Triples), import, and SHACL validation."""

from kg.rdf.export import export_graph, export_rdf_graph, media_type, rdf_format
from kg.rdf.importer import import_rdf
from kg.rdf.shapes import ShaclReport, validate_rdf

__all__ = ["ShaclReport", "export_graph", "export_rdf_graph", "import_rdf", "media_type", "rdf_format", "validate_rdf"]
