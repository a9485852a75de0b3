"""Shared rich consoles for the command line."""

from rich.console import Console

console = Console()
err_console = Console(stderr=True)
