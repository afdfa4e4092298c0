"""RDF serialisations of the graph (Turtle for now), byte-identical across runs."""

from __future__ import annotations

from pathlib import Path

from ..io import atomic_write_text
from ..model import KnowledgeGraph
from ..rdf import serialize, to_rdf


def write(kg: KnowledgeGraph, path: Path, *, base: str) -> None:
    """Turtle with every relation reified for provenance."""
    atomic_write_text(path, serialize(to_rdf(kg, base=base), "turtle"))
