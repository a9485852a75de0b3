"""The OpenAPI document explains the API to a new user: every schema and property described, the closed
vocabularies as enums (generated from the ontology), and a client generated from it (openapi-python-client) gets
enum types rather than strings. The document is built without a server (no connection before the lifespan)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.settings import ApiSettings
from kg.vocabulary import vocabulary


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    return create_app(ApiSettings()).openapi()


def test_every_schema_and_property_is_described(document: dict[str, Any]) -> None:
    missing = []
    for name, schema in document["components"]["schemas"].items():
        if name in ("HTTPValidationError", "ValidationError"):  # FastAPI's own, replaced by Problem in answers
            continue
        if not schema.get("description") and "enum" not in schema:
            missing.append(name)
        for prop, spec in schema.get("properties", {}).items():
            if not spec.get("description"):
                missing.append(f"{name}.{prop}")
    assert missing == [], f"describe these in the OpenAPI document: {missing}"


def test_every_parameter_is_described(document: dict[str, Any]) -> None:
    missing = [f"{method.upper()} {path} {p['name']}"
               for path, methods in document["paths"].items() for method, op in methods.items()
               for p in op.get("parameters", []) if not p.get("description")]
    assert missing == [], missing


def test_closed_vocabularies_are_enums(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    vocab = vocabulary()
    assert set(schemas["Predicate"]["enum"]) == set(vocab.predicates)
    assert set(schemas["EntityType"]["enum"]) == set(vocab.entity_types)
    assert set(schemas["ModalityValue"]["enum"]) == vocab.allowed_values("modality")
    assert set(schemas["DealStatusValue"]["enum"]) == vocab.allowed_values("status")
    fact = schemas["FactOut"]["properties"]
    assert fact["predicate"]["$ref"].endswith("/Predicate")
    assert any(ref.get("$ref", "").endswith("/DealStatusValue")
               for ref in schemas["Qualifiers"]["properties"]["status"]["anyOf"])
    timeline = document["paths"]["/v1/entities/{entity_id}/timeline"]["get"]
    predicates = next(p for p in timeline["parameters"] if p["name"] == "predicates")
    assert predicates["schema"]["anyOf"][0]["type"] == "array"
    assert predicates["schema"]["anyOf"][0]["items"]["$ref"].endswith("/Predicate")


def test_score_is_only_on_search_results(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    with_score = sorted(name for name, schema in schemas.items() if "score" in schema.get("properties", {}))
    assert with_score == ["EntityHit", "MergedOut"]  # MergedOut: a merge's similarity (issue 15), not relevance
    assert "score" in schemas["EntityHit"]["required"]


def test_a_generated_client_gets_enum_types(document: dict[str, Any], tmp_path: Path) -> None:
    import json

    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document), encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "openapi_python_client", "generate", "--path", str(spec),
                          "--output-path", str(tmp_path / "client"), "--meta", "none"],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    package = tmp_path / "client"
    sys.path.insert(0, str(tmp_path))
    try:
        import importlib

        predicate = importlib.import_module("client.models.predicate").Predicate
        fact = importlib.import_module("client.models.fact_out")
        qualifiers = importlib.import_module("client.models.qualifiers")
        assert {m.value for m in predicate} == set(vocabulary().predicates)
        assert "predicate: Predicate" in Path(fact.__file__).read_text(encoding="utf-8")
        assert "DealStatusValue" in Path(qualifiers.__file__).read_text(encoding="utf-8")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "client" or m.startswith("client.")]:
            del sys.modules[name]
    assert (package / "models" / "entity_type.py").exists()
