"""Output formats as plugins chosen by name, as rdflib does: ``EXPORTERS["turtle"].write(kg, path)``.

Each exporter module is imported only when used, so the HTML view's dependencies cost nothing to
a build that only writes Turtle. An unknown name is a UsageError that lists the valid ones.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..errors import UsageError
from ..model import KnowledgeGraph


class ExportFunction(Protocol):
    def __call__(self, kg: KnowledgeGraph, path: Path, *, base: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Exporter:
    """A registered format: where its code lives, the default file name, and one line for ``--help``."""

    name: str
    module: str  # module under graph.exporters holding a ``write(kg, path, *, base)`` function
    filename: str  # default output name inside OUT ("graph.ttl"); a folder name for multi-file formats
    description: str

    def write(self, kg: KnowledgeGraph, path: Path, *, base: str) -> None:
        func: ExportFunction = importlib.import_module(f"{__name__}.{self.module}").write
        func(kg, Path(path), base=base)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", "rdf_formats", "graph.ttl", "RDF Turtle: the knowledge graph with its provenance"),
        Exporter("html", "html", "graph.html", "interactive, self-contained HTML view (works offline)"),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; a UsageError naming the valid formats otherwise."""
    try:
        return EXPORTERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(sorted(EXPORTERS))}") from None
