"""Curation: a person's (or the resolver's) corrections to the graph, kept so that re-ingestion never undoes them.

- `records`: the typed shapes (merge records, audit log entries, fact changes);
- `redirects`: where an extracted entity id points now (merges followed, curated types);
- `regroup`: evidence placed again on the facts its (redirected) ends give, facts recomputed from their evidence;
- `merging`: merge and split; `entity_actions`: rename, retype, alias, Wikidata id; `fact_actions`: reject, confirm;
- `audit`: the audit log; `on_write`: what the writer does with merges and verdicts on every write;
- `service`: the actions as one call each on a connection (what the API and the CLI use).

Cypher lives in `kg.store.curation_cypher`. See docs/curation.md.
"""
