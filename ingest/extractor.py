"""Articles in, typed and sourced facts out: `extract` for one article, `extract_many` for a stream.

The work happens in the spaCy pipeline of the article's language (`ingest.nlp.pipeline_for`), whose last
component, `kg_fact_extractor_v1`, applies the rules kept as data under `ingest/data/`; this module picks
the language, batches articles through `nlp.pipe` and builds the domain objects."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice

from ingest.extraction.assemble import build_extraction
from ingest.language import detect_language
from ingest.nlp import MODELS, pipeline_for
from kg.model import Article, ArticleExtraction

RULES_VERSION = "rules-1.4"


def extractor_version() -> str:
    """Changes with the rules, the mode and the trained weights (a hash of the model's files)."""
    from ingest.extraction.relations import model_hash
    from ingest.nlp import extractor_mode, model_dir

    mode = extractor_mode()
    if mode == "rules":
        return RULES_VERSION
    return f"{RULES_VERSION}+{mode}-{model_hash(model_dir())}"


def __getattr__(name: str) -> str:  # `EXTRACTOR_VERSION` stays importable; it follows the mode and the model
    if name == "EXTRACTOR_VERSION":
        return extractor_version()
    raise AttributeError(name)
BATCH_SIZE = 64


def _with_language(article: Article) -> Article:
    lang = article.lang if article.lang in MODELS else detect_language(article.text)
    if lang not in MODELS:
        lang = "en"
    return article if lang == article.lang else replace(article, lang=lang)


def extract(article: Article) -> ArticleExtraction:
    article = _with_language(article)
    doc = pipeline_for(article.lang)(article.text)
    return build_extraction(article, doc)


def extract_many(articles: Iterable[Article], batch_size: int = BATCH_SIZE) -> Iterator[ArticleExtraction]:
    """Extract from many articles, parsing each language's articles together with `nlp.pipe`; keeps order."""
    it = iter(articles)
    while batch := [_with_language(a) for a in islice(it, batch_size)]:
        results: dict[int, ArticleExtraction] = {}
        for lang in sorted({a.lang for a in batch}):
            indexed = [(i, a) for i, a in enumerate(batch) if a.lang == lang]
            docs = pipeline_for(lang).pipe(a.text for _, a in indexed)
            for (i, article), doc in zip(indexed, docs, strict=True):
                results[i] = build_extraction(article, doc)
        for i in range(len(batch)):
            yield results[i]
