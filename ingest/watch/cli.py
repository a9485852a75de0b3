"""`kg watch`: follow feeds and folders, with a progress line, until stopped (SIGTERM, SIGINT) or after one pass."""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import Progress, SpinnerColumn, TextColumn

from ingest.watch.events import ArticleStored, InputRefused, SourceFailed, SourcePolled, WatchEvent
from ingest.watch.settings import WatchSettings
from ingest.watch.sources import FeedSource, WatchSource, parse_duration, read_feeds_file, source_from_argument
from ingest.watch.stop import StopFlag
from kg.cli.console import err_console
from kg.errors import InputError


def human_duration(seconds: float) -> str:
    if seconds < 60:
        return f"{seconds:.2g} s" if seconds < 10 else f"{seconds:.0f} s"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


class WatchConsole:
    """Draws the watcher's events: one line per article written, refusal and failure; counts on the progress line."""

    def __init__(self, progress: Progress, sources: int) -> None:
        self.progress = progress
        self.task = progress.add_task("watch", total=None)
        self.sources = sources
        self.counts = {"written": 0, "unchanged": 0, "refused": 0}
        self.failing: set[str] = set()

    def __call__(self, event: WatchEvent) -> None:
        if isinstance(event, ArticleStored):
            self.counts[event.outcome] += 1
            if event.outcome == "written":
                self.line(f"[green]written[/] {escape(event.article_id)} [dim]from {escape(event.source)}[/]")
        elif isinstance(event, InputRefused):
            self.counts["refused"] += 1
            self.line(f"[yellow]refused[/] {escape(event.what)}: {escape(event.reason)}")
        elif isinstance(event, SourceFailed):
            self.failing.add(event.source)
            self.line(f"[red]failed[/] {escape(event.source)}: {escape(event.reason)}; next try in "
                       f"{human_duration(event.retry_in)} (failure {event.errors} in a row)")
        elif isinstance(event, SourcePolled):
            self.failing.discard(event.source)
        self.progress.update(self.task, description=self.status())

    def status(self) -> str:
        c = self.counts
        return (f"[bold]watch[/] {self.sources} sources · {c['written']} written, {c['unchanged']} unchanged, "
                f"{c['refused']} refused · {len(self.failing)} failing · last activity {time.strftime('%H:%M:%S')}")

    def line(self, markup: str) -> None:
        self.progress.console.print(markup, highlight=False, soft_wrap=True)


@contextmanager
def stop_on_signals() -> Iterator[StopFlag]:
    """A StopFlag that SIGTERM and SIGINT set: the current item is finished, the state saved, exit 0. A second
    signal abandons the item at once (KeyboardInterrupt, exit 130): it was not marked seen, so it is read again."""
    stop = StopFlag()

    def on_signal(*_: object) -> None:
        if stop.requested:
            raise KeyboardInterrupt
        stop.request()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def _fail(message: str) -> typer.Exit:
    err_console.print(f"[red]Error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    return typer.Exit(1)


def _duration(text: str | None) -> float | None:
    try:
        return parse_duration(text) if text is not None else None
    except InputError as exc:
        raise typer.BadParameter(str(exc)) from None


def _sources(arguments: list[str], feeds: Path | None) -> list[WatchSource]:
    sources = [source_from_argument(a) for a in arguments]
    return sources + (read_feeds_file(feeds) if feeds else [])


def watch_command(
        sources: Annotated[list[str] | None, typer.Argument(metavar="SOURCE", help=(
            "Feed URLs (http, https) and folders to watch."))] = None,
        feeds: Annotated[Path | None, typer.Option(help=(
            "A file listing feeds, one `URL [INTERVAL]` a line (# comments)."))] = None,
        interval: Annotated[str | None, typer.Option(help=(
            "Time between two polls of a source: 90, 30s, 5m, 1h (default KG_WATCH_INTERVAL, else 15m)."))] = None,
        once: Annotated[bool, typer.Option(help="Poll every source once, then exit.")] = False,
        state_dir: Annotated[Path | None, typer.Option(help=(
            "Where to keep what was seen (default KG_WATCH_STATE_DIR, else ~/.local/share/kg/watch)."))] = None,
        timeout: Annotated[str | None, typer.Option(help=(
            "Longest time one request may take (default KG_WATCH_TIMEOUT, else 20s)."))] = None,
        progress: Annotated[bool, typer.Option(help="Show a progress line.")] = True) -> None:
    """Follow RSS/Atom feeds and folders: new and changed items are ingested as they appear (docs/feeds.md).
    Stops cleanly on SIGTERM or Ctrl-C; a restart goes on where it stopped."""
    from ingest.watch.watcher import run_watch
    from kg.store import connect

    try:
        watched = _sources(sources or [], feeds)
    except InputError as exc:
        raise _fail(str(exc)) from exc
    if not watched:
        raise _fail("nothing to watch: give feed URLs or folders, or --feeds FILE.")
    overrides = {"interval": _duration(interval), "timeout": _duration(timeout), "state_dir": state_dir}
    settings = WatchSettings().model_copy(update={k: v for k, v in overrides.items() if v is not None})
    feeds_count = sum(isinstance(s, FeedSource) for s in watched)
    line = Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err_console, disable=not progress)
    with stop_on_signals() as stop, connect() as conn, line:
        show = WatchConsole(line, len(watched))
        show.line(f"watching {feeds_count} feeds and {len(watched) - feeds_count} folders every "
                   f"{human_duration(settings.interval)} (unless a feed says otherwise)")
        state_file = run_watch(conn, watched, settings, show, stop, once=once)
    c = show.counts
    err_console.print(f"{'stopped' if stop.requested else 'done'}: {c['written']} written, {c['unchanged']} "
                      f"unchanged, {c['refused']} refused; state in {state_file}", highlight=False, soft_wrap=True)
