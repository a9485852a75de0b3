"""`kg ingest` on the BBC corpus: peak memory, time and growth with corpus size; 1 vs 2 extraction workers.

    python -m benchmarks.ingest_scale [--shares 10,30,100] [--workers-share 30] [--resolution on|off|both]

For each share of the 2,225 BBC articles (every n-th file, so each share mixes the five sections) the graph of a
throwaway Neo4j is emptied and `/usr/bin/time -v kg ingest --no-progress <files>` runs in its own process; peak RSS
("Maximum resident set size") and wall time come from /usr/bin/time. Then the `--workers-share` subset is ingested
again into an empty graph with `--workers 1` and `--workers 2` (the speed-up of parallel extraction; with workers,
/usr/bin/time reports the largest single process, not the sum). `--resolution both` ingests each share twice, with
cross-article entity resolution off (`KG_RESOLUTION=off`) then on, each into an emptied graph, side by side."""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from benchmarks.common import BBC, ROOT, git_commit, header
from benchmarks.neo4j_server import throwaway_neo4j

KG = str(Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "kg")


def bbc_files() -> list[Path]:
    return sorted(p for p in BBC.rglob("*.txt") if p.name != "README.TXT")


def subset(files: list[Path], share: int, into: Path) -> Path:
    """Every n-th file (a copy, outside the repository), so that the share mixes every section."""
    into.mkdir(parents=True)
    step = 100 / share
    chosen = [files[int(i * step)] for i in range(int(len(files) * share / 100))]
    for path in chosen:
        target = into / path.parent.name
        target.mkdir(exist_ok=True)
        shutil.copy(path, target / path.name)
    return into


def timed_ingest(folder: Path, env: dict[str, str], extra: list[str]) -> dict:
    proc = subprocess.run(["/usr/bin/time", "-v", KG, "ingest", "--no-progress", *extra, str(folder)], env=env,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"kg ingest failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    rss_kb = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr).group(1))
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", proc.stderr).group(1)
    seconds = 0.0
    for part in wall.split(":"):
        seconds = seconds * 60 + float(part)
    articles = int(re.search(r"articles read\s*│?\s*(\d+)", proc.stdout).group(1)) if "articles read" in proc.stdout \
        else None
    facts = re.search(r"facts written\s*│?\s*(\d+)", proc.stdout)
    cpu = sum(float(re.search(rf"{kind} time \(seconds\): ([\d.]+)", proc.stderr).group(1))
              for kind in ("User", "System"))
    return {"rss_mb": rss_kb / 1024, "seconds": seconds, "cpu_seconds": cpu, "articles": articles,
            "facts": int(facts.group(1)) if facts else None}


def resolution_settings(choice: str) -> list[str]:
    """The KG_RESOLUTION values to run each share with ("both": off then on)."""
    return ["off", "on"] if choice == "both" else [choice]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shares", default="10,30,100", help="percentages of the corpus")
    parser.add_argument("--workers-share", type=int, default=30, help="share for the 1 vs 2 workers run (0: skip)")
    parser.add_argument("--resolution", choices=("on", "off", "both"), default="on",
                        help="cross-article entity resolution (KG_RESOLUTION) for the shares; both: off, then on")
    args = parser.parse_args()
    files = bbc_files()
    scratch = Path(tempfile.mkdtemp(prefix="kg-bench-bbc-"))
    rows, worker_rows = [], []
    try:
        with throwaway_neo4j() as (_, settings, conn):
            env = {**os.environ, "NEO4J_URI": settings.uri, "NEO4J_USER": settings.user,
                   "NEO4J_PASSWORD": settings.password}
            for share in [int(s) for s in args.shares.split(",")]:
                folder = subset(files, share, scratch / f"share-{share}")
                for resolution in resolution_settings(args.resolution):
                    conn.run("MATCH (n) DETACH DELETE n")
                    result = timed_ingest(folder, {**env, "KG_RESOLUTION": resolution}, [])
                    rows.append((share, resolution, result))
                    print(f"{share} % (resolution {resolution}): {result}", flush=True)
            if args.workers_share:
                folder = scratch / f"share-{args.workers_share}"
                if not folder.exists():
                    subset(files, args.workers_share, folder)
                for workers in (1, 2):
                    conn.run("MATCH (n) DETACH DELETE n")
                    result = timed_ingest(folder, env, ["--workers", str(workers)])
                    worker_rows.append((workers, result))
                    print(f"--workers {workers}: {result}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)

    print()
    print(header(f"kg ingest on BBC: memory, time, growth (commit {git_commit()})"))
    print("| share | resolution | articles | facts written | wall s | articles/s | CPU s (kg process) | peak RSS MB |"
          " s per 100 articles |")
    print("|---|---|---|---|---|---|---|---|---|")
    for share, resolution, r in rows:
        n = r["articles"] or 0
        print(f"| {share} % | {resolution} | {n} | {r['facts']} | {r['seconds']:.1f} | {n / r['seconds']:.2f} | "
              f"{r['cpu_seconds']:.1f} | {r['rss_mb']:.0f} | {100 * r['seconds'] / max(n, 1):.1f} |")
    if worker_rows:
        print()
        print("| workers | articles | wall s | articles/s | peak RSS MB (largest process) |")
        print("|---|---|---|---|---|")
        for workers, r in worker_rows:
            n = r["articles"] or 0
            print(f"| {workers} | {n} | {r['seconds']:.1f} | {n / r['seconds']:.2f} | {r['rss_mb']:.0f} |")
        print(f"\n- speed-up 2 workers vs 1: {worker_rows[0][1]['seconds'] / worker_rows[1][1]['seconds']:.2f}x")


if __name__ == "__main__":
    main()
