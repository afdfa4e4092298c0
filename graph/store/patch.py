"""How a build brings the store up to date: a bulk load of everything (:class:`StoreReload`) or one atomic update
that follows the change (:func:`patch_store`).

Both take the article graphs and the nodes graph as sorted N-Triples lines in the mapping's canonical form,
the form the store gives back, so lines compare as text. The merged graph is the union of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

import pyoxigraph as ox

from ..rdf.dataset import quads
from ..rdf.iris import MERGED, NODES, article_graph_iri, graph_iri
from .oxigraph import StoreLoader, apply_changes, mark_pending, open_store

#: An article id -> its graph's sorted lines (a build reads them from its cache).
ArticleLines = Callable[[str], list[str]]


class StoreReload:
    """A new store from every article graph and the nodes graph (the merged graph is their union).

    The nodes graph goes first (:meth:`nodes`), article graphs as they are written (:meth:`articles`);
    :meth:`finish` adds the rest and swaps the store in. The loading runs beside the build (see StoreLoader).
    """

    def __init__(self, out: Path, lines_of: ArticleLines, base: str, *, slice_lines: int) -> None:
        self.out, self.lines_of, self.base = out, lines_of, base
        self.merged, self.nodes_graph = graph_iri(MERGED, base), graph_iri(NODES, base)
        self.loader = StoreLoader(out, slice_lines=slice_lines)
        self.done: set[str] = set()

    def articles(self, ids: Iterable[str]) -> None:
        for aid in ids:
            if aid not in self.done:
                self.done.add(aid)
                lines = self.lines_of(aid)
                self.loader.add(quads(lines, article_graph_iri(aid, self.base)))
                self.loader.add(quads(lines, self.merged))

    def nodes(self, node_lines: Iterable[list[str]]) -> None:
        """The nodes graph: each node's lines, in key order."""
        for lines in node_lines:
            self.loader.add(quads(lines, self.nodes_graph))
            self.loader.add(quads(lines, self.merged))

    def finish(self, current: list[str]) -> int:
        """Load the article graphs not handed over yet and swap the store in; the merged graph's size."""
        self.articles(current)
        mark_pending(self.out)
        self.loader.commit()
        store = open_store(self.out)
        try:
            return count(store, self.merged)
        finally:
            del store

    def abort(self) -> None:
        self.loader.abort()


def count(store: ox.Store, graph: str) -> int:
    """Triples in ``graph``."""
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[index,union-attr,arg-type]


def _triple(line: str) -> ox.Triple:
    return next(iter(ox.parse(line, ox.RdfFormat.N_TRIPLES)))  # type: ignore[return-value]


def _graph_lines(store: ox.Store, graph: str) -> list[str]:
    return [f"{q.subject} {q.predicate} {q.object} ." for q in store.quads_for_pattern(None, None, None,
                                                                                      ox.NamedNode(graph))]


def patch_store(out: Path, lines_of: ArticleLines, *, written: list[str], removed: list[str],
                node_old: Mapping[str, list[str]], node_new: Mapping[str, list[str]], base: str,
                triples: int | None) -> int:
    """Bring the store up to date with one atomic update that follows the change; the merged graph's size.

    ``written`` articles get their graphs replaced, ``removed`` ones lose theirs; ``node_old`` and
    ``node_new`` are the old and new lines of the nodes that changed. A triple leaves the merged graph
    only when no graph still holds it: every candidate for deletion is looked up in the store.
    """
    merged, nodes = graph_iri(MERGED, base), graph_iri(NODES, base)
    store = open_store(out)
    try:
        replaced = {article_graph_iri(a, base) for a in [*written, *removed]}
        new_views = {a: lines_of(a) for a in written}
        old_node_lines = {ln for lines in node_old.values() for ln in lines}
        new_node_lines = {ln for lines in node_new.values() for ln in lines}
        node_delete = sorted(old_node_lines - new_node_lines)
        node_insert = sorted(new_node_lines - old_node_lines)
        insert = {ln for lines in new_views.values() for ln in lines} | set(node_insert)
        candidates = set(node_delete)
        for g in sorted(replaced):
            candidates.update(_graph_lines(store, g))
        candidates -= insert
        delete = _still_unheld(store, sorted(candidates), merged, nodes, {merged, nodes} | replaced, set(node_delete))
        if triples is None:
            triples = count(store, merged)
        added = 0
        for line in sorted(insert):
            t = _triple(line)
            added += ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(merged)) not in store
        mark_pending(out)
        apply_changes(store, drop=sorted(replaced), delete={merged: delete, nodes: node_delete},
                      insert={merged: sorted(insert), nodes: node_insert,
                              **{article_graph_iri(a, base): lines for a, lines in new_views.items()}})
        return triples + added - len(delete)
    finally:
        del store


def _still_unheld(store: ox.Store, candidates: list[str], merged: str, nodes: str, changing: set[str],
                  gone_nodes: set[str]) -> list[str]:
    """The candidates the merged graph must lose: held by no graph that stays (the nodes graph keeps what it
    still describes)."""
    delete = []
    for line in candidates:
        t = _triple(line)
        holders = {q.graph_name.value for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)}
        if merged not in holders:
            continue
        if nodes in holders and line not in gone_nodes:
            continue
        if holders - changing:
            continue
        delete.append(line)
    return delete
