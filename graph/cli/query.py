"""``newsgraph query``: run SPARQL (text, a .rq file or a saved query) over a build's output.

Exit codes as for the rest of the CLI: 0 fine, 1 the store could not be read or a query failed while
running, 2 a usage error (no build at OUT, SPARQL syntax error, a query refused before it runs: SERVICE
without --allow-service, too deep or too long; unknown saved query or parameter, wrong format).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import NewsgraphError, UsageError
from .common import add_command
from .common import fail as _fail

__all__ = ["register"]

_FORMATS = ("table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml")


def _parse_params(items: list[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param wants KEY=VALUE, got {item!r}")
        params[key.strip()] = value
    return params


def _list_queries() -> None:
    from ..ask.sparql import saved_queries

    table = Table(title="saved queries (newsgraph query OUT --name NAME --param KEY=VALUE)", title_justify="left",
                  show_lines=True)
    table.add_column("name", style="bold", no_wrap=True)
    table.add_column("description")
    table.add_column("parameters")
    for q in saved_queries().values():
        params = "\n".join(f"{p.name}{' (required)' if p.required else ''}: {p.description}" for p in q.params)
        table.add_row(q.name, q.description, params or "-")
    Console().print(table)


def query(
    out: Annotated[Path | None, typer.Argument(help="Build output folder (out/store or out/graph.ttl) or an RDF file.",
                                               show_default=False)] = None,
    sparql: Annotated[str | None, typer.Argument(help="The SPARQL query.", show_default=False)] = None,
    file: Annotated[Path | None, typer.Option("--file", "-F", help="Read the query from this .rq file.")] = None,
    name: Annotated[str | None, typer.Option("--name", "-n", help="Run a saved query (see --list).")] = None,
    param: Annotated[list[str] | None, typer.Option("--param", "-p",
                                                    help="KEY=VALUE for $KEY in the query (repeatable).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help=f"Output: {', '.join(_FORMATS)}.")] = "table",
    list_: Annotated[bool, typer.Option("--list", help="List the saved queries with their parameters.")] = False,
    allow_service: Annotated[bool, typer.Option(
        "--allow-service", help="Run SERVICE clauses: the query may then send requests to other addresses.")]
    = False,
) -> None:
    """Ask the graph: run a SPARQL query, a .rq file or a saved query over a build's output."""
    from ..ask.labels import label_index
    from ..ask.sparql import dataset_options, get_saved_query, load_store, result_table, run_query, serialize_result

    if list_:
        try:
            _list_queries()
        except UsageError as exc:
            raise _fail(str(exc), 2) from None
        return
    try:
        if fmt not in _FORMATS:
            raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(_FORMATS)}")
        if out is None:
            raise UsageError("give the build output folder (or an RDF file) to query, or --list")
        sources = [x for x in (sparql, file, name) if x is not None]
        if len(sources) != 1:
            raise UsageError("give exactly one of: a query, --file FILE, --name NAME")
        params = _parse_params(param)
        store = None
        if name is not None:
            saved = get_saved_query(name)
            saved.bind(params)  # a misspelt or missing parameter is reported before the store is opened
            store = load_store(out)
            text = saved.bind(params, labels=label_index(out, store, dataset_options(store)))
            params = {}
        elif file is not None:
            try:
                text = file.read_text(encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"{file}: {exc.strerror or exc}") from None
        else:
            text = sparql or ""
        store = store if store is not None else load_store(out)
        result = run_query(store, text, params=params, allow_service=allow_service)
        if fmt == "table":
            columns, rows = result_table(result)
            _print_table(columns, rows)
        else:
            data = serialize_result(result, fmt).data
            sys.stdout.write(data.decode("utf-8"))
            if data and not data.endswith(b"\n"):
                sys.stdout.write("\n")
            sys.stdout.flush()
    except UsageError as exc:
        raise _fail(str(exc), 2) from None
    except (NewsgraphError, OSError, RuntimeError, ValueError) as exc:
        raise _fail(str(exc), 1) from None


#: Longer cells (evidence sentences) are cut in the table view; csv/json give them whole.
_CELL_MAX = 90


def _print_table(columns: list[str], rows: list[list[str]]) -> None:
    """A rich table; piped output gets a wide fixed width instead of 80 columns of folded text."""
    console = Console(width=None if sys.stdout.isatty() else 220)
    table = Table(show_lines=False, caption=f"{len(rows)} row{'s' if len(rows) != 1 else ''}",
                  caption_justify="left")
    for c in columns:
        table.add_column(c, overflow="fold")
    for r in rows:
        table.add_row(*(Text(_printable(c if len(c) <= _CELL_MAX else c[:_CELL_MAX - 1] + "…")) for c in r))
    console.print(table)


#: Control characters (C0, DEL, C1: terminal escape sequences start with them), bidi overrides and line
#: separators: article text must not drive the terminal or reorder what is shown.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _printable(cell: str) -> str:
    """``cell`` with every control character spelled as an escape (ESC becomes the four characters ``\\x1b``)."""
    return _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}" if ord(m[0]) < 0x100 else f"\\u{ord(m[0]):04x}", cell)


def register(app: typer.Typer) -> None:
    """Add ``query`` to the ``newsgraph`` app (once; a second call changes nothing)."""
    add_command(app, "query", query)
