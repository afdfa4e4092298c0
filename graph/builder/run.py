"""The build as a visible sequence of stages over one state object (:class:`_Build`)::

    build(paths, out)
      _open            manifest, cache and settings of ``out``
      _scan            which source files are new or changed (builder/scan.py)
      _parse           read them; parse and extract the articles not in the cache (builder/executors.py)
      _keep            nothing changed: return without writing a byte
      _resolve         the resolution index clusters again what the change touches (resolution/index.py)
      _graphs          article graphs and the nodes graph, mapped and validated (builder/views.py)
      _update_store    one atomic patch of the store, or a bulk reload (store/patch.py)
      _write_files     graph.nq and the formats asked for, from the lines just written (rdf/dataset.py)
      _save            the manifest, the index; stale cache entries go

Each stage reads what the ones before it left in the state and adds its own; nothing is read back from a
file that the build already holds in memory, except the article graphs' lines, which it streams from the
cache so that memory holds one chunk at a time.
"""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..errors import ExtractionError, InputError, StoreError, UsageError
from ..exporters import Exporter, get_exporter, write_all
from ..keys import digest
from ..rdf.dataset import Dataset
from ..rdf.iris import NODES, article_graph_iri, graph_iri
from ..records import Article, Extraction
from ..resolution.index import Change, ResolutionIndex
from ..resolution.merge import Resolution
from ..sources import read_articles
from ..store import STORE_DIR, Manifest, SourceState, clear_pending, is_pending
from ..store.patch import StoreReload, patch_store
from .cache import ExtractionCache, extractor_fingerprint
from .executors import check_executor, make_executor
from .fingerprint import code_digest
from .options import BuildOptions, BuildReport
from .scan import Scan, scan_sources
from .settings import (
    CACHE_DIR,
    INDEX_CHUNK,
    INDEX_FILE,
    LOAD_SLICE,
    LOCK_FILE,
    NQUADS,
    RELOAD_SHARE,
    VALIDATION_CHUNK,
)
from .views import article_graphs, load_extractions, node_graphs, read_lines, view_path, view_pool

# --- the state a build hands from stage to stage ----------------------------------------------------------


@dataclass
class _Build:
    out: Path
    opts: BuildOptions
    exporters: list[Exporter]
    fingerprint: str
    settings: dict[str, object]
    manifest: Manifest
    cache: ExtractionCache
    report: BuildReport = field(default_factory=BuildReport)
    started: float = field(default_factory=time.perf_counter)
    tick: float = field(default_factory=time.perf_counter)
    scan: Scan = field(default_factory=Scan)
    states: dict[str, SourceState] = field(default_factory=dict)  # source path -> what it holds now
    published: dict[str, str | None] = field(default_factory=dict)  # the index takes articles by date
    retitled: set[str] = field(default_factory=set)  # cached articles whose metadata changed
    failed: set[str] = field(default_factory=set)  # extraction failed: reported, left out, tried again next run
    done: int = 0  # articles through the parse stage, for the progress bar
    current: list[str] = field(default_factory=list)  # every article of the graph, sorted
    index: ResolutionIndex | None = None
    change: Change | None = None
    full: bool = False  # nothing old can be reused: every graph is mapped and the store loaded anew
    pool: Any = None  # worker processes for the article graphs (--jobs N)
    loader: StoreReload | None = None
    view_digests: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, list[int]] = field(default_factory=dict)  # article -> [relations, statements]
    written: set[str] = field(default_factory=set)  # articles whose graph was written in this build
    node_old: dict[str, list[str]] = field(default_factory=dict)
    node_new: dict[str, list[str]] = field(default_factory=dict)
    triples: int = 0  # in the merged graph

    def progress(self, stage: str, done: int = 0, total: int | None = None) -> None:
        if self.opts.on_progress is not None:
            self.opts.on_progress(stage, done, total)

    def lap(self, stage: str) -> None:
        now = time.perf_counter()
        self.report.timings[stage] = self.report.timings.get(stage, 0.0) + now - self.tick
        self.tick = now

    def on_error(self, err: InputError) -> None:
        if self.opts.strict:
            raise err
        self.report.failures.append(err)

    def outputs(self) -> dict[str, Path]:
        """name -> path of every whole-graph file: the formats asked for and graph.nq."""
        return {**{e.name: self.out / e.filename for e in self.exporters}, "nquads": self.out / NQUADS}

    def lines_of(self, aid: str) -> list[str]:
        return read_lines(self.cache, aid)

    def finish(self, *, graph: bool = True) -> BuildReport:
        """The report; its ``graph`` is read back from ``out`` on first use (``graph=False``: an empty graph)."""
        from ..store.output import load

        self.report.seconds = time.perf_counter() - self.started
        self.report._load = functools.partial(load, self.out) if graph else None
        return self.report


