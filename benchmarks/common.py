"""What every benchmark shares: where the corpora are, how to read them, the machine it ran on, timing helpers."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kg.model import Article

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
ORANGESUM = SHARED / "corpora" / "orangesum_fr" / "orangesum_fr_hightech_media_auto.jsonl"


def bbc_articles(limit: int | None = None) -> list[Article]:
    """The 2,225 BBC articles, read by the project's own loaders (as `kg ingest` reads them), in path order."""
    from ingest.batch import InputBatch

    batch = InputBatch.from_paths([BBC])
    articles = []
    for article in batch.articles():
        articles.append(article)
        if limit is not None and len(articles) >= limit:
            break
    return articles


def orangesum_articles(limit: int | None = None, categories: tuple[str, ...] = ("high-tech", "media", "auto"),
                       ) -> list[Article]:
    """OrangeSum articles (French). Its JSONL keeps the text under "article", not "text", so `kg ingest` cannot read
    it as is; the benchmark builds the articles itself: title + text, published date, lang fr."""
    articles = []
    with ORANGESUM.open(encoding="utf-8") as fh:
        for line in fh:
            record = json.loads(line)
            if record["category"] not in categories:
                continue
            articles.append(Article(id=f"orangesum-{record['id']}", text=record["article"], title=record["title"],
                                    url=record["url"], published=record["date"], lang="fr",
                                    source="orangesum_fr"))
            if limit is not None and len(articles) >= limit:
                break
    return articles


def word_count(text: str) -> int:
    return len(text.split())


def machine() -> str:
    """One line saying what this ran on."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        mem_kb = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))
        mem = f"{mem_kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        mem = "? RAM"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"{platform.node()} — {os.cpu_count()} cores ({cpu}), {mem}, Python {sys.version.split()[0]}, "
            f"load average (1, 5, 15 min) at the end {load}")


def now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")


def command_line() -> str:
    return "python -m " + Path(sys.argv[0]).with_suffix("").relative_to(ROOT).as_posix().replace("/", ".") + \
        ("" if len(sys.argv) == 1 else " " + " ".join(sys.argv[1:]))


def header(title: str) -> str:
    return f"## {title}\n\n- date: {now()}\n- machine: {machine()}\n- command: `{command_line()}`\n"


@dataclass
class Stopwatch:
    seconds: float = 0.0

    @contextmanager
    def running(self) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(q / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def summary_ms(values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"n={len(ms)} p50={percentile(ms, 50):.1f} ms p90={percentile(ms, 90):.1f} ms "
            f"p99={percentile(ms, 99):.1f} ms max={max(ms):.1f} ms mean={statistics.fmean(ms):.1f} ms")


def git_commit() -> str:
    try:
        return subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True,
                              check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
