"""One poll of one feed: a conditional GET, then each new or changed item written and only then marked seen.

The feed's validators (ETag, Last-Modified) are stored only once every item of the body has been taken: if the
pass stops early or an item's page fails for now, the next poll gets the full body again instead of a 304 that
would hide the items left over."""

from __future__ import annotations

from ingest.watch.articles import article_from_item
from ingest.watch.context import PollContext
from ingest.watch.events import ArticleStored, InputRefused, SourcePolled
from ingest.watch.feed_items import FeedItem, parse_feed
from ingest.watch.fetch import FetchFailed, Validators
from ingest.watch.sources import FeedSource
from ingest.watch.state import FeedState
from kg.errors import InputError


def _take_item(item: FeedItem, site: str, source: FeedSource, state: FeedState, ctx: PollContext) -> None:
    """Write the item's article, then mark it seen (a refusal is marked too: it would be refused again)."""
    try:
        article = article_from_item(item, site, ctx.client)
        outcome = ctx.sink.put(article)
    except InputError as exc:
        ctx.notify(InputRefused(source.url, item.link or item.key, str(exc)))
    else:
        ctx.notify(ArticleStored(source.url, article.id, outcome))
    state.seen.pop(item.key, None)  # re-inserted last: the dict stays oldest first
    state.seen[item.key] = item.fingerprint
    ctx.save()


def _take_items(items: list[FeedItem], site: str, source: FeedSource, state: FeedState,
                ctx: PollContext) -> bool:
    """Take the items in order; True when all were taken. A page that failed for now is raised at the end,
    after the other items were taken."""
    postponed: FetchFailed | None = None
    for item in items:
        if ctx.stop.requested:
            return False
        try:
            _take_item(item, site, source, state, ctx)
        except FetchFailed as exc:
            postponed = postponed or exc
    if postponed is not None:
        raise postponed
    return True


def poll_feed(source: FeedSource, state: FeedState, ctx: PollContext) -> None:
    """Raises FetchFailed (the feed or an item's page could not be fetched) or InputError (not a feed)."""
    fetched = ctx.client.get(source.url, Validators(state.etag, state.last_modified))
    if fetched.body is None:
        ctx.notify(SourcePolled(source.url, not_modified=True, new_items=0))
        return
    feed = parse_feed(fetched.body, fetched.url, fetched.content_type)
    fresh = list({i.key: i for i in feed.items if state.seen.get(i.key) != i.fingerprint}.values())
    ctx.notify(SourcePolled(source.url, not_modified=False, new_items=len(fresh)))
    if _take_items(fresh, feed.site, source, state, ctx):
        state.etag, state.last_modified = fetched.validators.etag, fetched.validators.last_modified
        state.forget_oldest(ctx.max_seen_per_feed, {i.key for i in feed.items})
        ctx.save()
