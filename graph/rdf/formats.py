"""The one table of RDF file formats: their names, file suffixes, and what rdflib and Oxigraph call them.

Everything that reads or writes an RDF file by name or suffix (serialize, the build folder's opener, the
SPARQL commands) looks it up here, so a format is added in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..errors import UsageError


@dataclass(frozen=True)
class RdfFormat:
    """One RDF syntax: ``names`` (the first is the canonical one), ``suffixes``, its rdflib and Oxigraph names."""

    names: tuple[str, ...]
    suffixes: tuple[str, ...]
    rdflib: str
    oxigraph: ox.RdfFormat
    dataset: bool = False  # holds named graphs

    @property
    def name(self) -> str:
        return self.names[0]


FORMATS = (
    RdfFormat(("turtle", "ttl"), (".ttl",), "turtle", ox.RdfFormat.TURTLE),
    RdfFormat(("ntriples", "nt", "n-triples"), (".nt",), "nt", ox.RdfFormat.N_TRIPLES),
    RdfFormat(("nquads", "nq", "n-quads"), (".nq",), "nquads", ox.RdfFormat.N_QUADS, dataset=True),
    RdfFormat(("trig",), (".trig",), "trig", ox.RdfFormat.TRIG, dataset=True),
    RdfFormat(("jsonld", "json-ld"), (".jsonld", ".json"), "json-ld", ox.RdfFormat.JSON_LD),
    RdfFormat(("rdfxml", "xml", "rdf", "rdf/xml"), (".rdf", ".xml", ".owl"), "xml", ox.RdfFormat.RDF_XML),
)
_BY_NAME = {n: f for f in FORMATS for n in f.names}
_BY_SUFFIX = {s: f for f in FORMATS for s in f.suffixes}


def by_name(name: str) -> RdfFormat:
    """The format called ``name`` (any of its names, any case); a UsageError listing the names otherwise."""
    try:
        return _BY_NAME[name.lower()]
    except KeyError:
        raise UsageError(f"unknown RDF format {name!r}; choose one of {', '.join(f.name for f in FORMATS)}") from None


def by_suffix(path: str | Path) -> RdfFormat | None:
    """The format of a file by its suffix, or None."""
    return _BY_SUFFIX.get(Path(path).suffix.lower())
