"""The build: paths -> articles -> extractions -> resolved graph -> validated store and files in ``out/``.

``build`` (run.py) is incremental and writes ``out/``; ``build_graph`` (oneshot.py) writes nothing:

    store/                     the embedded Oxigraph store: one named graph per article, ``graph/nodes``
                               (every merged node's description) and ``graph/merged`` (their union)
    graph.ttl, graph.html ...  the exporters' files (``formats``), and graph.nq, the whole dataset, while
                               the merged graph has at most ``export_limit`` triples (see DEFAULT_EXPORT_LIMIT)
    manifest.json              sources (size, mtime, hash, article ids) and what was built from them
    cache/<id>.json            each article's Extraction, so an unchanged article is never parsed again
    cache/<id>.nt              each article's named graph as sorted N-Triples
    cache/_index.sqlite        the resolution index (graph.resolution.index) and each merged node's lines and digest

A build reads only new or changed files and parses only articles not in the cache. The resolution index
then clusters again only what the new, changed or deleted articles touch; only the article graphs whose
nodes were merged or renamed are mapped again, and the store gets one atomic update holding just the
difference (or, when much changed, is bulk-loaded anew). When nothing changed it returns without
writing, so a re-run leaves every file byte-identical; an incremental build gives the same bytes as a
fresh build of the same files (tested).

Validation before writing: the merged graph is exactly the union of the nodes graph and the articles'
named graphs, each of which carries the type and label of every node it refers to. The SHACL shapes
look at a node and its direct neighbours only, so validating the changed nodes and each new or changed
article graph (in chunks, over ``--jobs`` processes) validates the merged graph, at a cost that follows
the change rather than the corpus. (A shape that compares different nodes would need a whole-graph
check; the cached pieces are re-validated whenever graph.rdf, graph.vocab, the ontology or the shapes change.)
A ShapeViolation is raised before the store or any file is touched, and the index is not saved then.

Failures of single inputs are collected, not raised (unless ``strict``), so one bad file never costs the others.
This package's ``__init__`` loads nothing heavy: ``build`` and the rest are imported on first use.
"""

from __future__ import annotations

import importlib
from typing import Any

from .settings import DEFAULT_EXPORT_LIMIT

__all__ = ["DEFAULT_EXPORT_LIMIT", "BuildOptions", "BuildReport", "build", "build_graph", "iter_extractions"]

_LAZY = {"BuildOptions": ".options", "BuildReport": ".options", "build": ".run", "build_graph": ".oneshot",
         "iter_extractions": ".oneshot"}


def __getattr__(name: str) -> Any:
    """``build`` and the rest load the whole build (spaCy, Oxigraph ...) only when they are used."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
