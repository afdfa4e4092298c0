"""Load a built graph back: ``graph.load("out/")`` gives the KnowledgeGraph that was written there."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from rdflib import Graph

from ..errors import InputError
from ..model import KnowledgeGraph
from ..rdf import from_rdf

#: RDF files a build writes, in the order they are tried inside an output folder.
GRAPH_FILES = ("graph.ttl", "graph.nq", "graph.trig", "graph.nt", "graph.jsonld")
_FORMATS = {".ttl": "turtle", ".nt": "nt", ".nq": "nquads", ".trig": "trig", ".jsonld": "json-ld",
            ".json": "json-ld", ".rdf": "xml", ".xml": "xml"}


def graph_file(path: str | Path) -> Path:
    """The RDF file behind ``path``: the path itself, or the first graph file inside an output folder."""
    p = Path(path)
    if p.is_dir():
        for name in GRAPH_FILES:
            if (p / name).is_file():
                return p / name
        raise InputError(p, f"no built graph here (looked for {', '.join(GRAPH_FILES)}); run newsgraph build first")
    if not p.is_file():
        raise InputError(p, "no such file or directory")
    return p


def load_rdf(path: str | Path) -> Graph:
    """Parse a graph file (Turtle, N-Triples, N-Quads, TriG, JSON-LD) into one rdflib Graph.

    A build output folder whose whole-graph files were not written (a graph past ``--export-limit``) is
    read from its store: the merged graph.
    """
    folder = Path(path)
    if folder.is_dir() and (folder / "store").is_dir() and not any((folder / n).is_file() for n in GRAPH_FILES):
        return _from_store(folder)
    p = graph_file(path)
    fmt = _FORMATS.get(p.suffix.lower())
    if fmt is None:
        raise InputError(p, f"unknown RDF file type {p.suffix!r}")
    try:
        if fmt in ("nquads", "trig"):
            from rdflib import Dataset

            ds = Dataset()
            ds.parse(p, format=fmt)
            g = Graph()
            for s, pr, o, _ in ds.quads((None, None, None, None)):
                g.add((s, pr, o))
            return g
        g = Graph()
        g.parse(p, format=fmt)
        return g
    except Exception as exc:  # rdflib raises many kinds; all mean the same thing here
        raise InputError(p, f"not a readable {fmt} graph: {exc}") from exc


def _from_store(out: Path) -> Graph:
    import pyoxigraph as ox

    from ..ask.sparql import merged_graph
    from . import open_store

    store = open_store(out, read_only=True)
    try:
        merged = merged_graph(store)
        if merged is None:
            raise InputError(out / "store", "the store holds no merged graph; run newsgraph build again")
        data = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=merged)
    finally:
        del store
    g = Graph()
    g.parse(data=data.decode("utf-8") if isinstance(data, bytes) else data, format="nt")
    return g


def load(path: str | Path, *, base: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph of a build output folder or of one graph file."""
    return from_rdf(load_rdf(path), base=base)


#: What graph.atomic, the builder's line writer and the folder exporters name their temporaries:
#: ``.graph.nq.k3j_x9q2.tmp`` (tempfile's eight random characters), a file or a folder beside the target.
_TEMPORARY = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp")


def remove_stale_temporaries(out: str | Path, folders: tuple[str, ...] = ("", "cache")) -> list[str]:
    """Delete the temporaries a killed build left in ``out`` (and its ``cache``); the names removed.

    A build killed with SIGKILL (or a power cut) cannot clean up, and its half-written ``.graph.nq.*.tmp``
    (as large as the graph) would stay forever. Call only while holding ``out/.lock``: then no other
    build is writing, and every temporary there is stale.
    """
    removed = []
    for sub in folders:
        folder = Path(out) / sub
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not _TEMPORARY.fullmatch(entry.name):
                continue
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path)
                else:
                    os.unlink(entry.path)
            except OSError:
                continue  # someone else's file, or gone already: not ours to fight over
            removed.append(os.path.join(sub, entry.name) if sub else entry.name)
    return sorted(removed)
