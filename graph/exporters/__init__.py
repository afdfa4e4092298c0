"""Output formats as plugins chosen by name, as rdflib does: ``EXPORTERS["turtle"].write(kg, path)``.

Each exporter module is imported only when used, so the HTML view's dependencies cost nothing to
a build that only writes Turtle. An unknown name is a UsageError that lists the valid ones.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..errors import UsageError
from ..model import KnowledgeGraph

if TYPE_CHECKING:
    from ..rdf.dataset import Dataset


class ExportFunction(Protocol):
    def __call__(self, kg: KnowledgeGraph, path: Path, *, base: str) -> None: ...


@dataclass(frozen=True, slots=True)
class Exporter:
    """A registered format: where its code lives, the default file name, and one line for ``--help``."""

    name: str
    module: str  # module under graph.exporters holding the write function
    filename: str  # default output name inside OUT ("graph.ttl"); a folder name for multi-file formats
    description: str
    function: str = "write"  # ``function(kg, path, *, base)`` in that module
    #: ``function(nt, path, *, base)`` writing the same bytes from the graph's sorted N-Triples, which a
    #: build already holds: it skips mapping the whole graph to rdflib again. None: only ``write``.
    from_ntriples: str | None = None
    #: ``function(dataset, path)`` for the formats that hold named graphs (graph.rdf.dataset's layout).
    from_dataset: str | None = None

    def write(self, kg: KnowledgeGraph, path: Path, *, base: str) -> None:
        func: ExportFunction = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.function)
        func(kg, Path(path), base=base)

    def write_ntriples(self, nt: str, path: Path, *, base: str) -> None:
        """Write from sorted N-Triples text (only when ``from_ntriples`` is set)."""
        if self.from_ntriples is None:
            raise UsageError(f"format {self.name!r} is written from the graph, not from N-Triples")
        func = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.from_ntriples)
        func(nt, Path(path), base=base)

    def write_from(self, ds: Dataset, path: Path, graph: Callable[[], KnowledgeGraph]) -> None:
        """Write what a build or a store holds, by the cheapest route: the dataset, its merged lines, or
        the KnowledgeGraph ``graph()`` (read back from the merged lines, never resolved again)."""
        if self.from_dataset is not None:
            getattr(importlib.import_module(f"{__name__}.{self.module}"), self.from_dataset)(ds, Path(path))
        elif self.from_ntriples is not None:
            self.write_ntriples("\n".join(ds.merged) + "\n" if ds.merged else "", path, base=ds.base)
        else:
            self.write(graph(), path, base=ds.base)


def write_all(targets: Mapping[str, Path], ds: Dataset) -> None:
    """Each format of ``targets`` (name -> path) from the dataset ``ds``; the graph read back once if needed."""
    from ..rdf.reverse import from_ntriples

    graph = functools.cache(lambda: from_ntriples(ds.merged, base=ds.base))
    for name, path in targets.items():
        get_exporter(name).write_from(ds, path, graph)


EXPORTERS: dict[str, Exporter] = {
    e.name: e
    for e in (
        Exporter("turtle", "rdf_formats", "graph.ttl", "RDF Turtle: the knowledge graph with its provenance",
                 from_ntriples="turtle_from_ntriples"),
        Exporter("html", "html", "graph.html", "interactive, self-contained HTML view (works offline)"),
        Exporter("ntriples", "rdf_formats", "graph.nt", "RDF N-Triples: one sorted line per triple",
                 "write_ntriples", from_ntriples="ntriples_from_ntriples"),
        Exporter("jsonld", "rdf_formats", "graph.jsonld", "JSON-LD compacted with the newsgraph @context",
                 "write_jsonld"),
        Exporter("nquads", "rdf_formats", "graph.nq", "RDF N-Quads: the merged graph as the default graph, one "
                 "named graph per article and one of the nodes", "write_nquads", from_dataset="nquads_from_dataset"),
        Exporter("trig", "rdf_formats", "graph.trig", "RDF TriG: the merged graph as the default graph, one "
                 "named graph per article and one of the nodes", "write_trig", from_dataset="trig_from_dataset"),
        Exporter("neo4j", "neo4j", "neo4j",
                 "folder of CSVs for neo4j-admin import or LOAD CSV, with import.cypher and README.md"),
        Exporter("cypher", "cypher", "graph.cypher", "openCypher MERGE script (Neo4j, Memgraph, ...)"),
        Exporter("kuzu", "cypher", "graph.kuzu.cypher", "Cypher script with typed schema for LadybugDB / Kùzu",
                 "write_kuzu"),
        Exporter("graphml", "graphml", "graph.graphml", "GraphML for Gephi, yEd, Cytoscape"),
        Exporter("csv", "flat_csv", "csv", "folder with flat nodes.csv and edges.csv"),
    )
}


def get_exporter(name: str) -> Exporter:
    """The exporter called ``name``; a UsageError naming the valid formats otherwise."""
    try:
        return EXPORTERS[name]
    except KeyError:
        raise UsageError(f"unknown format {name!r}; choose one of: {', '.join(sorted(EXPORTERS))}") from None
