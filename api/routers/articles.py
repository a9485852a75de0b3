from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Path

from api.deps import GraphDep, SettingsDep, WriteAccess
from api.problems import ApiProblem, problem_responses
from api.schemas import ArticleIn, ArticleResultOut, IngestOut, RefusedOut, RetractOut, fact_out
from kg.errors import InputError
from kg.store import GraphWriter, reader

router = APIRouter(tags=["articles"], dependencies=[WriteAccess],
                   responses=problem_responses(400, 401, 403, 413, 422, 429, 503))

EXAMPLE = {"id": "example-xai-2023", "lang": "en", "published": "2023-04-14", "title": "xAI hires from DeepMind",
           "url": "https://example.org/news/xai",
           "text": "Igor Babuschkin left DeepMind to join xAI in March 2023."}


@router.post("/articles", response_model=IngestOut)
def ingest_articles(graph: GraphDep, settings: SettingsDep,
                    body: Annotated[ArticleIn | list[ArticleIn], Body(examples=[EXAMPLE, [EXAMPLE]])]) -> IngestOut:
    """Ingest one article or a list of them (shaped like the lines of a JSONL file: id, text, title, published,
    url, lang): extract facts and write them. Needs the `X-API-Key` header. Idempotent: the same article again
    is `unchanged`; an edited article replaces its earlier facts. Returns the facts each article supports."""
    from ingest.ingestion import ExtractionFailed, ingest_articles
    from ingest.loaders.article import finish_article

    items = body if isinstance(body, list) else [body]
    if not items:
        raise ApiProblem(422, "no-articles", "The list is empty: send at least one article.")
    if len(items) > settings.max_articles_per_request:
        raise ApiProblem(413, "too-many-articles", f"{len(items)} articles is more than the "
                         f"{settings.max_articles_per_request} one request may carry: split them into several "
                         "requests.")
    articles = []
    for item in items:  # every article is checked before any is written
        if len(item.text) > settings.max_article_chars:
            raise ApiProblem(413, "article-too-long", f"Article {item.id!r} has {len(item.text)} characters, over the "
                             f"{settings.max_article_chars} limit (KG_API_MAX_ARTICLE_CHARS): send a shorter text.")
        try:
            articles.append(finish_article(article_id=item.id, text=item.text, source="api", title=item.title,
                                           url=item.url, published=item.published, lang=item.lang,
                                           trust_lang=True))
        except InputError as exc:
            raise ApiProblem(422, "invalid-article", f"Article {item.id!r} cannot be ingested: "
                             f"{str(exc).rstrip('.')}.") from exc
    try:
        outcome = ingest_articles(graph, articles)  # the same extraction and writer as `kg ingest`
    except ExtractionFailed as exc:
        raise ApiProblem(422, "extraction-failed", str(exc)) from exc
    fact_ids = [fact.id for done in outcome for fact in done.extraction.facts]
    stored = reader.get_facts(graph, fact_ids)  # one query for every fact of the request
    results = [ArticleResultOut(
        article_id=done.extraction.article.id,
        status="written" if done.written.articles_written else "unchanged",
        facts=[fact_out(stored[fact_id]) for fact_id in dict.fromkeys(f.id for f in done.extraction.facts)
               if fact_id in stored],
        refused=[RefusedOut(description=r.description, reason=r.reason) for r in done.written.refused])
        for done in outcome]
    return IngestOut(articles=results, facts_written=sum(done.written.facts_written for done in outcome))


@router.delete("/articles/{article_id}", response_model=RetractOut)
def retract_article(graph: GraphDep,
                    article_id: Annotated[str, Path(min_length=1, max_length=300, examples=["example-xai-2023"],
                                                    description="The article's id")]) -> RetractOut:
    """Take an article back out (a retraction, a wrong import): its evidence goes, every fact left without
    evidence goes, and the facts that keep other evidence are recomputed (counts, first publication, dates), as
    are the validity intervals. Needs the `X-API-Key` header. Idempotent (a second call removes nothing); the same
    article sent again with POST comes back whole."""
    result = GraphWriter(graph).retract([article_id])
    return RetractOut(article_id=article_id, articles_removed=result.articles_removed,
                      facts_removed=result.facts_removed, facts_recomputed=result.facts_recomputed)
