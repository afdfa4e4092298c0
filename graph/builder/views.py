"""The article graphs and the nodes graph of a build: mapped, validated, written to the cache as sorted N-Triples.

An article's named graph is its view on the merged keys (:func:`graph.resolution.merge.article_view`),
mapped only when its digest changed; the nodes graph holds each merged actor's and agreement's
description, mapped only for the nodes whose record changed. With ``--jobs N`` the chunks are mapped and
validated in N processes.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from ..keys import digest
from ..model import KnowledgeGraph
from ..rdf import warm_up as rdf_warm_up
from ..records import Agreement, Entity, Extraction
from ..resolution.index import ResolutionIndex
from ..resolution.merge import Resolution, article_view
from .cache import ExtractionCache
from .settings import INDEX_CHUNK, NODE_BATCH, NODE_CHUNK, VALIDATE_BATCH, VALIDATION_CHUNK


def view_digest(view: KnowledgeGraph, base: str) -> str:
    return digest(base, repr(view.articles), repr(view.entities), repr(view.agreements), repr(view.relations),
                  repr(view.statements))


def load_extractions(cache: ExtractionCache, ids: list[str]) -> list[Extraction]:
    out = []
    for aid in ids:
        ex = cache.get(aid)
        if ex is None:
            raise InputError(cache.path(aid), "cached extraction vanished during the build; run the build again")
        out.append(ex)
    return out


def read_lines(cache: ExtractionCache, aid: str) -> list[str]:
    return [x for x in view_path(cache, aid).read_text(encoding="utf-8").split("\n") if x]


def view_path(cache: ExtractionCache, aid: str) -> Path:
    return cache.folder / f"{aid}.nt"


def view_pool(jobs: int) -> ProcessPoolExecutor:
    """``jobs`` processes to map and validate article graphs in, started and warmed up now.

    Not a plain fork: this process may hold threads (a Dask client, pyrudof's Rust pool, the store
    loader) whose locks a fork would copy; a fork server is started clean and forks the workers from
    there. Each worker imports the mapping code and reads the shapes while this process resolves.
    """
    import multiprocessing

    method = "forkserver" if os.name == "posix" else "spawn"
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context(method))
    for _ in range(jobs):
        pool.submit(rdf_warm_up)  # the shapes and a validation session, before the first chunk
    return pool


def article_graphs(ids: list[str], cache: ExtractionCache, res: Resolution, old: dict[str, str], base: str,
           min_confidence: float, jobs: int = 1, index: ResolutionIndex | None = None,
           on_done: Callable[[list[str]], None] | None = None,
           pool: ProcessPoolExecutor | None = None) -> dict[str, tuple[str, list[int]]]:
    """Each article's named graph as sorted N-Triples in ``cache/<id>.nt``, validated in chunks when new.

    Articles are taken a chunk at a time (memory holds one chunk per process); with ``jobs`` > 1 the
    chunks are mapped and validated in that many processes (``pool``, or a pool started here). ``on_done``
    gets the ids of each chunk written and validated. Returns, for every view in ``ids``, its digest and
    its numbers of relations and statements.
    """
    digests: dict[str, tuple[str, list[int]]] = {}
    cache.folder.mkdir(parents=True, exist_ok=True)

    def chunks() -> Iterator[list[tuple[str, KnowledgeGraph]]]:
        todo: list[tuple[str, KnowledgeGraph]] = []
        for i in range(0, len(ids), VALIDATION_CHUNK):
            if index is not None and i and i % INDEX_CHUNK == 0:
                index.checkpoint()  # the nodes looked up so far need not stay in memory
            for ex in load_extractions(cache, ids[i:i + VALIDATION_CHUNK]):
                aid = ex.article.id
                view = article_view(ex, res, min_confidence=min_confidence)
                d = view_digest(view, base)
                digests[aid] = (d, [len(view.relations), len(view.statements)])
                if old.get(aid) != d or not view_path(cache, aid).is_file():
                    todo.append((aid, view))
                if len(todo) >= VALIDATION_CHUNK:
                    yield todo
                    todo = []
        if todo:
            yield todo

    def done(aids: list[str]) -> None:
        if on_done is not None:
            on_done(aids)

    parts = chunks()
    if jobs > 1 and len(ids) > VALIDATION_CHUNK:
        with contextlib.nullcontext(pool) if pool is not None else view_pool(jobs) as workers:
            pending: dict = {}
            for chunk in parts:
                pending[workers.submit(write_views, chunk, str(cache.folder), base)] = [aid for aid, _ in chunk]
                if len(pending) >= 2 * jobs:  # bounded: the chunks not yet taken stay unread
                    finished, _ = wait(pending, return_when="FIRST_COMPLETED")
                    for f in finished:
                        f.result()
                        done(pending.pop(f))
            for f in list(pending):
                f.result()
                done(pending.pop(f))
    else:
        for chunk in parts:
            write_views(chunk, str(cache.folder), base)
            done([aid for aid, _ in chunk])
    return digests


def write_views(views: list[tuple[str, KnowledgeGraph]], folder: str, base: str) -> None:
    """Map article views to RDF, write each as sorted N-Triples into ``folder``, validate them together.

    Public so that worker processes can import it; raises ShapeViolation like :func:`graph.rdf.validate`.
    """
    from ..rdf import to_ntriples, validate_ntriples

    texts = []
    for aid, view in views:
        text = to_ntriples(view, base=base)
        (Path(folder) / f"{aid}.nt").write_text(text, encoding="utf-8")
        texts.append(text)
    for i in range(0, len(texts), VALIDATE_BATCH):
        validate_ntriples("".join(texts[i:i + VALIDATE_BATCH]))


def node_graphs(index: ResolutionIndex, keys: set[str] | None, base: str) -> tuple[dict[str, list[str]],
                                                                           dict[str, list[str]]]:
    """Map and validate the merged nodes ``keys`` (None: every node) whose description changed.

    Each merged actor and agreement is described in the nodes graph (no mentions, no articles); the
    index keeps, per node, a digest of its record and its lines, and a node whose digest is unchanged is
    neither mapped nor validated again. Returns the old and the new lines of the nodes that changed or went.
    """
    from ..rdf import node_iri, to_ntriples, validate_ntriples

    stored = index.node_lines
    if keys is None:
        keys = index.entities.key_set() | index.agreements.key_set() | stored.key_set()
    old_lines: dict[str, list[str]] = {}
    new_lines: dict[str, list[str]] = {}
    ordered = sorted(keys)
    for i in range(0, len(ordered), NODE_CHUNK):  # in chunks: a first build maps every node
        part = ordered[i:i + NODE_CHUNK]
        records = index.nodes(part)
        digests = {k: digest(base, repr(replace(r, articles=()))) for k, r in records.items()}
        changed = sorted(k for k, d in digests.items() if (old := stored.get(k)) is None or old[0] != d)
        for k in part:
            if (old := stored.get(k)) is not None and (k not in records or old[0] != digests[k]):
                old_lines[k] = old[1]
            if k not in records and k in stored:
                del stored[k]
        for j in range(0, len(changed), NODE_BATCH):
            batch = changed[j:j + NODE_BATCH]
            entities = {k: replace(r, articles=()) for k in batch if isinstance(r := records[k], Entity)}
            agreements = {k: replace(r, articles=()) for k in batch if isinstance(r := records[k], Agreement)}
            for a in agreements.values():  # an agreement's place is checked against its class
                if a.place and a.place not in entities and (place := index.entities.get(a.place)) is not None:
                    entities[a.place] = replace(place, articles=())
            lines = to_ntriples(KnowledgeGraph(entities=dict(sorted(entities.items())),
                                               agreements=dict(sorted(agreements.items()))), base=base)
            validate_ntriples(lines)
            by_subject: dict[str, list[str]] = {}
            for line in filter(None, lines.split("\n")):
                by_subject.setdefault(line.split(" ", 1)[0], []).append(line)
            for k in batch:
                new_lines[k] = by_subject.get(f"<{node_iri(k, base)}>", [])
                stored[k] = (digests[k], new_lines[k])
        if len(ordered) > NODE_CHUNK:
            index.checkpoint()
    return old_lines, new_lines
