"""The evaluation report for people: rich tables for the numbers, then the facts behind them."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingest.evaluation.report import Counts, EvalReport, FactNote


def _counts_table(title: str, rows: dict[str, Counts], first: str) -> Table:
    table = Table(title=title, title_justify="left")
    table.add_column(first)
    for name in ("TP", "FP", "FN", "precision", "recall", "F1"):
        table.add_column(name, justify="right")
    for key, c in rows.items():
        table.add_row(key, str(c.tp), str(c.fp), str(c.fn), f"{c.precision:.3f}", f"{c.recall:.3f}", f"{c.f1:.3f}")
    return table


def _notes(console: Console, title: str, notes: list[FactNote], limit: int) -> None:
    if not notes:
        return
    shown = notes if limit < 0 else notes[:limit]
    console.print(f"\n[bold]{title}[/] ({len(notes)})")
    for note in shown:
        console.print(f"  [cyan]{escape(note.article_id)}[/] {escape(note.fact)}", highlight=False)
        if note.sentence:
            console.print(f"      [dim]{escape(note.sentence)}[/]", highlight=False)
    if len(shown) < len(notes):
        console.print(f"  … {len(notes) - len(shown)} more (use --max-errors -1 to list all)")


def render_report(report: EvalReport, console: Console, max_errors: int = 50, per_article: bool = False) -> None:
    console.print(_counts_table(f"Micro-averaged over {report.articles} articles", {"all": report.overall}, ""))
    if per_article:
        console.print(_counts_table("Per article", report.by_article, "article"))
    console.print(_counts_table("Per language", dict(sorted(report.by_language.items())), "language"))
    console.print(_counts_table("Per predicate", dict(sorted(report.by_predicate.items())), "predicate"))
    if report.qualifiers:
        table = Table(title="Qualifier accuracy (on true positives, where the gold gives them)",
                      title_justify="left")
        for name, justify in (("qualifier", "left"), ("correct", "right"), ("scored", "right"),
                              ("accuracy", "right")):
            table.add_column(name, justify=justify)
        for key, q in sorted(report.qualifiers.items()):
            table.add_row(key, str(q.correct), str(q.total), f"{q.accuracy:.3f}")
        console.print(table)
    console.print(f"optional gold facts predicted (neither rewarded nor punished): {report.optional_matched}; "
                  f"duplicate predictions merged: {report.duplicates_merged}")
    if report.unknown_articles:
        console.print("[yellow]predictions for articles not in the gold, left out:[/] "
                      + escape(", ".join(report.unknown_articles)))
    if max_errors:
        _notes(console, "Misses (gold facts not predicted)", report.misses, max_errors)
        _notes(console, "False positives", report.false_positives, max_errors)
        errors = report.qualifier_errors if max_errors < 0 else report.qualifier_errors[:max_errors]
        if errors:
            console.print(f"\n[bold]Wrong qualifiers[/] ({len(report.qualifier_errors)})")
            for e in errors:
                console.print(f"  [cyan]{escape(e.article_id)}[/] "
                              + escape(f"{e.fact}: {e.qualifier} gold {e.gold!r}, predicted {e.predicted!r}"),
                              highlight=False)
