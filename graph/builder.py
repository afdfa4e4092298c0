"""The whole job, as functions: paths -> articles -> extractions -> merged KnowledgeGraph -> validated files.

``build_graph`` does no writing; ``build`` is incremental and writes ``out/``:

    graph.ttl, graph.html ...  the exporters' files (``formats``)
    graph.nq                   N-Quads: one named graph per article plus ``graph/merged``
    store/                     the same dataset in an embedded Oxigraph store (see graph.store)
    manifest.json              sources (size, mtime, hash, article ids) and what was built from them
    cache/<id>.json            each article's Extraction, so an unchanged article is never parsed again
    cache/<id>.nt              each article's named graph as sorted N-Triples
    cache/_nodes.json          each merged node's description as N-Triples, with a digest of its record

A build reads only new or changed files, parses only articles not in the cache, then merges every cached
extraction (pure Python over records: fast) and rewrites the outputs. When nothing changed it returns
without writing, so a re-run leaves every file byte-identical.

Validation before writing: the merged graph is exactly the union of a *nodes* graph (every merged
actor and agreement with its full description) and the articles' named graphs, each of which carries
the type and label of every node it refers to. The SHACL shapes look at a node and its direct
neighbours only, so validating the changed nodes and each new or changed article graph (in chunks,
over ``--jobs`` processes) validates the merged graph, at a cost that follows the change rather than the
corpus. (A shape that compares different nodes would need a whole-graph check; the cached pieces are
re-validated whenever rdf.py, vocab.py, the ontology or the shapes change.) A ShapeViolation is raised
before any output is touched.

Failures of single inputs are collected, not raised (unless ``strict``), so one bad file never costs the others.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .cache import ExtractionCache, extractor_fingerprint
from .errors import InputError, StoreError
from .executors import check_executor
from .exporters import get_exporter
from .io import atomic_write_text
from .keys import digest
from .merge import Resolution, article_view, merge_extractions, resolve
from .model import KnowledgeGraph
from .reading import SIDECAR_SUFFIX, ReadWarning, iter_sources, read_articles
from .records import Article, Extraction
from .store import (
    MERGED,
    STORE_DIR,
    Manifest,
    SourceState,
    apply_changes,
    clear_pending,
    graph_iri,
    is_pending,
    mark_pending,
    open_store,
    replace_store,
)
from .vocab import DEFAULT_BASE

#: Held for the whole of a build (see _exclusive).
LOCK_FILE = ".lock"

#: Relations below this confidence (hypothetical or merely reported ones) are left out of exports by default.
DEFAULT_MIN_CONFIDENCE = 0.5
NQUADS = "graph.nq"
CACHE_DIR = "cache"
NODES_CACHE = "_nodes.json"  # not an article id: ExtractionCache.ids() skips names starting with "_"
#: Article graphs validated per pyshacl call (its cost grows faster than linearly with graph size).
VALIDATION_CHUNK = 100
#: Above this share of changed quads the store is rebuilt with the bulk loader instead of updated in place.
FULL_RELOAD_SHARE = 0.3

ProgressCallback = Callable[[str, int, "int | None"], None]


@dataclass
class BuildReport:
    """What a build did: the graph, the files written, what failed and why, how long it took.

    ``parsed`` lists the articles that went through the NLP stage in this build (the rest came from the
    cache); ``changed`` is False when nothing had changed and no file was written.
    """

    outputs: dict[str, Path] = field(default_factory=dict)
    failures: list[InputError] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    seconds: float = 0.0
    parsed: list[str] = field(default_factory=list)
    reused: int = 0
    removed: list[str] = field(default_factory=list)
    changed: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _graph: KnowledgeGraph | None = field(default=None, repr=False)
    _load: Callable[[], KnowledgeGraph] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def graph(self) -> KnowledgeGraph:
        """The merged graph that was written (loaded from the cache on first use after a no-change run)."""
        if self._graph is None:
            self._graph = self._load() if self._load is not None else KnowledgeGraph()
        return self._graph


def _handlers(strict: bool, failures: list[InputError]) -> Callable[[InputError], None]:
    def on_error(err: InputError) -> None:
        if strict:
            raise err
        failures.append(err)

    return on_error


def iter_extractions(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    strict: bool = False,
    failures: list[InputError] | None = None,
    warnings: list[ReadWarning] | None = None,
    on_article: Callable[[Article], None] | None = None,
    n_process: int = 1,
    batch_size: int = 16,
    executor: str = "local",
    scheduler: str | None = None,
) -> Iterator[Extraction]:
    """Stream extractions, one per readable article (no cache, nothing written); failures go to ``failures``."""
    from .executors import make_executor

    fail_list = failures if failures is not None else []
    warn_list = warnings if warnings is not None else []

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for art in articles:
            if on_article is not None:
                on_article(art)
            yield art

    articles = read_articles(paths, on_error=_handlers(strict, fail_list), on_warning=warn_list.append)
    ex = make_executor(executor, model=model, jobs=n_process, batch_size=batch_size, scheduler=scheduler)
    try:
        yield from ex.extract(counted(articles))
    finally:
        ex.close()


def build_graph(paths: Iterable[str | Path], **options: object) -> KnowledgeGraph:
    """The merged graph of the articles under ``paths``; nothing is written. Options as for iter_extractions."""
    return merge_extractions(iter_extractions(paths, **options))  # type: ignore[arg-type]


# --- sources ----------------------------------------------------------------------------------------------


def _stat(path: Path) -> tuple[int, int, list[int] | None]:
    st = path.stat()
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    try:
        sst = side.stat()
        sidecar: list[int] | None = [sst.st_size, sst.st_mtime_ns]
    except OSError:
        sidecar = None
    return st.st_size, st.st_mtime_ns, sidecar


def _content(path: Path) -> tuple[str, int]:
    """sha256 of the file and its sidecar, and how many articles it probably holds (for the progress bar)."""
    data = path.read_bytes()
    h = hashlib.sha256(data)
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    if side.is_file():
        h.update(b"\x00sidecar\x00" + side.read_bytes())
    n = sum(1 for line in data.splitlines() if line.strip()) if path.suffix.lower() == ".jsonl" else 1
    return h.hexdigest(), n


@dataclass
class _Scan:
    states: dict[str, SourceState] = field(default_factory=dict)  # unchanged sources, as in the manifest
    changed: list[tuple[Path, int, int, list[int] | None, str]] = field(default_factory=list)
    expected: int = 0  # articles expected in the changed sources
    touched: bool = False  # some stat changed although the content did not


def _scan(paths: Iterable[str | Path], manifest: Manifest, cache: ExtractionCache,
          on_error: Callable[[InputError], None]) -> _Scan:
    scan = _Scan()
    seen: set[str] = set()
    for src in iter_sources(paths, on_error=on_error):
        key = src.as_posix()
        if key in seen:
            continue
        seen.add(key)
        if not src.is_file():  # a FIFO or device named like an article: reading it could block forever
            broken = src.is_symlink() and not src.exists()
            on_error(InputError(src, "broken or looping symlink" if broken else "not a regular file"))
            continue
        try:
            size, mtime, sidecar = _stat(src)
        except OSError as e:
            on_error(InputError(src, f"cannot access ({e.strerror or e})"))
            continue
        old = manifest.sources.get(key)
        cached = old is not None and all(cache.path(a).exists() for a in old.articles)
        if old is not None and cached and (old.size, old.mtime_ns, old.sidecar) == (size, mtime, sidecar):
            scan.states[key] = old
            continue
        try:
            content, n = _content(src)
        except OSError as e:
            on_error(InputError(src, f"cannot read ({e.strerror or e})"))
            continue
        if old is not None and cached and old.hash == content:
            scan.states[key] = SourceState(size, mtime, sidecar, content, old.articles)
            scan.touched = True
            continue
        scan.changed.append((src, size, mtime, sidecar, content))
        scan.expected += n
    return scan


def _settings(base: str, min_confidence: float) -> dict[str, object]:
    """What the RDF outputs depend on besides the extractions: a change re-maps and re-validates everything."""
    from .vocab import ONTOLOGY_FILE, SHAPES_FILE

    files = [Path(__file__).with_name("rdf.py"), Path(__file__).with_name("vocab.py"), ONTOLOGY_FILE, SHAPES_FILE]
    mapping = digest(*(f.read_text(encoding="utf-8") for f in files if f.is_file()))
    return {"base": base, "min_confidence": min_confidence, "mapping": mapping}


# --- RDF pieces -------------------------------------------------------------------------------------------


def _nodes_graph(kg: KnowledgeGraph) -> KnowledgeGraph:
    """Every merged actor and agreement with its full description, and nothing else."""
    return KnowledgeGraph(entities={k: replace(e, articles=()) for k, e in kg.entities.items()},
                          agreements={k: replace(a, articles=()) for k, a in kg.agreements.items()})


def _view_digest(view: KnowledgeGraph, base: str) -> str:
    return digest(base, repr(view.articles), repr(view.entities), repr(view.agreements), repr(view.relations),
                  repr(view.statements))


# --- writing ----------------------------------------------------------------------------------------------


class _AtomicLines:
    """Write lines to a temporary file beside ``path``; :meth:`commit` renames it into place."""

    def __init__(self, path: Path) -> None:
        self.path = path
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        self.tmp = Path(tmp)
        self.fh = os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def write(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.fh.write(line)
            self.fh.write("\n")

    def close(self) -> None:
        if not self.fh.closed:
            self.fh.flush()
            os.fsync(self.fh.fileno())
            self.fh.close()

    def commit(self) -> None:
        self.close()
        os.chmod(self.tmp, 0o644)  # as graph.io does: outputs are meant to be shared
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        self.fh.close()
        self.tmp.unlink(missing_ok=True)


def _quads(lines: Iterable[str], graph: str) -> Iterator[str]:
    suffix = f" <{graph}> ."
    for line in lines:
        yield line[:-2] + suffix  # "s p o ." -> "s p o <g> ."


def _old_merged(path: Path, graph: str) -> set[str] | None:
    """The merged graph's N-Triples lines in the previous graph.nq, or None if there is none."""
    suffix = f" <{graph}> ."
    try:
        with path.open(encoding="utf-8") as fh:
            return {line[: -len(suffix) - 1] + " ." for line in fh if line.endswith(suffix + "\n")}
    except OSError:
        return None


