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
    focus: Annotated[str | None, typer.Option(help="Only the neighbourhood of this actor or agreement (label, "
                                                  "alias or key), with its quotes and what they name.")] = None,
    depth: Annotated[int, typer.Option(min=1, help="Hops around --focus.")] = 2,
    article: Annotated[str | None, typer.Option(help="Only the graph of this article (id, id prefix, title or "
                                                    "file name).")] = None,
    title: Annotated[str, typer.Option(help="Page title.")] = "newsgraph",
    max_nodes: Annotated[int, typer.Option(min=0, help="Draw at most this many actors and agreements: whole "
                                                       "neighbourhoods of the best-connected (0: all; quotes "
                                                       "do not count).")] = OVERVIEW_NODES,
    renderer: Annotated[str, typer.Option(help="auto (WebGL sigma.js for big graphs), vis or sigma.")] = "auto",
) -> None:
    """Write the interactive HTML view of a built graph, whole or around one actor or article."""
    from ..explore.cuts import article_subgraph, find_node, neighbourhood
    from ..exporters.html import write_html
    from ..store.output import load

    if renderer not in ("auto", "vis", "sigma"):
        raise _fail(f"--renderer must be auto, vis or sigma, not {renderer!r}", 2)
    try:
        kg = load(out_dir)
        if article:
            kg = article_subgraph(kg, article)
        key, notice = None, None
        if focus:
            key = find_node(kg, focus)
            n_articles = len(kg.articles)
            kg = neighbourhood(kg, key, depth)
            if len(kg.entities) + len(kg.agreements) + len(kg.statements) == 1:
                notice = (f"Nothing is connected to {kg.node_label(key)} in these {n_articles} article(s): no "
                          "relation, quote or claim links it to another actor or agreement. The panel lists "
                          "the articles that mention it.")
        target = to or (out_dir / "graph.html" if out_dir.is_dir() else out_dir.with_suffix(".html"))
        stats = write_html(kg, target, title=title, max_nodes=max_nodes, renderer=renderer, focus=key,
                           notice=notice)
    except UsageError as exc:
        raise _fail(str(exc), 2) from None
    except NewsgraphError as exc:
        raise _fail(str(exc), 1) from None
    tray = f", {stats['tray']} of them without a relation" if stats["tray"] else ""
    left = f"; {stats['left_out']:,} left out by --max-nodes" if stats["left_out"] else ""
    things = "actor or agreement" if stats["nodes"] == 1 else "actors and agreements"
    out.print(f"wrote {target} ({stats['nodes']:,} {things}{tray}, {stats['quotes']:,} quotes, "
              f"{stats['edges']} edges, {stats['renderer']}{left})")
    if notice:
        out.print(notice)


def register(app: typer.Typer) -> None:
    """Add ``view`` to the ``newsgraph`` app."""
    add_command(app, "view", view)
