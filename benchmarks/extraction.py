"""Extraction throughput on real news, ours next to bare spaCy with the same model on the same texts, same run.

    python -m benchmarks.extraction [--en-limit N] [--fr-limit N] [--chunk 64] [--profile]

The corpus is cut into chunks; each chunk goes through bare `nlp.pipe` (the published model alone) and through
`ingest.extractor.extract_many` (the same model plus our component, language check and domain objects), the order
alternating from chunk to chunk so that both see the same machine load. Both pipelines are loaded and warmed up
before the clock starts. `--profile` adds a cProfile of our path and prints its hottest functions."""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
from dataclasses import dataclass

from benchmarks.common import Stopwatch, bbc_articles, git_commit, header, orangesum_articles, word_count
from kg.model import Article


@dataclass
class Throughput:
    language: str
    articles: int
    words: int
    bare: Stopwatch
    ours: Stopwatch
    facts: int = 0

    def line(self) -> str:
        bare_wps = self.words / self.bare.seconds
        ours_wps = self.words / self.ours.seconds
        ratio = ours_wps / bare_wps
        return (f"| {self.language} | {self.articles} | {self.words:,} | {bare_wps:,.0f} | "
                f"{self.articles / self.bare.seconds:.1f} | {ours_wps:,.0f} | {self.articles / self.ours.seconds:.1f} "
                f"| {ratio:.2f} | {self.facts:,} |")


def measure(language: str, articles: list[Article], chunk: int, profile: cProfile.Profile | None) -> Throughput:
    from ingest.extractor import extract_many
    from ingest.nlp import bare_pipeline_for, pipeline_for

    bare_nlp, our_nlp = bare_pipeline_for(language), pipeline_for(language)
    warm = [a.text for a in articles[:8]]
    list(bare_nlp.pipe(warm))
    list(our_nlp.pipe(warm))
    list(extract_many(articles[:8]))
    result = Throughput(language, len(articles), sum(word_count(a.text) for a in articles), Stopwatch(), Stopwatch())
    for index in range(0, len(articles), chunk):
        part = articles[index:index + chunk]

        def run_bare(chunk: list[Article]) -> None:
            with result.bare.running():
                for _ in bare_nlp.pipe(a.text for a in chunk):
                    pass

        def run_ours(chunk: list[Article]) -> None:
            with result.ours.running():
                if profile is not None:
                    profile.enable()
                extractions = list(extract_many(chunk))
                if profile is not None:
                    profile.disable()
            result.facts += sum(len(e.facts) for e in extractions)

        # alternate which runs first, so neither always meets a warm cache
        steps = (run_bare, run_ours) if (index // chunk) % 2 == 0 else (run_ours, run_bare)
        for step in steps:
            step(part)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--en-limit", type=int, default=None, help="BBC articles (default: all 2,225)")
    parser.add_argument("--fr-limit", type=int, default=1000, help="OrangeSum articles (default 1000)")
    parser.add_argument("--chunk", type=int, default=64, help="articles per alternation")
    parser.add_argument("--profile", action="store_true", help="profile our path and print the hottest functions")
    args = parser.parse_args()

    corpora = [("en (BBC)", "en", bbc_articles(args.en_limit)),
               ("fr (OrangeSum)", "fr", orangesum_articles(args.fr_limit))]
    rows = []
    profiles = []
    for label, language, articles in corpora:
        profile = cProfile.Profile() if args.profile else None
        result = measure(language, articles, args.chunk, profile)
        result.language = label
        rows.append(result.line())
        if profile is not None:
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(35)
            profiles.append(f"### cProfile of our path, {label} (cumulative)\n\n```\n{out.getvalue()}\n```\n")
        print(rows[-1], flush=True)

    print()
    print(header(f"Extraction throughput (commit {git_commit()})"))
    print("| corpus | articles | words | bare spaCy words/s | bare articles/s | ours words/s | ours articles/s | "
          "ours / bare | facts |")
    print("|---|---|---|---|---|---|---|---|---|")
    for row in rows:
        print(row)
    for text in profiles:
        print()
        print(text)


if __name__ == "__main__":
    main()
