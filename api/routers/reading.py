"""What the explorer's reader view needs from the server: one article with its stored text, so a piece of
evidence can be read in its context even when the article has no url (or the url is gone)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import Field

from api.deps import GraphDep, ReadAccess
from api.problems import ApiProblem, problem_responses
from api.schemas import ApiModel
from kg.store.reading_cypher import ARTICLE_BY_ID

router = APIRouter(prefix="/articles", tags=["articles"], dependencies=[ReadAccess],
                   responses=problem_responses(400, 401, 403, 422, 503))


class ArticleOut(ApiModel):
    """An ingested article as stored: title, publication date, url, language and its text."""

    id: str = Field(description="The article's id", examples=["seed-fr-1a2b3c4d"])
    title: str | None = Field(default=None, description="The article's title", examples=["xAI hires from DeepMind"])
    url: str | None = Field(default=None, description="Where the article was published",
                            examples=["https://example.org/news/x-ai"])
    published: str | None = Field(default=None, description="Publication date (ISO 8601)", examples=["2023-04-14"])
    lang: str | None = Field(default=None, description="Language code of the text", examples=["en"])
    text: str = Field(description="The article's text as ingested; evidence offsets (`start`, `end`) index into it",
                      examples=["Igor Babuschkin left DeepMind to join xAI in March 2023."])
    evidence_count: int = Field(description="How many pieces of evidence this article gives", examples=[3])


@router.get("/{article_id}", response_model=ArticleOut, responses=problem_responses(404))
def get_article(graph: GraphDep,
                article_id: Annotated[str, Path(min_length=1, max_length=300, examples=["api-test-a1"],
                                                description="The article's id (as in a piece of evidence)")],
                ) -> ArticleOut:
    """One article with its stored text, for reading a piece of evidence in its context."""
    records = graph.read(ARTICLE_BY_ID, {"id": article_id})
    if not records:
        raise ApiProblem(404, "article-not-found", f"No article has the id {article_id!r}: the ids are in each "
                         "fact's evidence (`articleId`).")
    return ArticleOut.model_validate(dict(records[0]))
