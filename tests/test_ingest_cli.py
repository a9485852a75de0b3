"""`kg extract` (no Neo4j) and `kg ingest` (the real test Neo4j): formats, bad files, idempotence, summaries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from graph_snapshots import snapshot
from typer.testing import CliRunner

from ingest.cli import ingest_command
from ingest.extractor import extract
from ingest.ingestion import IngestProgress, ingest_paths
from ingest.loaders import Article, read_inputs
from kg.cli.main import app, load_plugins
from kg.store import GraphConnection

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEED = SHARED / "examples" / "seed-fr.txt"
EN_TEXT = ("Microsoft said on Tuesday that it would buy Activision Blizzard, the games maker, for $69bn. "
           "Satya Nadella, Microsoft's chief executive, called it the biggest deal in its history.")
FR_TEXT = ("Le groupe Orange a annoncé mardi un partenariat avec Google pour le cloud. "
           "Christel Heydemann, directrice générale d'Orange, a signé l'accord.")
RSS = """<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><title>Deal</title><link>https://news.example/deal</link><pubDate>Tue, 18 Apr 2023 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{text}&lt;/p&gt;</description></item></channel></rss>"""

runner = CliRunner()


@pytest.fixture(scope="module")
def cli() -> typer.Typer:
    if not any(c.name == "ingest" for c in app.registered_commands):
        load_plugins(app)
    return app


def make_folder(root: Path, with_bad_files: bool = True) -> Path:
    """Articles of every format, and (optionally) one bad input of each kind beside them."""
    folder = root / "articles"
    (folder / "sub").mkdir(parents=True)
    (folder / "seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "sub" / "msft.txt").write_text(f"Microsoft buys Activision\n\n{EN_TEXT}", encoding="utf-8")
    (folder / "batch.jsonl").write_text("\n".join([
        json.dumps({"id": "jsonl-fr", "text": FR_TEXT, "lang": "fr", "published": "2023-04-12"}),
        '{"id": "broken", ' if with_bad_files else "",
        json.dumps({"id": "no-text", "title": "nothing"}) if with_bad_files else "",
    ]), encoding="utf-8")
    (folder / "sub" / "feed.rss").write_text(RSS.format(text=EN_TEXT.replace("Tuesday", "Monday")),
                                             encoding="utf-8")
    if with_bad_files:
        (folder / "empty.txt").write_bytes(b"")
        (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
        (folder / "huge.txt").write_bytes(b"word " * 1_000_000)
        (folder / "sub" / "not-a-feed.xml").write_text("<notes><n>x</n></notes>", encoding="utf-8")
        (folder / "sub" / "nav.html").write_text("<html><head><title>t</title></head></html>", encoding="utf-8")
    return folder


def good_article_ids(folder: Path) -> set[str]:
    return {item.id for item in read_inputs([folder]) if isinstance(item, Article)}


def article_ids(graph: GraphConnection) -> set[str]:
    return {r["id"] for r in graph.run("MATCH (a:Article) RETURN a.id AS id")}


# --- kg extract ------------------------------------------------------------------------------------------------

def test_extract_prints_scoring_md_lines_without_neo4j(cli: typer.Typer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEO4J_URI", "bolt://127.0.0.1:1")  # nothing listens there: extract must not care
    monkeypatch.setenv("NEO4J_PASSWORD", "unused-password")
    result = runner.invoke(cli, ["extract", str(SEED)])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    (article,) = [a for a in read_inputs([SEED]) if isinstance(a, Article)]
    facts = extract(article).facts
    assert len(facts) >= 1
    assert lines == [fact.to_output(article.id) for fact in facts]
    for line in lines:
        assert {"article_id", "subject", "predicate", "object", "qualifiers", "evidence"} <= set(line)
        assert article.text[line["evidence"]["start"]:line["evidence"]["end"]] == line["evidence"]["sentence"]


def test_extract_table_and_refusals(cli: typer.Typer, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(cli, ["extract", "--format", "table", str(SEED), str(tmp_path / "empty.txt")],
                           env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "seed-fr-" in result.stdout and "predicate" in result.stdout
    assert f"refused {tmp_path / 'empty.txt'}: is empty" in result.stderr


def test_extract_with_nothing_readable_exits_non_zero(cli: typer.Typer, tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(cli, ["extract", str(tmp_path)])
    assert result.exit_code == 1
    assert "no article could be read" in result.stderr


# --- kg ingest -------------------------------------------------------------------------------------------------

@pytest.mark.usefixtures("neo4j_env")
def test_ingest_folder_refuses_bad_files_and_writes_the_rest(cli: typer.Typer, graph: GraphConnection,
                                                            tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    result = runner.invoke(cli, ["ingest", str(folder), "--no-progress"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    expected = good_article_ids(folder)
    assert len(expected) == 4
    assert article_ids(graph) == expected  # nothing of a refused input reached the graph
    for source, reason in [
        (folder / "empty.txt", "is empty"),
        (folder / "image.txt", "is a PNG image, not text"),
        (folder / "huge.txt", "5,000,000 bytes is over the 4,000,000-byte limit for a text file"),
        (f"{folder / 'batch.jsonl'}:2", "is not JSON"),
        (f"{folder / 'batch.jsonl'}:3", 'has no "text" field'),
        (folder / "sub" / "not-a-feed.xml", "is not an RSS or Atom feed"),
        (folder / "sub" / "nav.html", "is an HTML page with no article text"),
    ]:
        assert f"refused {source}: {reason}" in result.stderr
    assert "articles read" in result.stdout and "inputs refused" in result.stdout


@pytest.mark.usefixtures("neo4j_env")
def test_ingesting_twice_leaves_the_graph_unchanged(graph: GraphConnection, tmp_path: Path) -> None:
    folder = make_folder(tmp_path)
    heard: list[IngestProgress] = []
    first = ingest_paths(graph, [folder], on_progress=heard.append)
    assert (first.articles_read, first.written.articles_written, first.written.articles_unchanged) == (4, 4, 0)
    assert len(first.refused) == 7
    assert first.written.facts_written == sum(first.written.facts_by_predicate.values())
    assert heard[-1].files_done == heard[-1].files_total == 9 and heard[-1].articles_done == 4
    before = snapshot(graph, with_feed=True)
    second = ingest_paths(graph, [folder])
    assert (second.written.articles_written, second.written.articles_unchanged) == (0, 4)
    assert second.written.facts_written == 0
    assert snapshot(graph, with_feed=True) == before


@pytest.mark.usefixtures("neo4j_env")
def test_ingest_with_nothing_readable_exits_non_zero_and_writes_nothing(cli: typer.Typer, graph: GraphConnection,
                                                                        tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    result = runner.invoke(cli, ["ingest", str(tmp_path), str(tmp_path / "missing.txt"), "--no-progress"])
    assert result.exit_code == 1
    assert "no article could be read" in result.stderr
    assert f"refused {tmp_path / 'missing.txt'}: does not exist; check the path" in result.stderr
    assert article_ids(graph) == set()


@pytest.mark.usefixtures("neo4j_env")
def test_ingest_command_is_callable_with_paths_only(graph: GraphConnection, tmp_path: Path) -> None:
    folder = make_folder(tmp_path, with_bad_files=False)
    ingest_command([folder])  # as `kg demo` calls it
    assert article_ids(graph) == good_article_ids(folder)