# --- the build --------------------------------------------------------------------------------------------


def _locked(func: Callable[..., BuildReport]) -> Callable[..., BuildReport]:
    """Run ``func(paths, out, ...)`` holding ``out/.lock``."""

    @functools.wraps(func)
    def wrapper(paths: Iterable[str | Path], out: str | Path, **options: Any) -> BuildReport:
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        with _exclusive(out / LOCK_FILE):
            return func(paths, out, **options)

    return wrapper


@contextmanager
def _exclusive(path: Path) -> Iterator[None]:
    """An advisory lock on ``path`` (flock): released when the process ends, even if it is killed."""
    import fcntl

    with open(path, "a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{path.parent}: another newsgraph build is writing here; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


@_locked
def build(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = DEFAULT_BASE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    formats: Iterable[str] = ("turtle", "html"),
    strict: bool = False,
    on_article: Callable[[Article], None] | None = None,
    n_process: int = 1,
    executor: str = "local",
    scheduler: str | None = None,
    batch_size: int = 16,
    on_progress: ProgressCallback | None = None,
) -> BuildReport:
    """Build (incrementally), validate against the SHACL shapes, and write every output into ``out``.

    Holds ``out/.lock`` for the whole build (see _locked): a second build into the same folder at the
    same time refuses with a StoreError naming the folder instead of interleaving writes.

    ``n_process`` is ``--jobs``: spaCy processes for the local executor, workers of a local Dask cluster
    for ``executor="dask"`` without a ``scheduler`` address. ``on_article`` is called for each article
    sent to the NLP stage; ``on_progress(stage, done, total)`` reports the stages ("parse" with counts).
    A shape violation raises :class:`~graph.errors.ShapeViolation` before any output is written, so the
    previous outputs stay as they were.
    """
    started = time.perf_counter()
    out = Path(out)
    formats = tuple(dict.fromkeys(formats))
    exporters = [get_exporter(f) for f in formats]
    check_executor(executor, scheduler)
    report = BuildReport()
    progress = on_progress or (lambda stage, done, total: None)
    timings = report.timings
    tick = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal tick
        now = time.perf_counter()
        timings[stage] = timings.get(stage, 0.0) + now - tick
        tick = now

    on_error = _handlers(strict, report.failures)
    fingerprint = extractor_fingerprint(model)
    settings = _settings(base, min_confidence)
    manifest = Manifest.load(out)
    if manifest.extractor != fingerprint:
        manifest = Manifest()  # another model or other extraction code: nothing old can be trusted
    cache = ExtractionCache(out / CACHE_DIR, fingerprint)

    progress("scan", 0, None)
    scan = _scan(paths, manifest, cache, on_error)
    lap("scan")

    # --- parse what is new --------------------------------------------------------------------------
    states = dict(scan.states)
    done = 0
    progress("parse", 0, scan.expected)

    def to_parse() -> Iterator[Article]:
        nonlocal done
        queued: set[str] = set()
        for src, size, mtime, sidecar, content in scan.changed:
            ids: list[str] = []
            for art in read_articles([src], on_error=on_error, on_warning=report.warnings.append):
                ids.append(art.id)
                if art.id in queued:
                    continue
                queued.add(art.id)
                cached = cache.lookup(art)
                if cached is None:
                    if on_article is not None:
                        on_article(art)
                    yield art
                    continue
                bare = replace(art, text="")
                if cached.article != bare:  # same text, new metadata (title, path ...): keep the facts
                    cache.put(replace(cached, article=bare))
                report.reused += 1
                done += 1
                progress("parse", done, scan.expected)
            if ids:
                states[src.as_posix()] = SourceState(size, mtime, sidecar, content, list(dict.fromkeys(ids)))
            elif (old := manifest.sources.get(src.as_posix())) is not None and all(
                    cache.path(a).exists() for a in old.articles):
                states[src.as_posix()] = old  # broken now, fine before: keep what it said (and report it)

    articles = to_parse()
    first = next(articles, None)  # the model is loaded only when some article really needs parsing
    if first is not None:
        from .executors import make_executor

        ex_runner = make_executor(executor, model=model, jobs=n_process, batch_size=batch_size, scheduler=scheduler)
        try:
            for ex in ex_runner.extract(itertools.chain([first], articles)):
                cache.put(ex)
                report.parsed.append(ex.article.id)
                done += 1
                progress("parse", done, scan.expected)
        finally:
            ex_runner.close()
    lap("parse")

    current = sorted({a for s in states.values() for a in s.articles})
    if not current and report.failures:
        # nothing readable at all: leave every previous output as it was rather than write an empty graph
        report.seconds = time.perf_counter() - started
        return report
    report.removed = sorted(manifest.article_ids() - set(current))
    outputs = {e.name: out / e.filename for e in exporters}
    outputs["nquads"] = out / NQUADS
    unchanged = (
        not scan.changed and set(states) == set(manifest.sources) and manifest.settings == settings
        and not is_pending(out) and (out / STORE_DIR).is_dir()
        and all(name in manifest.outputs and p.is_file() and p.stat().st_size == manifest.outputs[name]["size"]
                for name, p in outputs.items())
    )
    if unchanged:
        if scan.touched:
            manifest.sources = states
            manifest.save(out)
        report.changed = False
        report.outputs = outputs
        report.counts = dict(manifest.counts)
        report._load = lambda: _load_graph(cache, current, min_confidence)
        report.seconds = time.perf_counter() - started
        return report

    # --- merge ----------------------------------------------------------------------------------------
    progress("merge", 0, None)
    extractions = _load_extractions(cache, current)
    res = resolve(extractions)
    kg = res.graph.filter_confidence(min_confidence)
    report._graph = kg
    report.counts = kg.counts()
    lap("merge")

    # --- article graphs and validation ----------------------------------------------------------------
    progress("validate", 0, None)
    view_digests, changed_views = _views(extractions, res, manifest, cache, base, min_confidence, n_process)
    del extractions
    nodes_lines = _nodes(kg, cache, base, reuse=manifest.settings == settings)
    lap("validate")

    # --- graph.nq and the store -----------------------------------------------------------------------
    progress("store", 0, None)
    out.mkdir(parents=True, exist_ok=True)
    merged_iri = graph_iri(MERGED, base)
    merged = set(nodes_lines)
    for aid in current:
        merged.update(_read_lines(cache, aid))
    merged_sorted = sorted(merged)
    graphs = sorted([(graph_iri(a, base), a) for a in current] + [(merged_iri, MERGED)])
    nq = _AtomicLines(out / NQUADS)
    try:
        for iri, aid in graphs:
            if aid == MERGED:
                nq.write(_quads(merged_sorted, iri))
            else:
                nq.write(_quads(_read_lines(cache, aid), iri))
        nq.close()
        _update_store(out, nq.tmp, manifest=manifest, settings=settings, merged_iri=merged_iri, merged=merged,
                      changed={a: _read_lines(cache, a) for a in changed_views} if len(changed_views) * 3 < len(current)
                      else None, removed=report.removed, base=base, total=len(merged) * 2)
        nq.commit()
    except BaseException:
        nq.discard()
        raise
    del merged
    lap("store")

    # --- exporters, manifest --------------------------------------------------------------------------
    progress("write", 0, None)
    merged_nt = "\n".join(merged_sorted) + "\n" if merged_sorted else ""
    del merged_sorted
    for exp in exporters:
        target = out / exp.filename
        if exp.from_ntriples is not None:
            exp.write_ntriples(merged_nt, target, base=base)
        else:
            exp.write(kg, target, base=base)
    del merged_nt
    lap("export")
    manifest = Manifest(extractor=fingerprint, settings=settings, sources=states, views=view_digests,
                        outputs={n: {"path": p.name, "size": p.stat().st_size} for n, p in outputs.items()},
                        counts=report.counts)
    manifest.save(out)
    clear_pending(out)
    for aid in cache.ids() - set(current):
        cache.discard(aid)
        _view_path(cache, aid).unlink(missing_ok=True)
    lap("manifest")
    report.outputs = outputs
    report.seconds = time.perf_counter() - started
    return report


def _load_extractions(cache: ExtractionCache, ids: list[str]) -> list[Extraction]:
    out = []
    for aid in ids:
        ex = cache.get(aid)
        if ex is None:
            raise InputError(cache.path(aid), "cached extraction vanished during the build; run the build again")
        out.append(ex)
    return out


def _load_graph(cache: ExtractionCache, ids: list[str], min_confidence: float) -> KnowledgeGraph:
    return merge_extractions(_load_extractions(cache, ids)).filter_confidence(min_confidence)


def _read_lines(cache: ExtractionCache, aid: str) -> list[str]:
    return [x for x in _view_path(cache, aid).read_text(encoding="utf-8").split("\n") if x]


def _views(extractions: list[Extraction], res: Resolution, manifest: Manifest, cache: ExtractionCache, base: str,
           min_confidence: float, jobs: int = 1) -> tuple[dict[str, str], set[str]]:
    """Each article's named graph as sorted N-Triples in ``cache/<id>.nt``, validated in chunks when new.

    With ``jobs`` > 1 and several chunks, the chunks are mapped and validated in that many processes.
    Returns every view's digest and the ids of the views written in this build.
    """
    digests: dict[str, str] = {}
    todo: list[tuple[str, KnowledgeGraph]] = []
    fresh = manifest.settings == _settings(base, min_confidence)
    for ex in extractions:
        aid = ex.article.id
        view = article_view(ex, res, min_confidence=min_confidence)
        d = digests[aid] = _view_digest(view, base)
        if fresh and manifest.views.get(aid) == d and _view_path(cache, aid).is_file():
            continue
        todo.append((aid, view))
    cache.folder.mkdir(parents=True, exist_ok=True)
    chunks = [todo[i:i + VALIDATION_CHUNK] for i in range(0, len(todo), VALIDATION_CHUNK)]
    if jobs > 1 and len(chunks) > 1:
        import multiprocessing
        import threading
        from concurrent.futures import ProcessPoolExecutor

        # fork is quick and safe in a single-threaded process; with threads (a Dask client) a fork could copy
        # a held lock, so spawn then
        method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
        with ProcessPoolExecutor(max_workers=min(jobs, len(chunks)),
                                 mp_context=multiprocessing.get_context(method)) as pool:
            for _ in pool.map(write_views, chunks, itertools.repeat(str(cache.folder)), itertools.repeat(base)):
                pass
    else:
        for chunk in chunks:
            write_views(chunk, str(cache.folder), base)
    return digests, {aid for aid, _ in todo}


def write_views(views: list[tuple[str, KnowledgeGraph]], folder: str, base: str) -> None:
    """Map article views to RDF, write each as sorted N-Triples into ``folder``, validate them together.

    Public so that worker processes can import it; raises ShapeViolation like :func:`graph.rdf.validate`.
    """
    from rdflib import Graph

    from .rdf import serialize, to_rdf, validate

    chunk = Graph()
    for aid, view in views:
        g = to_rdf(view, base=base)
        (Path(folder) / f"{aid}.nt").write_text(serialize(g, "nt"), encoding="utf-8")
        chunk += g
    validate(chunk, in_place=True)


def _nodes(kg: KnowledgeGraph, cache: ExtractionCache, base: str, reuse: bool) -> list[str]:
    """N-Triples of every merged actor and agreement (no mentions); only changed nodes are mapped and validated.

    ``cache/nodes.json`` keeps, per node key, a digest of its record and its lines. It is rewritten only
    after the changed nodes validated, so a node found there unchanged has been validated before.
    """
    from .rdf import node_iri, serialize, to_rdf, validate

    path = cache.folder / NODES_CACHE
    old: dict[str, list] = {}
    if reuse:
        try:
            old = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            old = {}
    nodes = _nodes_graph(kg)
    records: dict[str, object] = {**nodes.entities, **nodes.agreements}
    digests = {k: digest(base, repr(r)) for k, r in records.items()}
    changed = {k for k, d in digests.items() if k not in old or old[k][0] != d}
    if changed:
        places = {a.place for k in changed if (a := nodes.agreements.get(k)) is not None and a.place}
        sub = KnowledgeGraph(
            entities={k: e for k, e in nodes.entities.items() if k in changed or k in places},
            agreements={k: a for k, a in nodes.agreements.items() if k in changed})
        g = to_rdf(sub, base=base)
        lines = serialize(g, "nt")
        validate(g, in_place=True)
        by_subject: dict[str, list[str]] = {}
        for line in filter(None, lines.split("\n")):
            by_subject.setdefault(line.split(" ", 1)[0], []).append(line)
        for k in changed:
            old[k] = [digests[k], by_subject.get(f"<{node_iri(k, base)}>", [])]
    cached = {k: old[k] for k in sorted(records)}
    if changed or len(cached) != len(old):
        atomic_write_text(path, json.dumps(cached, ensure_ascii=False, separators=(",", ":")))
    return [line for _, lines in cached.values() for line in lines]


def _view_path(cache: ExtractionCache, aid: str) -> Path:
    return cache.folder / f"{aid}.nt"


def _update_store(out: Path, nquads: Path, *, manifest: Manifest, settings: dict, merged_iri: str, merged: set[str],
                  changed: dict[str, list[str]] | None, removed: list[str], base: str, total: int) -> None:
    """Bring out/store to the state of ``nquads``: one atomic update when the change is small, else a reload.

    ``changed`` holds the lines of the article graphs written in this build, or None when so many changed
    that a reload is cheaper anyway.
    """
    old = None
    if (changed is not None and (out / STORE_DIR).is_dir() and not is_pending(out) and manifest.settings == settings
            and manifest.sources):
        old = _old_merged(out / NQUADS, merged_iri)
    mark_pending(out)
    if old is None:
        replace_store(out, nquads)
        return
    delete, insert = sorted(old - merged), sorted(merged - old)
    size = len(delete) + len(insert) + sum(len(v) for v in changed.values())
    if size > FULL_RELOAD_SHARE * max(total, 1):
        replace_store(out, nquads)
        return
    store = open_store(out)
    try:
        apply_changes(
            store,
            drop=[graph_iri(a, base) for a in [*removed, *changed]],
            delete={merged_iri: delete},
            insert={merged_iri: insert, **{graph_iri(a, base): lines for a, lines in changed.items()}},
        )
    finally:
        del store
