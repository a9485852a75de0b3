"""Who can get in, and what leaks: Neo4j on loopback with auth, no default password in the repository, secrets
never in logs or outputs, hostile XML (external entities, entity bombs) in inputs, no cross-origin reads."""

from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from neo4j import GraphDatabase
from neo4j.exceptions import AuthError, ClientError

from api.app import create_app
from api.settings import ApiSettings
from kg.neo4j_local import LocalNeo4j
from kg.neo4j_local.server import free_port
from kg.settings import LocalNeo4jSettings, Neo4jSettings
from kg.store import connect

ROOT = Path(__file__).resolve().parents[1]
API_KEY = "sekret-api-key-5f1e2d3c4b5a"


# ------------------------------------------------------------------------------------------------ Neo4j
@pytest.fixture(scope="module")
def local_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalNeo4j]:
    home = tmp_path_factory.mktemp("security-neo4j")
    server = LocalNeo4j(LocalNeo4jSettings(home=home, bolt_port=free_port(), http_port=free_port(), heap="512m",
                                           pagecache="64m"))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def listening_sockets(port: int) -> list[str]:
    """Local addresses (hex, as /proc/net/tcp{,6} writes them) of sockets listening on `port`."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            address, state = fields[1], fields[3]
            host, hex_port = address.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A = LISTEN
                found.append(host)
    return found


# 127.0.0.1, ::1 and ::ffff:127.0.0.1 as the kernel prints them
LOOPBACK = {"0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F"}


def test_local_neo4j_listens_on_loopback_only_with_auth(local_server: LocalNeo4j) -> None:
    settings = local_server.settings
    for port in (settings.bolt_port, settings.http_port):
        deadline = time.monotonic() + 90  # Bolt answers first; the HTTP connector may come up a little later
        while not (hosts := listening_sockets(port)) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert hosts, f"nothing listens on {port}"
        assert set(hosts) <= LOOPBACK, f"port {port} listens on {hosts}, not only on loopback"
    user, password = local_server.credentials()
    for wrong in (("neo4j", "neo4j"), ("neo4j", "password"), (user, password + "x"), (user, ""), None):
        # refused: a wrong password is an AuthError; after a few in a row Neo4j also rate-limits the user
        with pytest.raises((AuthError, ClientError)) as refused, \
                GraphDatabase.driver(local_server.bolt_uri, auth=wrong) as driver:
            driver.verify_connectivity()
        assert isinstance(refused.value, AuthError) or "Security" in (refused.value.code or ""), refused.value
    deadline = time.monotonic() + 30  # the rate limit lifts after a few seconds
    while True:
        try:
            with GraphDatabase.driver(local_server.bolt_uri, auth=(user, password)) as driver:
                driver.verify_connectivity()
            break
        except ClientError as exc:
            if "AuthenticationRateLimit" not in (exc.code or "") or time.monotonic() > deadline:
                raise
            time.sleep(1)
    with GraphDatabase.driver(local_server.bolt_uri, auth=(user, password)) as driver:
        records, _, _ = driver.execute_query("SHOW PROCEDURES YIELD name WHERE name STARTS WITH 'apoc' "
                                             "RETURN count(*) AS n")
        assert records[0]["n"] == 0, "APOC must not be installed on the server the API serves"
        records, _, _ = driver.execute_query("SHOW SETTINGS YIELD name, value WHERE name IN "
                                             "['dbms.security.auth_enabled', 'dbms.security.procedures.unrestricted',"
                                             " 'server.default_listen_address'] RETURN name, value")
        values = {r["name"]: r["value"] for r in records}
    assert values == {"dbms.security.auth_enabled": "true", "dbms.security.procedures.unrestricted": "",
                      "server.default_listen_address": "127.0.0.1"}


def test_neo4j_password_is_not_in_its_logs_or_config(local_server: LocalNeo4j) -> None:
    _, password = local_server.credentials()
    with GraphDatabase.driver(local_server.bolt_uri, auth=("neo4j", password)) as driver:
        driver.execute_query("RETURN 1")
    for folder in (local_server.logs_dir, local_server.conf_dir):
        for path in folder.rglob("*"):
            if path.is_file():
                assert password not in path.read_text(errors="replace"), f"the password is written in {path}"


# ------------------------------------------------------------------------------------------------ the repository
def repository_files() -> list[Path]:
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    skipped = ("api/static/vendor/", "api/explorer/", ".hypothesis/")
    return [ROOT / name for name in listed if not name.startswith(skipped) and (ROOT / name).is_file()]


WEAK = r"(neo4j|password|admin|secret|changeme|change-me[\w-]*|letmein|12345678|test)"
DEFAULT_CREDENTIALS = [
    re.compile(r"NEO4J_AUTH\s*[:=]\s*[\"']?neo4j/(?!\$\{)"),  # a literal password in NEO4J_AUTH
    re.compile(r"(?i)(password|passwd|api_?key|secret)\w*\s*[:=]\s*[\"']" + WEAK + r"[\"']"),  # a quoted weak value
    re.compile(r"(?i)auth\s*=\s*\(\s*[\"']neo4j[\"']\s*,\s*[\"']" + WEAK + r"[\"']\s*\)"),
]
CODE_ONLY = [re.compile(r"neo4j/neo4j\b")]  # fine in prose that warns against it, not in code or config
ENV_SECRET = re.compile(r"(?m)^\s*(export\s+)?[A-Z_]*(PASSWORD|API_KEY|SECRET|TOKEN)[A-Z_]*=(?P<value>[^\s#$]\S*)")


def test_no_default_password_anywhere_in_the_repository() -> None:
    files = repository_files()
    assert len(files) > 50, "the scan found too few files to mean anything"
    offenders = []
    for path in files:
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith("tests/"):
            continue  # tests name wrong and default passwords on purpose, to check that they are refused
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        patterns = DEFAULT_CREDENTIALS + ([] if relative.endswith(".md") else CODE_ONLY)
        if relative.endswith((".env", ".example", ".sh", "Makefile", ".yaml", ".yml", ".toml", ".cfg", ".ini")):
            patterns = patterns + [ENV_SECRET]  # a value for a secret in a config or script is a default
        for pattern in patterns:
            for match in pattern.finditer(text):
                line = text.count("\n", 0, match.start()) + 1
                offenders.append(f"{relative}:{line}: {match.group(0)}")
    assert offenders == [], "default credentials in the repository:\n" + "\n".join(offenders)


def test_example_env_file_holds_no_usable_secret() -> None:
    """docker/env.example is copied to .env: a placeholder there would start Neo4j with a published password."""
    example = ROOT / "docker" / "env.example"
    compose = (ROOT / "docker" / "compose.yaml").read_text()
    values = dict(line.split("=", 1) for line in example.read_text().splitlines()
                  if line.strip() and not line.startswith("#"))
    assert values.get("NEO4J_PASSWORD", "") == "", "NEO4J_PASSWORD must be empty in env.example"
    assert values.get("KG_API_KEY", "") == "", "KG_API_KEY must be empty in env.example"
    assert "${NEO4J_PASSWORD:?" in compose, "compose must refuse to start without a password"


def test_settings_have_no_default_secret_and_hide_them(monkeypatch: pytest.MonkeyPatch) -> None:
    for key in ("NEO4J_URI", "NEO4J_PASSWORD", "KG_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    assert Neo4jSettings().password is None
    assert ApiSettings().api_key() is None
    secret = "repr-secret-0a1b2c3d"
    assert secret not in repr(Neo4jSettings(uri="bolt://127.0.0.1:1", password=secret))
    assert secret not in str(Neo4jSettings(uri="bolt://127.0.0.1:1", password=secret))
    assert secret not in repr(ApiSettings(key=secret)) and secret not in str(ApiSettings(key=secret))


# ------------------------------------------------------------------------------------------------ secrets in outputs
def run_kg(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", "-v", *args], cwd=ROOT, env={**os.environ, **env},
                          capture_output=True, text=True, timeout=600)


@pytest.mark.usefixtures("graph")
def test_commands_never_print_the_password(neo4j_target, tmp_path: Path) -> None:
    env = neo4j_target.env()
    article = tmp_path / "a.txt"
    article.write_text("Microsoft acquired GitHub in June 2018.\n", encoding="utf-8")
    outputs = []
    for args in (("stats",), ("ingest", "--no-progress", str(article)), ("neo4j", "status")):
        done = run_kg(env, *args)
        outputs.append((args, done.stdout + done.stderr))
    wrong = "wrong-but-known-secret-77"
    for args in (("stats",), ("ingest", "--no-progress", str(article))):
        done = run_kg({**env, "NEO4J_PASSWORD": wrong}, *args)
        assert done.returncode != 0
        outputs.append((args, done.stdout + done.stderr))
        assert "refused" in done.stderr, done.stderr
    for args, text in outputs:
        assert neo4j_target.password not in text, f"kg {' '.join(args)} printed the password"
        assert wrong not in text, f"kg {' '.join(args)} printed the (wrong) password it was given"


@pytest.mark.usefixtures("graph")
def test_driver_and_api_logs_never_hold_secrets(neo4j_target, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    for name in ("neo4j", "api", "kg", "ingest", "uvicorn", "fastapi", "httpx"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    bodies = []
    try:
        with connect(neo4j_target.settings()) as conn:
            conn.run("RETURN 1")
        app = create_app(ApiSettings(key=API_KEY, read_access="key"),
                         connection_factory=lambda: connect(neo4j_target.settings()))
        with TestClient(app, raise_server_exceptions=False) as client:
            for method, path, kwargs in (
                    ("GET", "/health", {}), ("GET", "/openapi.json", {}), ("GET", "/docs", {}),
                    ("GET", "/v1/stats", {"headers": {"X-API-Key": API_KEY}}),
                    ("GET", "/v1/stats", {"headers": {"X-API-Key": API_KEY[:-2] + "zz"}}),
                    ("GET", "/v1/stats", {}),
                    ("POST", "/v1/cypher", {"headers": {"X-API-Key": API_KEY}, "json": {"query": "CREATE (n)"}}),
                    ("POST", "/v1/cypher", {"headers": {"X-API-Key": API_KEY},
                                            "json": {"query": "CALL dbms.showCurrentUser()"}}),
                    ("POST", "/v1/articles", {"headers": {"X-API-Key": "nope"}, "json": {"id": "x", "text": "y"}}),
                    ("GET", "/v1/entities/nope", {"headers": {"X-API-Key": API_KEY}})):
                response = client.request(method, path, **kwargs)
                assert response.status_code < 500, (path, response.text[:200])
                bodies.append(response.text + repr(dict(response.headers)))
    finally:
        for name in ("neo4j", "api", "kg", "ingest", "uvicorn", "fastapi", "httpx"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records)
    assert len(caplog.records) > 10, "the driver's debug log should have been captured"
    for secret in (neo4j_target.password, API_KEY):
        assert secret not in logged, "a secret is in the log"
        assert all(secret not in body for body in bodies), "a secret is in a response"


@pytest.mark.usefixtures("graph")
def test_api_sends_no_cross_origin_permission_by_default(neo4j_target) -> None:
    app = create_app(ApiSettings(key=API_KEY), connection_factory=lambda: connect(neo4j_target.settings()))
    with TestClient(app) as client:
        response = client.get("/v1/stats", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in response.headers
        preflight = client.options("/v1/articles", headers={"Origin": "https://evil.example",
                                                            "Access-Control-Request-Method": "POST"})
        assert "access-control-allow-origin" not in preflight.headers


# ------------------------------------------------------------------------------------------------ hostile XML
def _read(path: Path):
    from ingest.loaders import read_inputs

    started = time.monotonic()
    items = list(read_inputs([path]))
    return items, time.monotonic() - started


def test_feeds_and_pages_do_not_resolve_external_entities(tmp_path: Path) -> None:
    secret_file = tmp_path / "secret.txt"
    secret_file.write_text("TOP-SECRET-LOCAL-FILE-CONTENT", encoding="utf-8")
    uri = secret_file.as_uri()
    feed = tmp_path / "xxe.rss"
    feed.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "{uri}">]>
<rss version="2.0"><channel><title>t</title>
<item><title>Leak &xxe;</title><link>https://example.org/a</link>
<description>Microsoft acquired GitHub. &xxe;</description></item></channel></rss>""", encoding="utf-8")
    page = tmp_path / "xxe.html"
    page.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE html [<!ENTITY xxe SYSTEM "{uri}">]>
<html><body><article><p>Microsoft acquired GitHub in June 2018. &xxe; The deal was large and it was
reported widely by the press in many countries.</p></article></body></html>""", encoding="utf-8")
    for path in (feed, page):
        items, _ = _read(path)
        assert items, path
        for item in items:
            text = " ".join(str(v) for v in vars(item).values())
            assert "TOP-SECRET" not in text, f"{path.name} read a local file through an external entity"


def test_entity_expansion_bombs_are_refused_or_read_quickly(tmp_path: Path) -> None:
    levels = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    bomb = f"""<?xml version="1.0"?><!DOCTYPE rss [{levels}]>
<rss version="2.0"><channel><item><title>bomb</title><description>&l9;</description></item></channel></rss>"""
    path = tmp_path / "bomb.rss"
    path.write_text(bomb, encoding="utf-8")
    items, elapsed = _read(path)
    assert elapsed < 20, f"an entity bomb took {elapsed:.1f} s"
    for item in items:
        assert len(str(getattr(item, "text", ""))) < 1_000_000, "an entity bomb was expanded"