# --- the build --------------------------------------------------------------------------------------------


def _locked(func: Callable[..., BuildReport]) -> Callable[..., BuildReport]:
    """Run ``func(paths, out, ...)`` holding ``out/.lock``."""

    @functools.wraps(func)
    def wrapper(paths: Iterable[str | Path], out: str | Path, **options: Any) -> BuildReport:
        from ..sources import missing_paths
        from ..store.output import remove_stale_temporaries

        paths = list(paths)
        if missing := missing_paths(paths):  # a typo is a usage error, and leaves no empty output folder
            raise UsageError(f"no such file or directory: {', '.join(map(str, missing))}")
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        with _exclusive(out / LOCK_FILE):
            remove_stale_temporaries(out)  # a killed build's half-written files: nobody else writes here now
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
def build(paths: Iterable[str | Path], out: str | Path, **options: Any) -> BuildReport:
    """Build (incrementally), validate against the SHACL shapes, and write every output into ``out``.

    Options are those of :class:`BuildOptions`. Holds ``out/.lock`` for the whole build: a second build
    into the same folder at the same time refuses with a StoreError naming the folder instead of
    interleaving writes. A shape violation raises :class:`~graph.errors.ShapeViolation` before any output
    is written, so the previous outputs stay as they were.
    """
    b = _open(Path(out), BuildOptions(**options))
    _scan(b, paths)
    _parse(b)
    if not b.current and b.report.failures:
        return b.finish(graph=False)  # nothing readable at all: every previous output stays as it was
    if _unchanged(b):
        return _keep(b)
    b.index = ResolutionIndex.open(b.out / CACHE_DIR / INDEX_FILE, _index_fingerprint(b.fingerprint))
    try:
        res = _resolve(b)
        _graphs(b, res)
        _update_store(b)
        _write_files(b)
        _save(b)
    finally:
        if b.pool is not None:
            b.pool.shutdown(cancel_futures=True)
        b.index.close()
    _clean_up(b)
    return b.finish()


def _open(out: Path, opts: BuildOptions) -> _Build:
    opts.formats = tuple(dict.fromkeys(opts.formats))
    exporters = [get_exporter(f) for f in opts.formats]
    check_executor(opts.executor, opts.scheduler)
    fingerprint = extractor_fingerprint(opts.model)
    manifest = Manifest.load(out)
    if manifest.extractor != fingerprint:
        manifest = Manifest()  # another model or other extraction code: nothing old can be trusted
    return _Build(out, opts, exporters, fingerprint, _settings(opts.base, opts.min_confidence), manifest,
                  ExtractionCache(out / CACHE_DIR, fingerprint))


def _settings(base: str, min_confidence: float) -> dict[str, object]:
    """What the RDF outputs depend on besides the extractions: a change re-maps and re-validates everything."""
    from ..vocab import ONTOLOGY_FILE, SHAPES_FILE

    mapping = code_digest("graph.rdf", "graph.vocab", files=(ONTOLOGY_FILE, SHAPES_FILE))
    return {"base": base, "min_confidence": min_confidence, "mapping": mapping}


def _scan(b: _Build, paths: Iterable[str | Path]) -> None:
    b.progress("scan")
    b.scan = scan_sources(paths, b.manifest, b.cache, b.on_error)
    b.states = dict(b.scan.states)
    b.lap("scan")


def _to_parse(b: _Build) -> Iterator[Article]:
    """The articles of the changed sources that the cache does not hold; cached ones are counted as reused."""
    queued: set[str] = set()
    for src, size, mtime, sidecar, content in b.scan.changed:
        ids: list[str] = []
        for art in read_articles([src], on_error=b.on_error, on_warning=b.report.warnings.append):
            ids.append(art.id)
            if art.id in queued:
                continue
            queued.add(art.id)
            cached = b.cache.lookup(art)
            if cached is None:
                if b.opts.on_article is not None:
                    b.opts.on_article(art)
                yield art
                continue
            bare = replace(art, text="")
            b.published[art.id] = bare.published
            if cached.article != bare:  # same text, new metadata (title, path ...): keep the facts
                b.cache.put(replace(cached, article=bare))
                b.retitled.add(art.id)
            b.report.reused += 1
            b.done += 1
            b.progress("parse", b.done, b.scan.expected)
        key = src.as_posix()
        if ids:
            b.states[key] = SourceState(size, mtime, sidecar, content, list(dict.fromkeys(ids)))
        elif (old := b.manifest.sources.get(key)) is not None and all(b.cache.path(a).exists() for a in old.articles):
            b.states[key] = old  # broken now, fine before: keep what it said (and report it)


