"""``newsgraph export``: write a built graph in other formats, so it can be imported anywhere.

Kept out of cli.py so the command can be registered into any typer app (``register(app)``), which is
also how the tests drive it. Exit codes as for the other commands: 1 when the input cannot be read,
2 for a usage error (unknown format, a ``--to`` that would replace a non-export folder).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import NewsgraphError, UsageError
from ..exporters import EXPORTERS, Exporter, get_exporter
from .common import add_command, fail, out


def formats_help() -> str:
    """One line per registered format, for ``--help``."""
    width = max(len(n) for n in EXPORTERS)
    return "\n\n".join(f"{e.name.ljust(width)}  {e.description} (default: OUT/{e.filename})"
                       for e in sorted(EXPORTERS.values(), key=lambda e: e.name))


def resolve_formats(names: list[str]) -> list[Exporter]:
    """The exporters named (``all`` means every one), each once, in the order given."""
    chosen: dict[str, Exporter] = {}
    for raw in names:
        for name in (n.strip() for n in raw.split(",")):
            if name == "all":
                chosen.update((e.name, e) for e in sorted(EXPORTERS.values(), key=lambda e: e.name))
            elif name:
                chosen.setdefault(name, get_exporter(name))
    if not chosen:
        raise UsageError(f"no format given; choose one of: {', '.join(sorted(EXPORTERS))} (or all)")
    return list(chosen.values())


def targets(out: Path, exporters: list[Exporter], to: Path | None) -> dict[str, Path]:
    """Where each format goes: ``--to`` itself for one format, else ``<folder>/<default filename>``.

    The folder is ``--to`` when several formats are asked for (or one file format and ``--to`` is an existing
    folder), else OUT (the folder of OUT when it is a file).
    """
    if to is not None and len(exporters) == 1:
        e = exporters[0]
        file_format = "." in e.filename  # folder formats (neo4j, csv) have plain names
        return {e.name: to / e.filename if file_format and to.is_dir() else to}
    folder = to if to is not None else (out if out.is_dir() else out.parent)
    return {e.name: folder / e.filename for e in exporters}


def register(app: typer.Typer) -> None:
    """Add the ``export`` command to ``app``."""
    def export(
        out_dir: Annotated[Path, typer.Argument(metavar="OUT", help="A build output folder or a graph file.")],
        fmt: Annotated[list[str], typer.Option(
            "--format", "-f", help="Format name (repeatable, or comma-separated); 'all' writes every format.")],
        to: Annotated[Path | None, typer.Option(
            "--to", help="Target path (default: OUT/<default name>); a folder when several formats are given.")] = None,
        base: Annotated[str | None, typer.Option(
            help="Base IRI of the nodes (default: the one the graph was built with).")] = None,
    ) -> None:
        from ..exporters import write_all
        from ..store.output import open_dataset

        try:
            exporters = resolve_formats(fmt)
            ds = open_dataset(out_dir, base=base)  # --base re-bases what is written
            chosen = targets(out_dir, exporters, to)
            write_all(chosen, ds)
            for name, target in chosen.items():
                out.print(f"wrote {target} ({name})", highlight=False, soft_wrap=True)
        except UsageError as exc:
            raise fail(str(exc), 2) from None
        except NewsgraphError as exc:
            raise fail(str(exc), 1) from None

    export.__doc__ = ("Write a built graph (OUT) in other formats: RDF for triplestores, CSV and Cypher for "
                      "property-graph databases, GraphML for Gephi.\n\nFormats:\n\n" + formats_help())
    add_command(app, "export", export)
