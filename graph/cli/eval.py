"""``newsgraph eval GOLD_DIR``: build each annotated article alone and score it (see graph.quality.corpus)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from ..errors import ModelError, UsageError
from ..quality.corpus import DEFAULT_OUT, check_syntax, detail_lines, failed_bounds, report_table, run_eval
from .common import add_command


def register(app: typer.Typer) -> None:
    """Add the ``eval`` command to ``app`` (graph.cli registers it)."""
    add_command(app, "eval", eval_command)
def eval_command(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of NAME.json gold files with NAME.txt beside each.")],
    build: Annotated[bool, typer.Option("--build", help="Build every article first (else score OUT/NAME/graph.ttl).")]
    = False,
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Where the per-article graphs are.")] = DEFAULT_OUT,
    as_json: Annotated[bool, typer.Option("--json", help="Print the whole result as JSON.")] = False,
    bounds: Annotated[list[str] | None, typer.Option(
        "--min", metavar="KEY=VALUE", help="Exit 1 when a micro total is below VALUE, e.g. relations.f1=0.6.")]
    = None,
    details: Annotated[bool, typer.Option("--details", "-d", help="Also list every miss and wrong guess.")] = False,
    ontology: Annotated[Path | None, typer.Option(help="Ontology folder for rdfs:subClassOf.")] = None,
    model: Annotated[str | None, typer.Option(help="spaCy model package or path.")] = None,
) -> None:
    """Build and score annotated articles against their gold facts; micro-averaged totals."""
    out = Console()
    err = Console(stderr=True)
    bounds = bounds or []

    def usage(exc: Exception) -> typer.Exit:
        err.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        return typer.Exit(2)

    try:
        check_syntax(bounds)  # before the builds, which take a while
    except ValueError as exc:
        raise usage(exc) from None
    try:
        result = run_eval(gold_dir, out_dir, build=build, ontology_dir=ontology, model=model)
    except (UsageError, ModelError) as exc:
        raise usage(exc) from None
    try:
        failed = failed_bounds(result, bounds)
    except ValueError as exc:  # an unknown key
        raise usage(exc) from None
    if as_json:
        typer.echo(json.dumps(result, indent=2))
    else:
        out.print(report_table(result))
        if details:
            for line in detail_lines(result):
                out.print(line, markup=False, highlight=False, soft_wrap=True)
    for name, message in result["errors"].items():
        err.print(f"[red]failed:[/] {name}: {escape(message)}", highlight=False)
    for message in failed:
        err.print(f"[red]below bound:[/] {message}", highlight=False)
    if failed or result["errors"]:
        raise typer.Exit(1)