def _parse(b: _Build) -> None:
    b.progress("parse", 0, b.scan.expected)

    def extraction_failed(err: ExtractionError) -> None:
        b.failed.add(err.article)
        b.on_error(err)
        b.done += 1
        b.progress("parse", b.done, b.scan.expected)

    articles = _to_parse(b)
    first = next(articles, None)  # the model is loaded only when some article really needs parsing
    if first is not None:
        o = b.opts
        runner = make_executor(o.executor, model=o.model, jobs=o.n_process, batch_size=o.batch_size,
                               scheduler=o.scheduler)
        try:
            for ex in runner.extract(itertools.chain([first], articles), on_error=extraction_failed):
                b.cache.put(ex)
                b.report.parsed.append(ex.article.id)
                b.published[ex.article.id] = ex.article.published
                b.done += 1
                b.progress("parse", b.done, b.scan.expected)
        finally:
            runner.close()
    for key, state in list(b.states.items()):  # a file's failed articles are not part of the graph
        if b.failed.intersection(state.articles):
            kept = [a for a in state.articles if a not in b.failed]
            if kept:
                b.states[key] = replace(state, articles=kept)
            else:
                del b.states[key]
    b.current = sorted({a for s in b.states.values() for a in s.articles})
    b.report.removed = sorted(b.manifest.article_ids() - set(b.current))
    b.lap("parse")


def _output_kept(recorded: dict[str, Any] | None, path: Path) -> bool:
    """Is a whole-graph file as the last build left it? (One it skipped may since have been exported on request.)"""
    if recorded is None:
        return False
    if recorded.get("skipped"):
        return True
    return path.is_file() and path.stat().st_size == recorded.get("size")


def _unchanged(b: _Build) -> bool:
    m = b.manifest
    return (not b.scan.changed and set(b.states) == set(m.sources) and m.settings == b.settings
            and not is_pending(b.out) and (b.out / STORE_DIR).is_dir()
            and all(_output_kept(m.outputs.get(name), p) for name, p in b.outputs().items()))


def _keep(b: _Build) -> BuildReport:
    """Nothing changed: no file is written (a touched file's new stat is recorded)."""
    if b.scan.touched:
        b.manifest.sources = b.states
        b.manifest.save(b.out)
    b.report.changed = False
    b.report.skipped = [n for n in b.outputs() if b.manifest.outputs[n].get("skipped")]
    b.report.outputs = {n: p for n, p in b.outputs().items() if n not in b.report.skipped}
    b.report.counts = dict(b.manifest.counts)
    return b.finish()


def _index_fingerprint(extractor: str) -> str:
    """The index is valid for one extractor and one version of the resolution code."""
    return digest(extractor, code_digest("graph.resolution"))


def _resolve(b: _Build) -> Resolution:
    """Bring the index to the articles of this build; what changed is left in ``b.change``.

    New articles go in by publication date (the index places a newer article cheaply), streamed from the
    cache in one update, so that memory holds a chunk of extractions at a time.
    """
    assert b.index is not None
    b.progress("merge")
    m = b.manifest
    b.full = not (b.out / STORE_DIR).is_dir() or is_pending(b.out) or m.settings != b.settings or not m.sources
    if b.opts.n_process > 1 and (b.full or len(b.report.parsed) > VALIDATION_CHUNK):
        b.pool = view_pool(b.opts.n_process)  # the workers start up while the index resolves
    index, cur = b.index, set(b.current)
    removed = sorted(index.articles - cur)
    todo = sorted((cur - index.articles) | (set(b.report.parsed) & index.articles))

    def when(aid: str) -> tuple[str, str]:
        if aid not in b.published:
            ex = b.cache.get(aid)
            b.published[aid] = ex.article.published if ex is not None else None
        return (b.published[aid] or "9999-99-99", aid)

    todo.sort(key=when)

    def stream() -> Iterator[Extraction]:
        for i in range(0, len(todo), INDEX_CHUNK):
            yield from load_extractions(b.cache, todo[i:i + INDEX_CHUNK])

    change = index.update(stream(), removed=removed, checkpoint_every=INDEX_CHUNK if len(todo) > INDEX_CHUNK else 0)
    exists = {k for k in change.nodes | change.gone if k in index.entities or k in index.agreements}
    change.nodes &= exists
    change.gone -= exists
    change.articles &= cur
    b.change = change
    b.lap("merge")
    return index.resolution()


