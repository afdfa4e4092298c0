"""RDF serialisations of the graph, byte-identical across runs: Turtle, N-Triples, JSON-LD, N-Quads, TriG.

Turtle, N-Triples and JSON-LD (compacted with ontology/context.jsonld) hold the graph of :func:`to_rdf`
as it is, through :func:`graph.rdf.serialize`. N-Quads and TriG are datasets in the one layout of
:mod:`graph.rdf.dataset` (the merged graph as the default graph, a named graph per article and one of the
nodes), written by its writers from what a build or a store holds, or from a KnowledgeGraph read from a file.
"""

from __future__ import annotations

from pathlib import Path

from ..atomic import atomic_write_text
from ..model import KnowledgeGraph
from ..rdf import base_namespaces, dataset, node_iri, ntriples_to_turtle, serialize, to_rdf

__all__ = ["nquads_from_dataset", "ntriples_from_ntriples", "trig_from_dataset", "turtle_from_ntriples", "write",
           "write_jsonld", "write_nquads", "write_ntriples", "write_trig"]


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """Turtle with every relation reified for provenance (registry entry ``turtle``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "turtle"))


def write_ntriples(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """N-Triples, one sorted line per triple (registry entry ``ntriples``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "nt"))


def turtle_from_ntriples(nt: str, path: Path, *, base: str) -> None:
    """What ``write`` writes, from the graph's sorted N-Triples (a build's fast path)."""
    atomic_write_text(path, ntriples_to_turtle(nt, base_namespaces(base), key_root=str(node_iri("", base))))


def ntriples_from_ntriples(nt: str, path: Path, *, base: str) -> None:
    """What ``write_ntriples`` writes: the sorted lines themselves."""
    del base
    atomic_write_text(path, nt)


def write_jsonld(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """JSON-LD compacted with the project's @context (registry entry ``jsonld``)."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "json-ld"))


def write_nquads(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """N-Quads of a KnowledgeGraph (registry entry ``nquads``; a build folder goes by nquads_from_dataset)."""
    dataset.write_nquads(dataset.from_knowledge_graph(kg, base=base), path)


def write_trig(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """TriG of a KnowledgeGraph (registry entry ``trig``)."""
    dataset.write_trig(dataset.from_knowledge_graph(kg, base=base), path)


nquads_from_dataset = dataset.write_nquads
trig_from_dataset = dataset.write_trig
