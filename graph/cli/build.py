"""``newsgraph build``: read new or changed articles, merge, validate and write a build folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..builder.settings import DEFAULT_EXPORT_LIMIT, DEFAULT_MIN_CONFIDENCE
from ..errors import ModelError, NewsgraphError, ShapeViolation, UsageError
from .common import add_command, err, out
from .common import fail as _fail


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

    from ..builder import build as run_build
    from ..sources import missing_paths, printable
    from ..vocab import DEFAULT_BASE

    missing = missing_paths(paths)
    if missing:  # before anything is made: a typo must not leave an empty OUT behind
        raise _fail(f"no such file or directory: {', '.join(printable(m) for m in missing)}", 2)

    progress = Progress(SpinnerColumn(), TextColumn("[progress.description]{task.description}"), BarColumn(),
                        MofNCompleteColumn(), TaskProgressColumn(), TextColumn("{task.fields[rate]}"),
                        TextColumn("{task.fields[eta]}"), TimeRemainingColumn(), TimeElapsedColumn(), console=err,
                        disable=quiet, transient=True)
    try:
        report = _run(run_build, progress, paths, out_dir, model=model, base=base or DEFAULT_BASE,
                      min_confidence=min_confidence, formats=fmt or ("turtle", "html"), strict=strict,
                      n_process=jobs, executor=executor, scheduler=scheduler, export_limit=export_limit)
    except KeyboardInterrupt:  # Ctrl-C: one line, no traceback, the shell's 128 + SIGINT
        raise _fail(f"interrupted: the build stopped; {printable(out_dir)} holds the outputs of the last "
                    "complete build, and the next build goes on from what was parsed", 130) from None
    _print_report(report, out_dir, quiet)


def _run(run_build: Any, progress: Progress, paths: list[Path], out_dir: Path, **options: Any) -> Any:
    """The build under the progress bar; its errors end the command with their message and exit code."""
    from ..sources import printable

    stages = {"scan": "scanning sources", "parse": "parsing articles", "merge": "merging articles",
              "validate": "validating", "store": "updating the store", "write": "writing outputs"}
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
            return run_build(paths, out_dir, on_progress=on_progress, **options)
        except (UsageError, ModelError) as exc:
            raise _fail(printable(str(exc)), 2) from None
        except ShapeViolation as exc:
            raise _fail(f"the graph violates its shapes; nothing was written\n{exc}", 1) from None
        except NewsgraphError as exc:
            raise _fail(printable(str(exc)), 1) from None


def _print_report(report: Any, out_dir: Path, quiet: bool) -> None:
    """Warnings, failures and the summary table of a finished build; exit 1 when some input failed."""
    from ..sources import printable

    # every path printed through printable(): a file name holding a newline or an escape sequence cannot
    # forge a line of this report or reach the terminal as a control sequence
    for w in report.warnings:
        err.print(Text.assemble(("warning:", "yellow"), f" {printable(w.path)}: {printable(w.reason)}"),
                  highlight=False, soft_wrap=True)
    for f in report.failures:
        err.print(Text.assemble(("failed:", "red"), f" {printable(f.path)}: {printable(f.reason)}"),
                  highlight=False, soft_wrap=True)
    if not quiet:
        counts = report.counts
        parse_s = report.timings.get("parse", 0.0)
        table = Table(title="newsgraph build" + ("" if report.changed else " (nothing changed)"),
                      show_header=False, title_justify="left")
        table.add_row("articles read", str(counts.get("articles", 0)))
        table.add_row("articles parsed", f"{len(report.parsed)}" + (
            f" ({len(report.parsed) / parse_s:.1f}/s)" if report.parsed and parse_s else ""))
        # articles of unchanged files never pass through the reader, so report.reused alone says 0 after a
        # build that reused everything: what was not parsed now came from the cache
        reused = max(report.reused, counts.get("articles", 0) - len(report.parsed))
        table.add_row("from cache", str(reused) + ("" if report.changed else " (nothing had changed)"))
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
            table.add_row(name, printable(path))
        out.print(table)
    if report.skipped and not quiet:
        err.print(f"the graph has {report.counts.get('triples', 0):,} triples, more than --export-limit: only the "
                  f"store was updated and {', '.join(report.skipped)} not written; run `newsgraph export "
                  f"{out_dir} -f turtle` (or another format) to write them", highlight=False, soft_wrap=True)
    if report.failures:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add ``build`` to the ``newsgraph`` app."""
    add_command(app, "build", build)
