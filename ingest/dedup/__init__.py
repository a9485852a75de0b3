"""Near-duplicate detection measured: the corpora's own duplicate lists, lightly edited copies made here and
same-topic different articles, scored with the rule the writer applies (kg.store.text_signatures). `kg dedup eval`
prints the figures; docs/corroboration.md keeps them with the command."""
