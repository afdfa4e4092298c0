"""The embedded, persistent store in ``out/store/``: an Oxigraph (RocksDB) dataset, opened, bulk-loaded, patched.

Layout of the dataset (graph.rdf.iris): ``<base>graph/article/<article id>`` holds what one article
contributes (its view on the merged keys, see :func:`graph.resolution.merge.article_view`),
``<base>graph/nodes`` every merged node's description and ``<base>graph/merged`` their union, the merged,
validated graph that queries take as their default graph.

Consistency: pyoxigraph 0.5 has no multi-call transaction object, but every ``Store.update`` (one SPARQL
update, however many operations) is applied atomically, so an incremental build drops, deletes and
inserts in one update. A full (re)build loads a fresh store beside the old one with the fast,
non-transactional bulk loader and swaps the folders; a half-built store is never the one in use, and
:func:`open_store` finishes or discards an interrupted swap. A marker file written before and removed
after the store change tells the next build when the store may not match the manifest."""

from __future__ import annotations

import os
import queue
import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..atomic import atomic_write_text
from ..errors import StoreError
from ..rdf.iris import MERGED, graph_iri

__all__ = ["STORE_DIR", "StoreLoader", "apply_changes", "clear_pending", "is_pending", "mark_pending", "merged_graph",
           "open_store"]


STORE_DIR = "store"


PENDING = ".store-pending"


_COMPLETE = ".complete"


def _dirs(out: Path) -> tuple[Path, Path, Path]:
    root = Path(out) / STORE_DIR
    return root, root.with_name(STORE_DIR + ".new"), root.with_name(STORE_DIR + ".old")


def _recover(out: Path) -> None:
    """Finish or discard a swap that a crash interrupted (see :class:`StoreLoader`)."""
    live, new, old = _dirs(out)
    if new.exists():
        if not live.exists() and (new / _COMPLETE).exists():
            os.replace(new, live)
        else:
            shutil.rmtree(new, ignore_errors=True)
    if old.exists() and live.exists():
        shutil.rmtree(old, ignore_errors=True)
    elif old.exists():
        os.replace(old, live)


def open_store(out: Path, *, read_only: bool = False) -> ox.Store:
    """The store under ``out/store``. Read-only opening needs an existing store and no writer at the same time.

    The handle is released when the object is garbage-collected; drop every reference (``del store``)
    before a build writes again.
    """
    live = Path(out) / STORE_DIR
    try:
        if read_only:
            if not live.is_dir():
                raise StoreError(f"no store at {live}; run `newsgraph build ... --out {out}` first")
            return ox.Store.read_only(str(live))
        _recover(Path(out))
        return ox.Store(str(live))
    except OSError as e:
        raise StoreError(f"cannot open the store at {live}: {e}") from None


class StoreLoader:
    """A new store, bulk-loaded in a background thread beside the old one; :meth:`commit` swaps it in.

    Oxigraph's bulk loader runs without the GIL, so the build goes on mapping and validating article
    graphs while the ones already done are loaded. Lines are shipped ``slice_lines`` at a time and at
    most two slices wait, which keeps the loader's memory (and this process's) to a few slices' worth.
    """

    def __init__(self, out: Path, *, slice_lines: int = 200_000) -> None:
        self.out = Path(out)
        _live, self.new, _old = _dirs(self.out)
        _recover(self.out)
        shutil.rmtree(self.new, ignore_errors=True)
        try:
            self._store: ox.Store | None = ox.Store(str(self.new))
        except OSError as e:
            raise StoreError(f"cannot build the store at {self.new}: {e}") from None
        self.slice_lines = slice_lines
        self._lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue(maxsize=2)
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._load, name="newsgraph-store-loader", daemon=True)
        self._thread.start()

    def add(self, nquads: Iterable[str]) -> None:
        """Queue N-Quads lines (without newlines) for loading; blocks while two slices wait."""
        self._lines.extend(nquads)
        if len(self._lines) >= self.slice_lines:
            self._ship()

    def _ship(self) -> None:
        if self._lines:
            self._queue.put("\n".join(self._lines) + "\n")
            self._lines = []

    def _load(self) -> None:
        while (text := self._queue.get()) is not None:
            if self._error is None and self._store is not None:  # after a failure, drain so add() never blocks
                try:
                    self._store.bulk_load(text, ox.RdfFormat.N_QUADS)
                except BaseException as e:  # handed to the thread that commits
                    self._error = e

    def _finish(self) -> None:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()

    def commit(self) -> None:
        """Load what is left, wait for the loader and swap the new store in for the old one."""
        self._ship()
        self._finish()
        try:
            if self._error is not None:
                raise self._error
            if self._store is None:
                raise StoreError(f"{self.new}: the store was already committed or aborted")
            # no optimize(): after slices it rewrites every file and leaves the store twice the size
            self._store.flush()
        except BaseException as e:
            self.abort()
            if isinstance(e, (OSError, SyntaxError)):
                raise StoreError(f"cannot build the store at {self.new}: {e}") from None
            raise
        self._store = None
        live, new, old = _dirs(self.out)
        (new / _COMPLETE).touch()
        if live.exists():
            os.replace(live, old)
        os.replace(new, live)
        (live / _COMPLETE).unlink(missing_ok=True)
        shutil.rmtree(old, ignore_errors=True)

    def abort(self) -> None:
        """Stop loading and remove the half-built store; the old one stays as it was."""
        self._lines = []
        self._finish()
        self._store = None
        shutil.rmtree(self.new, ignore_errors=True)


def _data_block(graphs: Mapping[str, Iterable[str]]) -> str:
    """``GRAPH <g> { s p o . ... }`` blocks; N-Triples lines are valid SPARQL data as they are."""
    parts = []
    for g in sorted(graphs):
        lines = list(graphs[g])
        if lines:
            parts.append(f"GRAPH <{g}> {{\n" + "\n".join(lines) + "\n}")
    return "\n".join(parts)


def apply_changes(store: ox.Store, *, drop: Iterable[str] = (), delete: Mapping[str, Iterable[str]] | None = None,
                  insert: Mapping[str, Iterable[str]] | None = None) -> None:
    """Drop whole graphs, then delete and insert N-Triples lines per graph IRI: one atomic SPARQL update."""
    ops = [f"DROP SILENT GRAPH <{g}>" for g in sorted(set(drop))]
    if delete and (block := _data_block(delete)):
        ops.append("DELETE DATA {\n" + block + "\n}")
    if insert and (block := _data_block(insert)):
        ops.append("INSERT DATA {\n" + block + "\n}")
    if not ops:
        return
    try:
        store.update(" ;\n".join(ops))
        store.flush()
    except (OSError, SyntaxError) as e:
        raise StoreError(f"store update failed: {e}") from None


def mark_pending(out: Path) -> None:
    """The store is about to change: until :func:`clear_pending`, it may not match the manifest."""
    atomic_write_text(Path(out) / PENDING, "store update in progress\n")


def clear_pending(out: Path) -> None:
    (Path(out) / PENDING).unlink(missing_ok=True)


def is_pending(out: Path) -> bool:
    return (Path(out) / PENDING).exists()


def merged_graph(store: ox.Store) -> ox.NamedNode | None:
    """The store's merged graph (``<base>graph/merged``, graph.rdf.iris), or None if it has none.

    The default base is tried first (one lookup); another base is found by scanning the graph names.
    """
    default = ox.NamedNode(graph_iri(MERGED))
    if store.contains_named_graph(default):
        return default
    for g in store.named_graphs():
        if isinstance(g, ox.NamedNode) and g.value.endswith(f"/graph/{MERGED}"):
            return g
    return None
