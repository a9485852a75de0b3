"""The core of the tech-industry knowledge graph: domain model, Neo4j store, RDF, local Neo4j, CLI.

`kg` imports neither `ingest` nor `api`: they build on it.
"""

__version__ = "0.1.0"
