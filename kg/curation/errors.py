"""Errors of curation actions, each a sentence saying what to do next (the API answers 404 and 409 with them)."""

from __future__ import annotations

from kg.errors import KgError


class CurationNotFound(KgError):
    """The entity, fact or merge a curation action names does not exist."""


class CurationConflict(KgError):
    """The action contradicts the graph's state or the ontology (merging an entity into itself, retyping an entity
    whose facts the new type cannot have, confirming a rejected fact)."""