def _graphs(b: _Build, res: Resolution) -> None:
    """Map and validate the article graphs and nodes that changed; a full build starts the store's reload."""
    assert b.index is not None and b.change is not None
    b.progress("validate")
    same = b.manifest.settings == b.settings
    cur = set(b.current)
    candidates = cur if b.full or not same else (b.change.articles | b.retitled) & cur
    old_digests = b.manifest.views if same else {}
    b.view_digests = {a: d for a, d in old_digests.items() if a in cur}
    b.sizes = {a: n for a, n in b.manifest.sizes.items() if a in cur} if same else {}
    if b.full or len(candidates) >= RELOAD_SHARE * len(b.current):
        b.loader = StoreReload(b.out, b.lines_of, b.opts.base, slice_lines=LOAD_SLICE)  # loads beside the build
    try:
        node_keys = None if b.full or not same else b.change.nodes | b.change.gone
        b.node_old, b.node_new = node_graphs(b.index, node_keys, b.opts.base)
        if b.loader is not None:
            index = b.index
            b.loader.nodes(index.node_lines[k][1] for k in sorted(index.node_lines.key_set()))
        made = article_graphs(sorted(candidates), b.cache, res, old_digests, b.opts.base, b.opts.min_confidence,
                              b.opts.n_process, b.index, on_done=b.loader.articles if b.loader else None,
                              pool=b.pool)
        for aid, (d, n) in made.items():
            b.view_digests[aid], b.sizes[aid] = d, n
    except BaseException:
        if b.loader is not None:
            b.loader.abort()
        raise
    if b.pool is not None:
        b.pool.shutdown()
        b.pool = None
    b.written = {a for a in candidates if b.view_digests.get(a) != old_digests.get(a) or a in b.report.parsed}
    b.lap("validate")


def _update_store(b: _Build) -> None:
    b.progress("store")
    if b.loader is not None:
        try:
            b.triples = b.loader.finish(b.current)
        except BaseException:
            b.loader.abort()
            raise
    else:
        b.triples = patch_store(b.out, b.lines_of, written=sorted(b.written), removed=b.report.removed,
                                node_old=b.node_old, node_new=b.node_new, base=b.opts.base,
                                triples=b.manifest.counts.get("triples"))
    b.lap("store")


def _dataset(b: _Build) -> Dataset:
    """The graph as this build holds it: the nodes' lines from the index, the articles' from the cache."""
    assert b.index is not None
    stored = b.index.node_lines
    node_lines = sorted({ln for key in stored for ln in stored[key][1]})
    merged = set(node_lines)
    for aid in b.current:
        merged.update(b.lines_of(aid))
    base = b.opts.base

    def named() -> Iterator[tuple[str, list[str]]]:
        graphs = sorted([(article_graph_iri(a, base), a) for a in b.current] + [(graph_iri(NODES, base), "")])
        for iri, aid in graphs:
            yield iri, b.lines_of(aid) if aid else node_lines

    return Dataset(base, sorted(merged), named)


def _write_files(b: _Build) -> None:
    """graph.nq and the formats asked for, while the merged graph is within ``export_limit``; else none."""
    assert b.index is not None
    b.progress("write")
    r = b.report
    r.counts = {"articles": len(b.current), "entities": b.index.n_entities, "agreements": b.index.n_agreements,
                "relations": sum(n[0] for n in b.sizes.values()), "statements": sum(n[1] for n in b.sizes.values()),
                "triples": b.triples}
    outputs = b.outputs()
    if not b.opts.export_limit or b.triples <= b.opts.export_limit:
        write_all(outputs, _dataset(b))
    else:
        for name, p in outputs.items():
            p.unlink(missing_ok=True)  # a stale view of the store is worse than none
            r.skipped.append(name)
    r.outputs = {n: p for n, p in outputs.items() if n not in r.skipped}
    b.lap("export")


def _save(b: _Build) -> None:
    assert b.index is not None
    files: dict[str, dict[str, Any]] = {
        name: {"path": p.name, "skipped": True} if name in b.report.skipped else {"path": p.name,
                                                                                  "size": p.stat().st_size}
        for name, p in b.outputs().items()}
    Manifest(extractor=b.fingerprint, settings=b.settings, sources=b.states, views=b.view_digests, sizes=b.sizes,
             outputs=files, counts=b.report.counts).save(b.out)
    b.index.save()


def _clean_up(b: _Build) -> None:
    clear_pending(b.out)
    for aid in b.cache.ids() - set(b.current):
        b.cache.discard(aid)
        view_path(b.cache, aid).unlink(missing_ok=True)
    b.lap("manifest")
