"""Start, stop and inspect a local Neo4j Community server that keeps its data in one home directory.

Layout of the home directory:
    conf/neo4j.conf        written from our settings at every start
    data/ logs/ run/       Neo4j's own directories (data persists across stop/start)
    credentials.json       user and generated password, readable by the owner only
    run/kg-server.json     pid, ports and version of the running server
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kg.errors import Neo4jAuthError, Neo4jStartError
from kg.neo4j_local.provision import check_java, provision_runtime
from kg.settings import LocalNeo4jSettings

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
ADMIN_TOOL = "org.neo4j.cli.AdminTool"
JVM_FLAGS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dfile.encoding=UTF-8",
    "-Dlog4j2.disable.jmx=true",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
]


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    home: str
    data_dir: str
    version: str
    pid: int | None = None
    bolt_uri: str | None = None
    http_uri: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: trust the signal
    if stat.split(") ", 1)[-1].startswith("Z"):
        return False  # a zombie has already exited
    return not cmdline or ENTRY_POINT.encode() in cmdline  # empty while the process is still exec-ing


class LocalNeo4j:
    """One Neo4j server whose data lives under `settings.home`."""

    def __init__(self, settings: LocalNeo4jSettings | None = None, extra_config: Sequence[str] = ()) -> None:
        """`extra_config`: more `name=value` lines for neo4j.conf, after ours (a benchmark's server settings:
        benchmarks/server_ab.py)."""
        self.settings = settings or LocalNeo4jSettings()
        self.home = Path(self.settings.home).expanduser().resolve()
        self.extra_config = list(extra_config)

    # ------------------------------------------------------------------ paths
    @property
    def conf_dir(self) -> Path:
        return self.home / "conf"

    @property
    def data_dir(self) -> Path:
        return self.home / "data"

    @property
    def logs_dir(self) -> Path:
        return self.home / "logs"

    @property
    def run_dir(self) -> Path:
        return self.home / "run"

    @property
    def credentials_file(self) -> Path:
        return self.home / "credentials.json"

    @property
    def state_file(self) -> Path:
        return self.run_dir / "kg-server.json"

    @property
    def bolt_uri(self) -> str:
        return f"bolt://127.0.0.1:{self._state().get('bolt_port', self.settings.bolt_port)}"

    # ------------------------------------------------------------ credentials
    def credentials(self) -> tuple[str, str]:
        """(user, password) of this server; created with a random password on first use."""
        if self.credentials_file.exists():
            data = json.loads(self.credentials_file.read_text(encoding="utf-8"))
            return data["user"], data["password"]
        self.home.mkdir(parents=True, exist_ok=True)
        # hex, not url-safe base64: a password starting with "-" is read as an option by neo4j-admin
        password = secrets.token_hex(24)
        fd = os.open(self.credentials_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump({"user": "neo4j", "password": password}, fh)
        return "neo4j", password

    # ----------------------------------------------------------------- config
    def _write_config(self) -> None:
        s = self.settings
        for d in (self.conf_dir, self.data_dir, self.logs_dir, self.run_dir, self.home / "plugins",
                  self.home / "import"):
            d.mkdir(parents=True, exist_ok=True)
        lines = [
            "# Written by `kg neo4j start` at every start; edit the KG_NEO4J_* settings instead.",
            "server.default_listen_address=127.0.0.1",
            "server.default_advertised_address=127.0.0.1",
            f"server.bolt.listen_address=127.0.0.1:{s.bolt_port}",
            f"server.bolt.advertised_address=127.0.0.1:{s.bolt_port}",
            f"server.http.listen_address=127.0.0.1:{s.http_port}",
            f"server.http.advertised_address=127.0.0.1:{s.http_port}",
            "server.https.enabled=false",
            "server.bolt.tls_level=DISABLED",
            f"server.directories.data={self.data_dir}",
            f"server.directories.logs={self.logs_dir}",
            f"server.directories.run={self.run_dir}",
            f"server.directories.plugins={self.home / 'plugins'}",
            f"server.directories.import={self.home / 'import'}",
            f"server.memory.heap.initial_size={s.heap}",
            f"server.memory.heap.max_size={s.heap}",
            f"server.memory.pagecache.size={s.pagecache}",
            "dbms.security.auth_enabled=true",
            "dbms.security.procedures.unrestricted=",
            "dbms.usage_report.enabled=false",
            # Limits for every transaction, the API's Cypher endpoint included (docs/security.md, "Neo4j server"):
            # no transaction runs longer than 5 minutes (the API asks 10 s for users' queries) or holds more than
            # `transaction_max_memory` of heap, so one query cannot take the memory every other one needs.
            "db.transaction.timeout=5m",
            f"db.memory.transaction.max={s.transaction_max_memory}",
            # The driver stops waiting after keep_alive x probes without a message: 30 s instead of 2 minutes when
            # the server fails to send a result (it overflows its stack serialising a value nested ~5,000 deep).
            # Long queries are not cut: the server sends keep-alive messages while a request runs.
            "server.bolt.connection_keep_alive=15s",
            "server.bolt.connection_keep_alive_probes=2",
            "server.bolt.connection_keep_alive_for_requests=ALL",
            # Users' query parameters (which may hold tokens) stay out of the query log.
            "db.logs.query.parameter_logging_enabled=false",
            *self.extra_config,
        ]
        (self.conf_dir / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")

    def _env(self) -> dict[str, str]:
        return {**os.environ, "NEO4J_HOME": str(self.home), "NEO4J_CONF": str(self.conf_dir)}

    def _classpath(self, runtime: Path) -> str:
        return str(runtime / "lib" / "*")

    def _set_initial_password(self, runtime: Path) -> None:
        if (self.data_dir / "dbms" / "auth.ini").exists() or (self.data_dir / "databases" / "system").exists():
            return
        _, password = self.credentials()
        proc = subprocess.run(
            ["java", "-cp", self._classpath(runtime), ADMIN_TOOL, "dbms", "set-initial-password", password],
            env=self._env(), capture_output=True, text=True, check=False,
        )
        if proc.returncode != 0:
            detail = proc.stderr.strip() or proc.stdout.strip()
            raise Neo4jStartError(f"Could not set the initial Neo4j password: {detail}")

    # ------------------------------------------------------------------ state
    def _state(self) -> dict[str, Any]:
        try:
            state: dict[str, Any] = json.loads(self.state_file.read_text(encoding="utf-8"))
            return state
        except (OSError, ValueError):
            return {}

    def running_pid(self) -> int | None:
        pid = self._state().get("pid")
        if pid and _pid_alive(int(pid)):
            return int(pid)
        return None

    def status(self) -> ServerStatus:
        state = self._state()
        pid = self.running_pid()
        return ServerStatus(
            running=pid is not None,
            home=str(self.home),
            data_dir=str(self.data_dir),
            version=state.get("version", self.settings.version),
            pid=pid,
            bolt_uri=f"bolt://127.0.0.1:{state['bolt_port']}" if pid and "bolt_port" in state else None,
            http_uri=f"http://127.0.0.1:{state['http_port']}" if pid and "http_port" in state else None,
        )

    # -------------------------------------------------------------- lifecycle
    def provision(self) -> Path:
        s = self.settings
        return provision_runtime(Path(s.cache_dir).expanduser(), s.version, s.browser_version)

    def start(self) -> ServerStatus:
        """Start the server (provisioning it on first use) and return once Bolt answers."""
        running = self.running_pid()
        if running is not None:
            self.wait_for_bolt(running, time.monotonic() + self.settings.start_timeout)
            return self.status()
        s = self.settings
        for name, port in (("Bolt", s.bolt_port), ("HTTP", s.http_port)):
            if port_in_use(port):
                raise Neo4jStartError(
                    f"Port {port} on 127.0.0.1 ({name}) is already in use by another program: stop it, or choose "
                    "other ports with KG_NEO4J_BOLT_PORT and KG_NEO4J_HTTP_PORT."
                )
        check_java()
        runtime = self.provision()
        self._write_config()
        self.credentials()
        self._set_initial_password(runtime)
        console = open(self.logs_dir / "console.log", "ab")  # noqa: SIM115 - handed to the child
        cmd = ["java", f"-Xms{s.heap}", f"-Xmx{s.heap}", *JVM_FLAGS, "-cp", self._classpath(runtime), ENTRY_POINT,
               f"--home-dir={self.home}", f"--config-dir={self.conf_dir}"]
        proc = subprocess.Popen(cmd, env=self._env(), stdout=console, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True, cwd=self.home)
        console.close()
        self.state_file.write_text(json.dumps({
            "pid": proc.pid, "bolt_port": s.bolt_port, "http_port": s.http_port, "version": s.version,
            "started_at": time.time(),
        }), encoding="utf-8")
        self._child = proc  # reaped on stop when we started it in this process
        try:
            self.wait_for_bolt(proc.pid, time.monotonic() + s.start_timeout)
        except BaseException:
            # never leave a half-started server behind
            if proc.poll() is None:
                proc.kill()
                proc.wait(timeout=30)
            self.state_file.unlink(missing_ok=True)
            raise
        return self.status()

    def wait_for_bolt(self, pid: int, deadline: float) -> None:
        from neo4j import GraphDatabase
        from neo4j.exceptions import AuthError, ServiceUnavailable

        user, password = self.credentials()
        uri = self.bolt_uri
        while True:
            child = getattr(self, "_child", None)
            if (child.poll() is not None) if child is not None else not _pid_alive(pid):
                raise Neo4jStartError(
                    f"Neo4j exited during start-up; read {self.logs_dir / 'neo4j.log'} and "
                    f"{self.logs_dir / 'console.log'}. Last lines:\n{self._log_tail()}"
                )
            try:
                with GraphDatabase.driver(uri, auth=(user, password), connection_timeout=2) as driver:
                    driver.verify_connectivity()
                return
            except AuthError as exc:
                raise Neo4jAuthError(
                    f"Neo4j at {uri} refused the password in {self.credentials_file}; if you changed it, put the new "
                    "one there, or remove the home directory to start over (this deletes the data)."
                ) from exc
            except (ServiceUnavailable, OSError, Exception):  # noqa: BLE001 - still starting
                if time.monotonic() > deadline:
                    raise Neo4jStartError(
                        f"Neo4j did not answer on {uri} within {self.settings.start_timeout:.0f} s; read "
                        f"{self.logs_dir / 'neo4j.log'}. Last lines:\n{self._log_tail()}"
                    ) from None
                time.sleep(0.5)

    def stop(self, timeout: float = 120.0) -> bool:
        """Stop gracefully (SIGTERM lets Neo4j checkpoint and close its stores). Returns whether one was running."""
        pid = self.running_pid()
        if pid is None:
            self.state_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        child = getattr(self, "_child", None)
        while time.monotonic() < deadline:
            if child is not None and child.poll() is not None:
                break
            if not _pid_alive(pid):
                break
            time.sleep(0.3)
        else:
            os.kill(pid, signal.SIGKILL)
            raise Neo4jStartError(
                f"Neo4j (pid {pid}) did not stop within {timeout:.0f} s and was killed; it will recover its "
                "transaction log at the next start."
            )
        self.state_file.unlink(missing_ok=True)
        return True

    def _log_tail(self, lines: int = 12) -> str:
        chunks = []
        for name in ("neo4j.log", "console.log"):
            path = self.logs_dir / name
            if path.exists():
                chunks.extend(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        return "\n".join(chunks[-lines:])
