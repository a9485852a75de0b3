"""`kg ingest` with article metadata (options and sidecar files) and unchanged articles skipped before extraction,
against the real test Neo4j."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import typer
from test_ingest_cli import EN_TEXT, FR_TEXT, cli, runner  # noqa: F401  (cli is a fixture)

from ingest.batch import extract_articles
from ingest.ingestion import ingest_paths
from ingest.loaders import Article, RefusedInput, read_inputs
from kg.store import GraphConnection


def counting_extractor(seen: list[str]):
    def extract(articles: Iterable) -> Iterator:
        for article in articles:
            seen.append(article.id.split("-")[0])
            yield from extract_articles([article])
    return extract


def articles(graph: GraphConnection) -> dict[str, dict]:
    rows = graph.run("MATCH (a:Article) RETURN a.id AS id, a {.published, .source, .lang, .url, .title} AS meta")
    return {r["id"].split("-")[0]: r["meta"] for r in rows}


def test_sidecar_gives_each_file_its_metadata_and_is_not_an_article(tmp_path: Path) -> None:
    (tmp_path / "001.txt").write_text(EN_TEXT, encoding="utf-8")
    (tmp_path / "001.meta.json").write_text(json.dumps({"published": "2022-01-18", "source": "BBC",
                                                        "url": "https://bbc.example/1"}), encoding="utf-8")
    (tmp_path / "002.txt").write_text(FR_TEXT, encoding="utf-8")
    (tmp_path / "003.txt").write_text(EN_TEXT + " Again.", encoding="utf-8")
    (tmp_path / "003.meta.json").write_text('{"published": "yesterday"}', encoding="utf-8")
    read = list(read_inputs([tmp_path]))
    found = {a.id.split("-")[0]: a for a in read if isinstance(a, Article)}
    refused = [str(r) for r in read if isinstance(r, RefusedInput)]
    assert sorted(found) == ["001", "002"]
    assert (found["001"].published, found["001"].source, found["001"].url) == ("2022-01-18", "BBC",
                                                                               "https://bbc.example/1")
    assert found["002"].published is None
    assert any("003.txt" in r and "not a date" in r for r in refused)


@pytest.mark.usefixtures("neo4j_env")
def test_unchanged_articles_are_skipped_before_extraction(graph: GraphConnection, tmp_path: Path) -> None:
    for i, text in enumerate([EN_TEXT, FR_TEXT]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    seen: list[str] = []
    first = ingest_paths(graph, [tmp_path], extract_with=counting_extractor(seen))
    assert first.written.articles_written == 2 and sorted(seen) == ["0", "1"]
    seen.clear()
    second = ingest_paths(graph, [tmp_path], extract_with=counting_extractor(seen))
    assert seen == [] and second.skipped_before_extraction == 2 and second.written.articles_unchanged == 2
    # new metadata is a change: the article is extracted and written again, with its date
    (tmp_path / "0.meta.json").write_text('{"published": "2022-01-18"}', encoding="utf-8")
    third = ingest_paths(graph, [tmp_path], extract_with=counting_extractor(seen))
    assert seen == ["0"] and third.written.articles_written == 1
    assert articles(graph)["0"]["published"] == "2022-01-18"


@pytest.mark.usefixtures("neo4j_env")
def test_ingest_options_give_a_single_file_its_metadata(cli: typer.Typer, graph: GraphConnection,  # noqa: F811
                                                        tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(EN_TEXT, encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(path), "--no-progress", "--published", "2022-01-18", "--source",
                                 "BBC", "--lang", "en", "--url", "https://bbc.example/story"])
    assert result.exit_code == 0, result.output
    assert articles(graph)["story"] == {"published": "2022-01-18", "source": "BBC", "lang": "en",
                                        "url": "https://bbc.example/story", "title": None}
    dated = graph.run("MATCH ()-[r]->() WHERE r.firstPublishedOn >= date('2022-01-01') RETURN count(r) AS n")
    assert dated[0]["n"] > 0
    again = runner.invoke(cli, ["ingest", str(path), "--no-progress", "--published", "2022-01-18", "--source", "BBC",
                                "--lang", "en", "--url", "https://bbc.example/story"])
    assert "skipped before extraction" in again.stdout and again.exit_code == 0
    bad = runner.invoke(cli, ["ingest", str(path), "--no-progress", "--published", "someday"])
    assert bad.exit_code == 1 and "not a date" in bad.stderr


@pytest.mark.usefixtures("neo4j_env")
def test_native_dates_answer_on_the_demo_data(graph: GraphConnection) -> None:
    from api.cli import EXAMPLES_DIR

    ingest_paths(graph, [EXAMPLES_DIR])  # its sidecar dates the article: 2023-04
    # the demo's facts carry no date of their own (the text gives none): no dateStart, and no error either
    assert graph.run("MATCH ()-[r]->() WHERE r.dateStart >= date('2020-01-01') RETURN count(r) AS n")[0]["n"] == 0
    query = ("MATCH ()-[r]->() WHERE coalesce(r.dateStart, r.firstPublishedOn) >= date('2020-01-01') "
             "RETURN count(r) AS n")
    facts = graph.run("MATCH (:Entity)-[r]->(:Entity) RETURN count(r) AS n")[0]["n"]
    assert facts > 0 and graph.run(query)[0]["n"] == facts
