"""Parallel and distributed extraction give the same graph as a single process (real spaCy, real Neo4j, real Dask)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from graph_snapshots import snapshot

from ingest.ingestion import ingest_paths
from ingest.parallel import parallel_extractor
from kg.errors import ConfigurationError
from kg.store import GraphConnection

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BBC_BUSINESS = SHARED / "corpora" / "bbc" / "business"
ORANGESUM = SHARED / "corpora" / "orangesum_fr" / "orangesum_fr_hightech_media_auto.jsonl"


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Nine BBC business stories (files as they are) and four OrangeSum high-tech stories (French) in a JSONL file
    written at test time in the layout our loader reads."""
    folder = tmp_path_factory.mktemp("parallel-inputs")
    french = folder / "orangesum.jsonl"
    with ORANGESUM.open(encoding="utf-8") as source, french.open("w", encoding="utf-8") as out:
        kept = 0
        for line in source:
            record = json.loads(line)
            if record["category"] == "high-tech" and kept < 4:
                out.write(json.dumps({"id": f"orangesum-{record['id']}", "text": record["article"],
                                      "title": record["title"], "published": record["date"], "lang": "fr"},
                                     ensure_ascii=False) + "\n")
                kept += 1
    return [*(BBC_BUSINESS / f"{n:03d}.txt" for n in range(1, 10)), french]


def assert_same_graph(got: tuple[list, list], expected: tuple[list, list]) -> None:
    """Equal graphs; otherwise the assertion names what only one of them has."""
    for kind, a, b in (("nodes", got[0], expected[0]), ("relationships", got[1], expected[1])):
        extra, missing = sorted(set(a) - set(b)), sorted(set(b) - set(a))
        assert not extra and not missing and len(a) == len(b), (
            f"{kind}: only in this graph {extra[:5]}; only in the single-process graph {missing[:5]}")



@pytest.fixture(scope="module")
def single_process_graph(graph_connection: GraphConnection, inputs: list[Path]) -> tuple[list, list]:
    graph_connection.run("MATCH (n) DETACH DELETE n")
    report = ingest_paths(graph_connection, inputs)
    assert report.articles_read == 13 and not report.refused
    assert report.written.facts_written > 0
    return snapshot(graph_connection)


@pytest.mark.slow  # starts worker processes: left out of `make test-fast`
def test_two_worker_processes_give_the_single_process_graph(graph: GraphConnection, inputs: list[Path],
                                                           single_process_graph: tuple[list, list]) -> None:
    from ingest.batch import InputBatch

    graph.run("MATCH (n) DETACH DELETE n")
    came_out: list[str] = []

    def recording(articles):
        for item in parallel_extractor(workers=2, chunk_size=2)(articles):
            came_out.append(item.article.id)
            yield item

    report = ingest_paths(graph, inputs, extract_with=recording)
    assert report.articles_read == 13 and not report.refused
    assert came_out == [a.id for a in InputBatch.from_paths(inputs).articles()]  # input order kept
    assert_same_graph(snapshot(graph), single_process_graph)


@pytest.mark.usefixtures("neo4j_env")
@pytest.mark.slow  # starts a Dask cluster: left out of `make test-fast`
def test_dask_local_cluster_of_two_workers_gives_the_single_process_graph(
        graph: GraphConnection, inputs: list[Path], single_process_graph: tuple[list, list]) -> None:
    from distributed import Client, LocalCluster
    from typer.testing import CliRunner

    from kg.cli.main import app, load_plugins

    if not any(c.name == "ingest" for c in app.registered_commands):
        load_plugins(app)

    graph.run("MATCH (n) DETACH DELETE n")
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        extractor = parallel_extractor(cluster=cluster.scheduler_address, chunk_size=3)
        report = ingest_paths(graph, inputs, extract_with=extractor)
        with Client(cluster) as client:  # both workers took part: each has loaded the spaCy pipelines
            assert len(client.scheduler_info()["workers"]) == 2
            loaded = client.run(lambda: "ingest.nlp" in __import__("sys").modules)
            assert list(loaded.values()) == [True, True]
        assert report.articles_read == 13 and not report.refused
        assert_same_graph(snapshot(graph), single_process_graph)
        # Idempotent: a second distributed run, from the command line, changes nothing.
        result = CliRunner().invoke(app, ["ingest", "--no-progress", "--cluster", cluster.scheduler_address,
                                          *map(str, inputs)])
    assert result.exit_code == 0, result.output
    assert re.search(r"articles unchanged\W+13\b", result.output), result.output
    assert re.search(r"articles written\W+0\b", result.output), result.output
    assert_same_graph(snapshot(graph), single_process_graph)


def test_bad_options_are_refused_with_a_clear_message() -> None:
    with pytest.raises(ConfigurationError, match="--workers must be 1 or more"):
        parallel_extractor(workers=0)
    with pytest.raises(ConfigurationError, match="No Dask scheduler answers at tcp://127.0.0.1:9"):
        list(parallel_extractor(cluster="tcp://127.0.0.1:9", cluster_timeout=3)([]))
