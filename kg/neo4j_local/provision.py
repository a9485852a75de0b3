"""Download the Neo4j Community runtime once, with Maven, into a versioned cache directory."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from importlib import resources
from pathlib import Path

from kg.errors import Neo4jProvisioningError

MIN_JAVA = 17


def java_major_version(java: str = "java") -> int:
    path = shutil.which(java)
    if path is None:
        raise Neo4jProvisioningError(
            "Java was not found: install a Java 17 or 21 runtime (Debian: `apt-get install openjdk-17-jre-headless`) "
            "or set NEO4J_URI to use an existing Neo4j."
        )
    out = subprocess.run([path, "-version"], capture_output=True, text=True, check=False)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if not match:
        raise Neo4jProvisioningError(f"Could not read the Java version from `{path} -version`; check the Java install.")
    major = int(match.group(1))
    return int(match.group(2)) if major == 1 and match.group(2) else major


def check_java() -> int:
    major = java_major_version()
    if major < MIN_JAVA:
        raise Neo4jProvisioningError(
            f"Neo4j 5 needs Java {MIN_JAVA} or newer, found Java {major}: install Java 17 or 21 and put it first "
            "on PATH."
        )
    return major


def runtime_dir(cache_dir: Path, version: str) -> Path:
    return cache_dir / f"neo4j-community-{version}"


def is_provisioned(cache_dir: Path, version: str) -> bool:
    return (runtime_dir(cache_dir, version) / "lib" / f"neo4j-{version}.jar").is_file()


def provision_runtime(cache_dir: Path, version: str, browser_version: str, quiet: bool = True) -> Path:
    """Return the runtime directory (with `lib/`), resolving it with Maven on first use."""
    target = runtime_dir(cache_dir, version)
    if is_provisioned(cache_dir, version):
        return target
    check_java()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jProvisioningError(
            "Maven (`mvn`) was not found; it downloads Neo4j from Maven Central on first start. "
            "Install it (Debian: `apt-get install maven`) or set NEO4J_URI to use an existing Neo4j."
        )
    cache_dir.mkdir(parents=True, exist_ok=True)
    pom = resources.files("kg.neo4j_local").joinpath("runtime-pom.xml").read_text(encoding="utf-8")
    pom = pom.replace("@NEO4J_VERSION@", version).replace("@BROWSER_VERSION@", browser_version)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".provision-") as tmp:
        work = Path(tmp)
        (work / "pom.xml").write_text(pom, encoding="utf-8")
        cmd = [mvn, "-B", "-f", str(work / "pom.xml"), "dependency:copy-dependencies",
               f"-DoutputDirectory={work / 'runtime' / 'lib'}", "-DincludeScope=runtime"]
        if quiet:
            cmd.insert(1, "-q")
        proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if proc.returncode != 0:
            tail = "\n".join((proc.stdout + proc.stderr).strip().splitlines()[-15:])
            raise Neo4jProvisioningError(
                f"Maven could not download Neo4j {version} (exit {proc.returncode}); check access to Maven Central "
                f"and the disk space under {cache_dir}.\n{tail}"
            )
        (work / "runtime" / "VERSION").write_text(version + "\n", encoding="utf-8")
        if target.exists():  # a concurrent provisioning won the race
            return target
        (work / "runtime").rename(target)
    return target
