"""The build folder's store and files: the Oxigraph store (oxigraph.py), its update by a build (patch.py),
the manifest (manifest.py), and the one opener of a build folder for everything that reads one (output.py)."""

from __future__ import annotations

from ..rdf.iris import MERGED, NODES, article_graph_iri, graph_iri
from .manifest import MANIFEST, Manifest, SourceState
from .oxigraph import (
    STORE_DIR,
    StoreLoader,
    apply_changes,
    clear_pending,
    is_pending,
    mark_pending,
    open_store,
)

__all__ = ["MANIFEST", "MERGED", "NODES", "STORE_DIR", "Manifest", "SourceState", "StoreLoader", "apply_changes",
           "article_graph_iri", "clear_pending", "graph_iri", "is_pending", "mark_pending", "open_store"]
