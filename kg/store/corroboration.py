"""How many independent sources support a fact, and in which languages (called by
`kg.store.writer.derived_fact_properties`, the one definition of a fact's derived properties).

Two articles are *dependent* when they are in one duplicate cluster (kg.store.duplicates: copies of one text) or
come from one outlet. A fact's `sourceCount` is the number of groups its evidence articles fall into when every
dependent pair is put in one group (connected components), so a wire story republished by five outlets counts once,
and an outlet that reports a fact in three articles counts once. A group never spans two independent reports, so
the count is a lower bound: it never counts a copy as a confirmation.

An article's *outlet* is named by its `source` (case- and accent-folded: "BBC" and "bbc" are one) and by the host of
its `url` (lower case, without a leading "www." and without the port); either shared makes two articles one outlet.
An article with neither is an outlet of its own (kg ingest gives files no source unless told: `--source`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from kg.model import Article, fold


@dataclass(frozen=True)
class EvidenceArticle:
    """What the derived properties of a fact need to know about one of its evidence articles."""

    published: str | None
    lang: str | None
    outlets: frozenset[str]  # "source:<folded name>", "host:<host>": empty when neither is known
    cluster: str  # the id of its duplicate cluster's root (its own id when it has no copy)


def url_host(url: str | None) -> str | None:
    if not url:
        return None
    try:
        host = urlsplit(url.strip()).hostname
    except ValueError:
        return None
    if not host:
        return None
    return host.removeprefix("www.")


def outlets(source: str | None, url: str | None) -> frozenset[str]:
    keys = set()
    if source and source.strip():
        keys.add(f"source:{fold(source)}")
    if (host := url_host(url)) is not None:
        keys.add(f"host:{host}")
    return frozenset(keys)


def evidence_article(article_id: str, published: str | None, lang: str | None, source: str | None,
                     url: str | None, cluster: str | None) -> EvidenceArticle:
    return EvidenceArticle(published=published, lang=lang, outlets=outlets(source, url),
                           cluster=cluster or article_id)


def of_article(article: Article, cluster: str | None) -> EvidenceArticle:
    return evidence_article(article.id, article.published, article.lang, article.source, article.url, cluster)


def source_count(article_ids: Iterable[str], articles: Mapping[str, EvidenceArticle]) -> int:
    """The number of independent groups among these articles (an article not in `articles` is its own group)."""
    parent: dict[str, str] = {}

    def root(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    groups = set()
    for article_id in set(article_ids):
        known = articles.get(article_id)
        keys = [f"article:{article_id}"]
        if known is not None:
            keys += [f"cluster:{known.cluster}", *sorted(known.outlets)]
        first = root(keys[0])
        for key in keys[1:]:
            parent[root(key)] = first
        groups.add(keys[0])
    return len({root(key) for key in groups})


def languages(article_ids: Iterable[str], articles: Mapping[str, EvidenceArticle]) -> list[str]:
    return sorted({lang for a in set(article_ids) if (known := articles.get(a)) and (lang := known.lang)})
