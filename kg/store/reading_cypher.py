"""Cypher text for the explorer's reader view: one article with its stored text (parameters only)."""

from __future__ import annotations

# One article: what a reader needs (title, date, url, language, text), and how many facts its evidence supports.
ARTICLE_BY_ID = """
MATCH (a:Article {id: $id})
RETURN a.id AS id, a.title AS title, a.url AS url, toString(a.published) AS published, a.lang AS lang,
       a.text AS text, COUNT { (ev:Evidence)-[:FROM_ARTICLE]->(a) } AS evidenceCount
"""
