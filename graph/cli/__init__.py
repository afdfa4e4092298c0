"""The ``newsgraph`` command: one module per command, each a thin wrapper over the API mapping errors to exit codes.

Exit codes: 0 all went well; 1 some input failed or the graph violates its shapes; 2 usage error
(bad option, unknown format, no model installed). Heavy libraries (spaCy, rdflib, Oxigraph) are imported
inside the commands, so ``newsgraph --help`` starts fast.
"""

from __future__ import annotations

import sys

import typer

from . import build, eval, export, query, serve, view

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Build a knowledge graph of actors, agreements and events from news articles.",
)


@app.callback()
def _root() -> None:
    """Build a knowledge graph of actors, agreements and events from news articles."""


for _command in (build, view, eval, export, query, serve):
    _command.register(app)


def main() -> None:  # pragma: no cover - console entry for `python -m graph.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
