"""The one opener of a build folder (or of a single graph file), for everything that reads one.

``graph.load("out/")`` gives the KnowledgeGraph written there; :func:`open_dataset` gives the graph as the
build holds it (the merged graph's lines and the named graphs), which ``newsgraph export`` writes from. A
build folder is read from its store when it has one (always up to date, also past ``--export-limit``),
else from its whole-graph files.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from ..errors import InputError
from ..model import KnowledgeGraph
from ..rdf.dataset import Dataset, from_knowledge_graph, store_dataset
from ..rdf.formats import by_suffix
from ..rdf.iris import MERGED
from ..rdf.reverse import from_ntriples, guess_base
from .oxigraph import STORE_DIR, merged_graph, open_store

#: RDF files a build writes, in the order they are tried inside an output folder without a store.
GRAPH_FILES = ("graph.ttl", "graph.nq", "graph.trig", "graph.nt", "graph.jsonld")


def graph_file(path: str | Path) -> Path:
    """The RDF file behind ``path``: the path itself, or the first graph file inside an output folder."""
    p = Path(path)
    if p.is_dir():
        for name in GRAPH_FILES:
            if (p / name).is_file():
                return p / name
        raise InputError(p, f"no built graph here (looked for {STORE_DIR}/, {', '.join(GRAPH_FILES)}); "
                            "run newsgraph build first")
    if not p.is_file():
        raise InputError(p, "no such file or directory")
    return p


def open_dataset(path: str | Path, *, base: str | None = None) -> Dataset:
    """The dataset of a build folder (its store) or of one RDF file.

    From a store, the named graphs are the build's own. From a file, the merged graph is its default graph
    (or, for a dataset file without one, the union of its graphs) and the article graphs are cut from it.
    """
    folder = Path(path)
    if folder.is_dir() and (folder / STORE_DIR).is_dir():
        return _from_store(folder, base)
    p = graph_file(path)
    fmt = by_suffix(p)
    if fmt is None:
        raise InputError(p, f"unknown RDF file type {p.suffix!r}")
    try:
        lines = sorted(set(_triple_lines(ox.parse(path=str(p), format=fmt.oxigraph), default_only=fmt.dataset)))
        if not lines and fmt.dataset:  # a dataset with named graphs only: their union
            lines = sorted(set(_triple_lines(ox.parse(path=str(p), format=fmt.oxigraph), default_only=False)))
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(p, f"not a readable {fmt.name} graph: {exc}") from exc
    built_with = _guess(lines)
    kg = from_ntriples(lines, base=built_with)
    if base is not None and base != built_with:  # re-based: every line is written again from the records
        return from_knowledge_graph(kg, base=base)
    ds = from_knowledge_graph(kg, base=built_with)
    return Dataset(built_with, lines, ds.named)


def _triple_lines(items: Iterator[ox.Triple | ox.Quad], *, default_only: bool) -> Iterator[str]:
    for t in items:
        if default_only and isinstance(t, ox.Quad) and not isinstance(t.graph_name, ox.DefaultGraph):
            continue
        yield f"{t.subject} {t.predicate} {t.object} ."


def _guess(lines: list[str]) -> str:
    return guess_base(ox.parse("\n".join(ln for ln in lines if "articleId" in ln or "#type>" in ln).encode(),
                               format=ox.RdfFormat.N_TRIPLES))


def _from_store(out: Path, base: str | None) -> Dataset:
    store = open_store(out, read_only=True)
    node = merged_graph(store)
    if node is None:
        raise InputError(out / STORE_DIR, "the store holds no merged graph; run newsgraph build again")
    built_with = node.value[: -len(f"graph/{MERGED}")]
    ds = store_dataset(store, built_with, node.value)
    if base is not None and base != built_with:
        return from_knowledge_graph(from_ntriples(ds.merged, base=built_with), base=base)
    return ds


def load(path: str | Path, *, base: str | None = None) -> KnowledgeGraph:
    """The KnowledgeGraph of a build output folder or of one graph file."""
    ds = open_dataset(path)
    return from_ntriples(ds.merged, base=base or ds.base)


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
