"""`kg demo --no-serve` and `kg serve` as a person runs them, against the test Neo4j (NEO4J_URI)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kg.neo4j_local.server import free_port

ROOT = Path(__file__).resolve().parents[1]
KG = str(Path(sys.executable).with_name("kg"))


def test_demo_ingests_the_examples_and_serve_answers(graph, neo4j_env):
    env = {**os.environ, **neo4j_env}
    demo = subprocess.run([KG, "demo", "--no-serve"], env=env, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert demo.returncode == 0, demo.stderr
    assert graph.run("MATCH (a:Article) RETURN count(a) AS n")[0]["n"] >= 1

    port = free_port()
    serve = subprocess.Popen([KG, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(base + "/health", timeout=10).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline and serve.poll() is None, "kg serve did not answer within 120 s"
            time.sleep(0.2)
        client = httpx.Client(base_url=base, timeout=60)
        musk = client.get("/entities", params={"q": "musk"}).json()["items"]
        assert musk and musk[0]["name"] == "Elon Musk"
        timeline = client.get(f"/v1/entities/{musk[0]['id']}/timeline").json()
        assert timeline["items"] and all(i["fact"]["evidence"] for i in timeline["items"])
        # the README's snippets
        deepmind = client.get("/v1/entities/organization:deepmind/timeline",
                              params={"from": "2023", "predicates": "HIRED_FROM,JOINED,LEFT"})
        assert deepmind.status_code == 200 and {i["fact"]["predicate"] for i in deepmind.json()["items"]} <= {
            "HIRED_FROM", "JOINED", "LEFT"}
        cypher = client.post("/v1/cypher", json={
            "query": "MATCH (p:Person)-[r:HIRED_FROM]->(o:Organization {name: $org}) "
                     "RETURN p.name AS person, r.role AS role, r.date AS date ORDER BY person",
            "parameters": {"org": "DeepMind"}})
        assert cypher.status_code == 200 and cypher.json()["columns"] == ["person", "role", "date"]
        assert ["Igor Babuschkin"] in [row[:1] for row in cypher.json()["rows"]]
        assert client.get("/explore").headers["content-type"].startswith("text/html")
    finally:
        serve.terminate()
        output = serve.communicate(timeout=30)[0]
    assert "explorer /explore" in output
