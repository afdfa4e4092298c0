"""``newsgraph view``: the interactive HTML page of a built graph, whole or cut around an actor or article."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..errors import NewsgraphError, UsageError
from ..explore.cuts import OVERVIEW_NODES
from .common import add_command, out
from .common import fail as _fail


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
    from ..explore.cuts import article_subgraph, neighbourhood
    from ..exporters.html import write_html
    from ..store.output import load

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


def register(app: typer.Typer) -> None:
    """Add ``view`` to the ``newsgraph`` app."""
    add_command(app, "view", view)
