"""`kg watch`: continuous ingestion from RSS/Atom feeds and folders (docs/feeds.md).

The parts, each with one job: `sources` (what to watch and how often), `settings` (KG_WATCH_* defaults), `fetch`
(polite HTTP: conditional requests, timeout, size cap), `feed_items` (a feed's bytes to items), `articles` (an
item to an Article, fetching the linked page when the feed holds only a summary), `sink` (an Article through the
normal extractor and writer), `state` (what was seen, persisted atomically), `schedule` (when a source is due,
backoff after errors), `feed_poll` and `folder_poll` (one pass over one source), `watcher` (the loop), `cli`.

The invariant that makes restarts safe: an item is marked seen only after its article is written. A crash between
the two re-writes an article already stored unchanged, which the writer skips.
"""
