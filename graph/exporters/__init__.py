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
    module: str  # module under graph.exporters holding the write function
    filename: str  # default output name inside OUT ("graph.ttl"); a folder name for multi-file formats
    description: str
    function: str = "write"  # ``function(kg, path, *, base)`` in that module
    #: ``function(nt, path, *, base)`` writing the same bytes from the graph's sorted N-Triples, which a
    #: build already holds: it skips mapping the whole graph to rdflib again. None: only ``write``.
    from_ntriples: str | None = None

    def write(self, kg: KnowledgeGraph, path: Path, *, base: str) -> None:
        func: ExportFunction = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.function)
        func(kg, Path(path), base=base)

    def write_ntriples(self, nt: str, path: Path, *, base: str) -> None:
        """Write from sorted N-Triples text (only when ``from_ntriples`` is set)."""
        if self.from_ntriples is None:
            raise UsageError(f"format {self.name!r} is written from the graph, not from N-Triples")
        func = getattr(importlib.import_module(f"{__name__}.{self.module}"), self.from_ntriples)
        func(nt, Path(path), base=base)


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
        Exporter("nquads", "rdf_formats", "graph.nq",
                 "RDF N-Quads: whole graph as default graph plus one named graph per article", "write_nquads"),
        Exporter("trig", "rdf_formats", "graph.trig",
                 "RDF TriG: whole graph as default graph plus one named graph per article", "write_trig"),
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
