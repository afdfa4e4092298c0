"""The ``newsgraph`` command: thin wrappers over the API that map errors to exit codes.

Exit codes: 0 all went well; 1 some input failed or the graph violates its shapes; 2 usage error
(bad option, unknown format, no model installed).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from .builder import DEFAULT_EXPORT_LIMIT, DEFAULT_MIN_CONFIDENCE
from .errors import ModelError, NewsgraphError, ShapeViolation, UsageError
from .view import OVERVIEW_NODES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Build a knowledge graph of actors, agreements and events from news articles.",
)
err = Console(stderr=True)


@app.callback()
def _root() -> None:
    """Build a knowledge graph of actors, agreements and events from news articles."""
out = Console()


def _fail(message: str, code: int) -> typer.Exit:
    err.print(Text.assemble(("error:", "bold red"), f" {message}"), highlight=False, soft_wrap=True)
    return typer.Exit(code)


@app.command()
def build(
    paths: Annotated[list[Path], typer.Argument(help="Article files or folders (.txt, .md, .html, .jsonl).")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    model: Annotated[str | None, typer.Option(help="spaCy model package or path, e.g. en_core_web_lg.")] = None,
    base: Annotated[str | None, typer.Option(help="Base IRI of the graph's nodes.")] = None,
    fmt: Annotated[list[str] | None, typer.Option("--format", "-f", help="Output formats (repeatable).")] = None,
    min_confidence: Annotated[float, typer.Option(
        help="Leave out relations below this confidence.")] = DEFAULT_MIN_CONFIDENCE,
    strict: Annotated[bool, typer.Option(help="Stop at the first input that fails.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parallel NLP processes (Dask workers).")] = 1,
    executor: Annotated[str, typer.Option(help="Where the NLP runs: local or dask.")] = "local",
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar or summary.")] = False,
    export_limit: Annotated[int, typer.Option(
        min=0, help="Rewrite the whole-graph files (graph.ttl, .nq, .html) only while the merged graph has at most "
                    "this many triples (0: always); past it only the store is updated.")] = DEFAULT_EXPORT_LIMIT,
) -> None:
    """Read new or changed articles, merge the graph, validate it and write OUT (graph.ttl, .nq, .html, store/).

    Re-running on the same input reads nothing again and changes no file. For a large graph the store alone
    is kept up to date (see --export-limit); `newsgraph export OUT -f turtle` writes a file from it.
    """
    from rich.progress import TaskProgressColumn, TimeRemainingColumn

    from .builder import build as run_build
    from .vocab import DEFAULT_BASE

    stages = {"scan": "scanning sources", "parse": "parsing articles", "merge": "merging articles",
              "validate": "validating", "store": "updating the store", "write": "writing outputs"}
    progress = Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                        TextColumn("{task.fields[eta]}"), TimeRemainingColumn(), TimeElapsedColumn(), console=err,
                        disable=quiet, transient=True)
    with progress:
        current: dict[str, object] = {}  # the stage shown, and its task

        def on_progress(stage: str, done: int, total: int | None) -> None:
            if current.get("stage") != stage:
                if "task" in current:
                    progress.update(current["task"], visible=False)  # type: ignore[arg-type]
                current["stage"] = stage
                current["task"] = progress.add_task(stages.get(stage, stage), total=total or None, rate="",
                                                    eta="ETA" if total else "")
            task = current["task"]
            speed = progress.tasks[-1].speed if stage == "parse" else None
            progress.update(task, completed=done, rate=f"{speed:.1f} articles/s" if speed else "")  # type: ignore[arg-type]

        try:
            report = run_build(paths, out_dir, model=model, base=base or DEFAULT_BASE,
                               min_confidence=min_confidence, formats=fmt or ("turtle", "html"), strict=strict,
                               n_process=jobs, executor=executor, scheduler=scheduler, on_progress=on_progress,
                               export_limit=export_limit)
        except (UsageError, ModelError) as exc:
            raise _fail(str(exc), 2) from None
        except ShapeViolation as exc:
            raise _fail(f"the graph violates its shapes; nothing was written\n{exc}", 1) from None
        except NewsgraphError as exc:
            raise _fail(str(exc), 1) from None
    for w in report.warnings:
        err.print(Text.assemble(("warning:", "yellow"), f" {w.path}: {w.reason}"), highlight=False, soft_wrap=True)
    for f in report.failures:
        err.print(Text.assemble(("failed:", "red"), f" {f}"), highlight=False, soft_wrap=True)
    if not quiet:
        counts = report.counts
        parse_s = report.timings.get("parse", 0.0)
        table = Table(title="newsgraph build" + ("" if report.changed else " (nothing changed)"),
                      show_header=False, title_justify="left")
        table.add_row("articles read", str(counts.get("articles", 0)))
        table.add_row("articles parsed", f"{len(report.parsed)}" + (
            f" ({len(report.parsed) / parse_s:.1f}/s)" if report.parsed and parse_s else ""))
        table.add_row("from cache", str(report.reused))
        table.add_row("articles removed", str(len(report.removed)))
        table.add_row("articles failed", str(len(report.failures)))
        table.add_row("entities", str(counts.get("entities", 0)))
        table.add_row("agreements/events", str(counts.get("agreements", 0)))
        table.add_row("relations", str(counts.get("relations", 0)))
        table.add_row("quotes and claims", str(counts.get("statements", 0)))
        table.add_row("time", f"{report.seconds:.1f} s")
        if report.changed:
            table.add_row("time by stage", " ".join(f"{k} {v:.1f}" for k, v in report.timings.items() if v >= 0.05))
        for name, path in report.outputs.items():
            table.add_row(name, str(path))
        out.print(table)
    if report.skipped and not quiet:
        err.print(f"the graph has {report.counts.get('triples', 0):,} triples, more than --export-limit: only the "
                  f"store was updated and {', '.join(report.skipped)} not written; run `newsgraph export "
                  f"{out_dir} -f turtle` (or another format) to write them", highlight=False, soft_wrap=True)
    if report.failures:
        raise typer.Exit(1)


@app.command()
def view(
    out_dir: Annotated[Path, typer.Argument(help="A build output folder (or a graph file).")],
    to: Annotated[Path | None, typer.Option("--to", help="Page to write (default: OUT/graph.html).")] = None,
    focus: Annotated[str | None, typer.Option(help="Only the neighbourhood of this actor (label or alias).")] = None,
    depth: Annotated[int, typer.Option(min=1, help="Hops around --focus.")] = 2,
    article: Annotated[str | None, typer.Option(help="Only the graph of this article (id or id prefix).")] = None,
    title: Annotated[str, typer.Option(help="Page title.")] = "newsgraph",
    max_nodes: Annotated[int, typer.Option(min=0, help="Draw at most this many nodes, the best-connected "
                                                       "(0: all).")] = OVERVIEW_NODES,
) -> None:
    """Write the interactive HTML view of a built graph, whole or around one actor or article."""
    from .exporters.html import write_html
    from .loading import load
    from .view import article_subgraph, neighbourhood

    try:
        kg = load(out_dir)
        if article:
            kg = article_subgraph(kg, article)
        if focus:
            kg = neighbourhood(kg, focus, depth)
        target = to or (out_dir / "graph.html" if out_dir.is_dir() else out_dir.with_suffix(".html"))
        write_html(kg, target, title=title, max_nodes=max_nodes)
    except UsageError as exc:
        raise _fail(str(exc), 2) from None
    except NewsgraphError as exc:
        raise _fail(str(exc), 1) from None
    out.print(f"wrote {target} ({len(kg.entities) + len(kg.agreements)} nodes, {len(kg.relations)} relations)")


def _register_plugins() -> None:
    """Commands that live beside the modules they drive (eval, query, serve, export)."""
    from .eval_cli import register as register_eval
    from .export_cli import register as register_export
    from .query_cli import register as register_query

    register_eval(app)
    register_export(app)
    register_query(app)


_register_plugins()


def main() -> None:  # pragma: no cover - console entry for `python -m graph`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
