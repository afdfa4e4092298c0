"""What every command shares: the consoles and the one way an error ends a command."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.text import Text

err = Console(stderr=True)
out = Console()


def add_command(app: typer.Typer, name: str, func: object) -> None:
    """Register ``func`` as the command ``name`` once (a second registration changes nothing)."""
    if name not in {c.name or (c.callback.__name__ if c.callback else "") for c in app.registered_commands}:
        app.command(name)(func)  # type: ignore[arg-type]


def fail(message: str, code: int) -> typer.Exit:
    """Print ``error: message`` on stderr; the Exit to raise (1: the work failed, 2: a usage error)."""
    err.print(Text.assemble(("error:", "bold red"), f" {message}"), highlight=False, soft_wrap=True)
    return typer.Exit(code)
