"""Rule-based fact extraction: mentions, relational nouns, verb frames and qualifiers, driven by data files.

The language-specific parts (trigger words, dependency patterns, role titles, date words) live in
`ingest/data/<lang>/lexicon.json`; the knowledge base of known entities in `ingest/data/kb/*.jsonl`.
"""
