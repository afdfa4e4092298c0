"""newsgraph: news articles -> a knowledge graph of actors, agreements, events and what they did.

    import graph
    kg = graph.build_graph(["seeds/"])           # KnowledgeGraph, nothing written
    report = graph.build(["seeds/"], "out/")     # validated out/graph.ttl and out/graph.html
    kg = graph.load("out/")                      # the graph written there, back
    nx_graph = kg.to_networkx()

Heavy modules (spaCy, rdflib) load on first use, so ``import graph`` and ``newsgraph --help`` stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

from .errors import InputError, ModelError, NewsgraphError, ShapeViolation, StoreError, UsageError

__version__ = "0.1.0"

_LAZY = {
    "build": "graph.builder",
    "build_graph": "graph.builder",
    "BuildReport": "graph.builder",
    "KnowledgeGraph": "graph.model",
    "load": "graph.store.output",
    "read_articles": "graph.sources",
    "to_rdf": "graph.rdf",
    "validate": "graph.rdf",
    "EXPORTERS": "graph.exporters",
}

__all__ = [
    "EXPORTERS",
    "BuildReport",
    "InputError",
    "KnowledgeGraph",
    "ModelError",
    "NewsgraphError",
    "ShapeViolation",
    "StoreError",
    "UsageError",
    "build",
    "build_graph",
    "load",
    "read_articles",
    "to_rdf",
    "validate",
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
