"""The whole job, as functions: paths -> articles -> extractions -> merged KnowledgeGraph -> validated files.

``build_graph`` does no writing; ``build`` is incremental and writes ``out/``:

    store/                     the embedded Oxigraph store: one named graph per article, ``graph/nodes``
                               (every merged node's description) and ``graph/merged`` (their union)
    graph.ttl, graph.html ...  the exporters' files (``formats``), and graph.nq, the whole dataset, while
                               the merged graph has at most ``export_limit`` triples (see DEFAULT_EXPORT_LIMIT)
    manifest.json              sources (size, mtime, hash, article ids) and what was built from them
    cache/<id>.json            each article's Extraction, so an unchanged article is never parsed again
    cache/<id>.nt              each article's named graph as sorted N-Triples
    cache/_index.sqlite        the resolution index (graph.index) and each merged node's lines and digest

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
check; the cached pieces are re-validated whenever rdf.py, vocab.py, the ontology or the shapes change.)
A ShapeViolation is raised before the store or any file is touched, and the index is not saved then.

Failures of single inputs are collected, not raised (unless ``strict``), so one bad file never costs the others.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import os
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .cache import ExtractionCache, extractor_fingerprint
from .errors import ExtractionError, InputError, StoreError
from .executors import check_executor
from .exporters import get_exporter
from .index import Change, ResolutionIndex
from .keys import digest
from .merge import Resolution, article_view, merge_extractions
from .model import KnowledgeGraph
from .nlp.confidence import DEFAULT_MIN_CONFIDENCE  # re-exported: builds leave out relations below it
from .rdf import warm_up as rdf_warm_up
from .reading import SIDECAR_SUFFIX, ReadWarning, iter_sources, read_articles
from .records import Agreement, Article, Entity, Extraction
from .store import (
    MERGED,
    NODES,
    STORE_DIR,
    Manifest,
    SourceState,
    StoreLoader,
    apply_changes,
    clear_pending,
    graph_iri,
    is_pending,
    mark_pending,
    open_store,
)
from .vocab import DEFAULT_BASE

#: Held for the whole of a build (see _exclusive).
LOCK_FILE = ".lock"

NQUADS = "graph.nq"
CACHE_DIR = "cache"
INDEX_FILE = "_index.sqlite"  # not an article id: ExtractionCache.ids() skips names starting with "_"
#: When at least this share of the article graphs changed, the store is loaded again whole (bulk loader).
RELOAD_SHARE = 0.3
#: Quads handed to Oxigraph's bulk loader at a time: its memory grows with what it is given at once, and
#: smaller slices make a larger store (100,000 at a time: half as large again). The last slice is loaded
#: after the article graphs are done.
LOAD_SLICE = 200_000
#: Merged nodes read from the index at a time (and its checkpoint interval) when many changed.
NODE_CHUNK = 2000
#: Extractions read from the cache at a time (and the index's checkpoint interval) when many articles are new.
INDEX_CHUNK = 500
#: Whole-graph files (graph.nq and the exporters' files) are rewritten by a build while the merged graph has
#: at most this many triples; past it the store alone is kept up to date (``newsgraph export`` writes them).
DEFAULT_EXPORT_LIMIT = 100_000
#: Article graphs mapped together (one task for a worker process).
VALIDATION_CHUNK = 100
#: Article graphs per SHACL validation call: pyrudof's cost per triple grows with the size of what it is
#: given, and falls with fewer calls; ten article graphs at a time cost least (3.4 ms an article, 4.3 at 100).
VALIDATE_BATCH = 10
#: Merged nodes mapped and validated per call, for the same reason.
NODE_BATCH = 200

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
    skipped: list[str] = field(default_factory=list)  # whole-graph files not written (see DEFAULT_EXPORT_LIMIT)
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

    on_error = _handlers(strict, fail_list)
    articles = read_articles(paths, on_error=on_error, on_warning=warn_list.append)
    ex = make_executor(executor, model=model, jobs=n_process, batch_size=batch_size, scheduler=scheduler)
    try:
        yield from ex.extract(counted(articles), on_error=on_error)
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


def _output_kept(recorded: dict[str, Any] | None, path: Path) -> bool:
    """Is a whole-graph file as the last build left it? (One it skipped may since have been exported on request.)"""
    if recorded is None:
        return False
    if recorded.get("skipped"):
        return True
    return path.is_file() and path.stat().st_size == recorded.get("size")


def _quads(lines: Iterable[str], graph: str) -> Iterator[str]:
    suffix = f" <{graph}> ."
    for line in lines:
        yield line[:-2] + suffix  # "s p o ." -> "s p o <g> ."


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
    export_limit: int | None = DEFAULT_EXPORT_LIMIT,
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
    published: dict[str, str | None] = {}  # publication dates seen in this run (the index takes articles by date)
    retitled: set[str] = set()  # cached articles whose metadata changed: their named graphs change
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
                published[art.id] = bare.published
                if cached.article != bare:  # same text, new metadata (title, path ...): keep the facts
                    cache.put(replace(cached, article=bare))
                    retitled.add(art.id)
                report.reused += 1
                done += 1
                progress("parse", done, scan.expected)
            if ids:
                states[src.as_posix()] = SourceState(size, mtime, sidecar, content, list(dict.fromkeys(ids)))
            elif (old := manifest.sources.get(src.as_posix())) is not None and all(
                    cache.path(a).exists() for a in old.articles):
                states[src.as_posix()] = old  # broken now, fine before: keep what it said (and report it)

    failed: set[str] = set()  # articles whose extraction failed: reported, left out, tried again next time

    def extraction_failed(err: ExtractionError) -> None:
        nonlocal done
        failed.add(err.article)
        on_error(err)
        done += 1
        progress("parse", done, scan.expected)

    articles = to_parse()
    first = next(articles, None)  # the model is loaded only when some article really needs parsing
    if first is not None:
        from .executors import make_executor

        ex_runner = make_executor(executor, model=model, jobs=n_process, batch_size=batch_size, scheduler=scheduler)
        try:
            for ex in ex_runner.extract(itertools.chain([first], articles), on_error=extraction_failed):
                cache.put(ex)
                report.parsed.append(ex.article.id)
                published[ex.article.id] = ex.article.published
                done += 1
                progress("parse", done, scan.expected)
        finally:
            ex_runner.close()
    for key, state in list(states.items()):  # a file's failed articles are not part of the graph
        if failed.intersection(state.articles):
            kept = [a for a in state.articles if a not in failed]
            if kept:
                states[key] = replace(state, articles=kept)
            else:
                del states[key]
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
        and all(_output_kept(manifest.outputs.get(name), p) for name, p in outputs.items())
    )
    if unchanged:
        if scan.touched:
            manifest.sources = states
            manifest.save(out)
        report.changed = False
        report.skipped = [n for n in outputs if manifest.outputs[n].get("skipped")]
        report.outputs = {n: p for n, p in outputs.items() if n not in report.skipped}
        report.counts = dict(manifest.counts)
        report._load = lambda: _load_graph(cache, current, min_confidence)
        report.seconds = time.perf_counter() - started
        return report

    # --- merge: the resolution index clusters again only what the change touches -----------------------
    progress("merge", 0, None)
    cur = set(current)
    full = (not (out / STORE_DIR).is_dir() or is_pending(out) or manifest.settings != settings
            or not manifest.sources)
    index = ResolutionIndex.open(out / CACHE_DIR / INDEX_FILE, _index_fingerprint(fingerprint))
    # the view workers start up while the index resolves, when many article graphs are sure to be made
    pool = _view_pool(n_process) if n_process > 1 and (full or len(report.parsed) > VALIDATION_CHUNK) else None
    try:
        change = _update_index(index, cache, current, set(report.parsed), published)
        res = index.resolution()
        lap("merge")

        # --- article graphs and validation ----------------------------------------------------------
        progress("validate", 0, None)
        same_settings = manifest.settings == settings
        candidates = cur if full or not same_settings else (change.articles | retitled) & cur
        reload = full or len(candidates) >= RELOAD_SHARE * len(current)
        old_digests = manifest.views if same_settings else {}
        view_digests = {a: d for a, d in old_digests.items() if a in cur}
        sizes = {a: n for a, n in manifest.sizes.items() if a in cur} if same_settings else {}
        # a new store is bulk-loaded in a background thread while the article graphs are still being made
        loader = _Reload(out, cache, base) if reload else None
        try:
            node_keys = None if full or not same_settings else change.nodes | change.gone
            node_old, node_new = _nodes(index, node_keys, base)
            if loader is not None:
                loader.nodes(index)
            for aid, (d, n) in _views(sorted(candidates), cache, res, old_digests, base, min_confidence,
                                      n_process, index, on_done=loader.articles if loader else None,
                                      pool=pool).items():
                view_digests[aid], sizes[aid] = d, n
            if pool is not None:
                pool.shutdown()
                pool = None
            written = {a for a in candidates if view_digests.get(a) != old_digests.get(a) or a in report.parsed}
            lap("validate")

            # --- the store ------------------------------------------------------------------------------
            progress("store", 0, None)
            if loader is not None:
                triples = loader.finish(current)
        except BaseException:
            if loader is not None:
                loader.abort()
            raise
        if loader is None:
            triples = _patch_store(out, cache, written=sorted(written), removed=report.removed, node_old=node_old,
                                   node_new=node_new, base=base, triples=manifest.counts.get("triples"))
        lap("store")

        # --- whole-graph files, manifest ------------------------------------------------------------------
        progress("write", 0, None)
        report.counts = {"articles": len(current), "entities": index.n_entities, "agreements": index.n_agreements,
                         "relations": sum(n[0] for n in sizes.values()),
                         "statements": sum(n[1] for n in sizes.values()), "triples": triples}
        report._load = lambda: _load_graph(cache, current, min_confidence)
        whole = not export_limit or triples <= export_limit
        written_files: dict[str, dict[str, Any]] = {}
        if whole:
            _write_whole(out, exporters, report, base, current, cache, index)
        for name, p in outputs.items():
            if whole:
                written_files[name] = {"path": p.name, "size": p.stat().st_size}
            else:
                p.unlink(missing_ok=True)  # a stale view of the store is worse than none
                written_files[name] = {"path": p.name, "skipped": True}
                report.skipped.append(name)
        lap("export")
        manifest = Manifest(extractor=fingerprint, settings=settings, sources=states, views=view_digests,
                            sizes=sizes, outputs=written_files, counts=report.counts)
        manifest.save(out)
        index.save()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        index.close()
    clear_pending(out)
    for aid in cache.ids() - cur:
        cache.discard(aid)
        _view_path(cache, aid).unlink(missing_ok=True)
    lap("manifest")
    report.outputs = {n: p for n, p in outputs.items() if n not in report.skipped}
    report.seconds = time.perf_counter() - started
    return report


def _index_fingerprint(extractor: str) -> str:
    """The index is valid for one extractor and one version of the merge rules."""
    here = Path(__file__).parent
    return digest(extractor, *((here / f).read_text(encoding="utf-8") for f in ("merge.py", "index.py")))


def _update_index(index: ResolutionIndex, cache: ExtractionCache, current: list[str], parsed: set[str],
                  published: dict[str, str | None]) -> Change:
    """Bring the index to the articles ``current``; what changed.

    New articles go in by publication date (the index places a newer article cheaply), streamed from the
    cache in one update, so that memory holds a chunk of extractions at a time.
    """
    cur = set(current)
    removed = sorted(index.articles - cur)
    todo = sorted((cur - index.articles) | (parsed & index.articles))

    def when(aid: str) -> tuple[str, str]:
        if aid not in published:
            ex = cache.get(aid)
            published[aid] = ex.article.published if ex is not None else None
        return (published[aid] or "9999-99-99", aid)

    todo.sort(key=when)

    def stream() -> Iterator[Extraction]:
        for i in range(0, len(todo), INDEX_CHUNK):
            yield from _load_extractions(cache, todo[i:i + INDEX_CHUNK])

    change = index.update(stream(), removed=removed, checkpoint_every=INDEX_CHUNK if len(todo) > INDEX_CHUNK else 0)
    exists = {k for k in change.nodes | change.gone if k in index.entities or k in index.agreements}
    change.nodes &= exists
    change.gone -= exists
    change.articles &= cur
    return change


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


def _view_pool(jobs: int) -> ProcessPoolExecutor:
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


def _views(ids: list[str], cache: ExtractionCache, res: Resolution, old: dict[str, str], base: str,
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
            for ex in _load_extractions(cache, ids[i:i + VALIDATION_CHUNK]):
                aid = ex.article.id
                view = article_view(ex, res, min_confidence=min_confidence)
                d = _view_digest(view, base)
                digests[aid] = (d, [len(view.relations), len(view.statements)])
                if old.get(aid) != d or not _view_path(cache, aid).is_file():
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
        with contextlib.nullcontext(pool) if pool is not None else _view_pool(jobs) as workers:
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
    from .rdf import to_ntriples, validate_ntriples

    texts = []
    for aid, view in views:
        text = to_ntriples(view, base=base)
        (Path(folder) / f"{aid}.nt").write_text(text, encoding="utf-8")
        texts.append(text)
    for i in range(0, len(texts), VALIDATE_BATCH):
        validate_ntriples("".join(texts[i:i + VALIDATE_BATCH]))


def _nodes(index: ResolutionIndex, keys: set[str] | None, base: str) -> tuple[dict[str, list[str]],
                                                                           dict[str, list[str]]]:
    """Map and validate the merged nodes ``keys`` (None: every node) whose description changed.

    Each merged actor and agreement is described in the nodes graph (no mentions, no articles); the
    index keeps, per node, a digest of its record and its lines, and a node whose digest is unchanged is
    neither mapped nor validated again. Returns the old and the new lines of the nodes that changed or went.
    """
    from .rdf import node_iri, to_ntriples, validate_ntriples

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


def _view_path(cache: ExtractionCache, aid: str) -> Path:
    return cache.folder / f"{aid}.nt"


class _Reload:
    """A new store from every article graph and the nodes graph (the merged graph is their union).

    The nodes graph goes first (:meth:`nodes`), article graphs as they are written (:meth:`articles`);
    :meth:`finish` adds the rest and swaps the store in. The loading runs beside the build (see StoreLoader).
    """

    def __init__(self, out: Path, cache: ExtractionCache, base: str) -> None:
        self.out, self.cache, self.base = out, cache, base
        self.merged, self.nodes_graph = graph_iri(MERGED, base), graph_iri(NODES, base)
        self.loader = StoreLoader(out, slice_lines=LOAD_SLICE)
        self.done: set[str] = set()

    def articles(self, ids: Iterable[str]) -> None:
        for aid in ids:
            if aid not in self.done:
                self.done.add(aid)
                lines = _read_lines(self.cache, aid)
                self.loader.add(_quads(lines, graph_iri(aid, self.base)))
                self.loader.add(_quads(lines, self.merged))

    def nodes(self, index: ResolutionIndex) -> None:
        """The nodes graph, as the index holds it (see _nodes)."""
        for key in sorted(index.node_lines.key_set()):
            lines = index.node_lines[key][1]
            self.loader.add(_quads(lines, self.nodes_graph))
            self.loader.add(_quads(lines, self.merged))

    def finish(self, current: list[str]) -> int:
        """Load the article graphs not handed over yet and swap the store in; the merged graph's size."""
        self.articles(current)
        mark_pending(self.out)
        self.loader.commit()
        store = open_store(self.out)
        try:
            return _count(store, self.merged)
        finally:
            del store

    def abort(self) -> None:
        self.loader.abort()


def _count(store: ox.Store, graph: str) -> int:
    rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return int(next(iter(rows))["n"].value)  # type: ignore[index,union-attr,arg-type]


def _triple(line: str) -> ox.Triple:
    return next(iter(ox.parse(line, ox.RdfFormat.N_TRIPLES)))  # type: ignore[return-value]


def _store_form(lines: Iterable[str]) -> list[str]:
    """N-Triples lines as the store writes them back, so that equal triples compare equal as text."""
    return [f"{t.subject} {t.predicate} {t.object} ." for t in ox.parse("\n".join(lines), ox.RdfFormat.N_TRIPLES)]


def _graph_lines(store: ox.Store, graph: str) -> list[str]:
    return [f"{q.subject} {q.predicate} {q.object} ." for q in store.quads_for_pattern(None, None, None,
                                                                                      ox.NamedNode(graph))]


def _patch_store(out: Path, cache: ExtractionCache, *, written: list[str], removed: list[str],
                 node_old: dict[str, list[str]], node_new: dict[str, list[str]], base: str,
                 triples: int | None) -> int:
    """Bring the store up to date with one atomic update that follows the change; the merged graph's size.

    The merged graph is the union of the nodes graph and the article graphs, so a triple leaves it only
    when no graph still holds it: every candidate for deletion is looked up in the store.
    """
    merged, nodes = graph_iri(MERGED, base), graph_iri(NODES, base)
    store = open_store(out)
    try:
        replaced = {graph_iri(a, base) for a in [*written, *removed]}
        # lines as the store writes them ("0.900"^^xsd:decimal is "0.9"), so that equal triples compare equal
        new_views = {a: _store_form(_read_lines(cache, a)) for a in written}
        old_node_lines = set(_store_form(ln for lines in node_old.values() for ln in lines))
        new_node_lines = set(_store_form(ln for lines in node_new.values() for ln in lines))
        node_delete = sorted(old_node_lines - new_node_lines)
        node_insert = sorted(new_node_lines - old_node_lines)
        insert = {ln for lines in new_views.values() for ln in lines} | set(node_insert)
        candidates = set(node_delete)
        for g in sorted(replaced):
            candidates.update(_graph_lines(store, g))
        candidates -= insert
        keep_graphs = {merged, nodes} | replaced
        gone_nodes = set(node_delete)
        delete = []
        for line in sorted(candidates):
            t = _triple(line)
            holders = {q.graph_name.value for q in store.quads_for_pattern(t.subject, t.predicate, t.object, None)}
            if merged not in holders:
                continue
            if nodes in holders and line not in gone_nodes:
                continue
            if holders - keep_graphs:
                continue
            delete.append(line)
        if triples is None:
            triples = _count(store, merged)
        added = 0
        for line in sorted(insert):
            t = _triple(line)
            if ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(merged)) not in store:
                added += 1
        mark_pending(out)
        apply_changes(store, drop=sorted(replaced), delete={merged: delete, nodes: node_delete},
                      insert={merged: sorted(insert), nodes: node_insert,
                              **{graph_iri(a, base): lines for a, lines in new_views.items()}})
        return triples + added - len(delete)
    finally:
        del store


def _write_whole(out: Path, exporters: list, report: BuildReport, base: str, current: list[str],
                 cache: ExtractionCache, index: ResolutionIndex) -> None:
    """graph.nq and the exporters' files: from the article graphs and the nodes graph as the build wrote them
    (sorted), and, for the exporters that need records, from the merged graph."""
    merged_iri, nodes_iri = graph_iri(MERGED, base), graph_iri(NODES, base)
    node_lines = sorted({ln for key in index.node_lines for ln in index.node_lines[key][1]})
    merged = set(node_lines)
    for aid in current:
        merged.update(_read_lines(cache, aid))
    merged_sorted = sorted(merged)
    del merged
    graphs = sorted([(graph_iri(a, base), a) for a in current] + [(merged_iri, MERGED), (nodes_iri, NODES)])
    nq = _AtomicLines(out / NQUADS)
    try:
        for iri, aid in graphs:
            lines = merged_sorted if aid == MERGED else node_lines if aid == NODES else _read_lines(cache, aid)
            nq.write(_quads(lines, iri))
        nq.commit()
    except BaseException:
        nq.discard()
        raise
    merged_nt = "\n".join(merged_sorted) + "\n" if merged_sorted else ""
    del merged_sorted
    for exp in exporters:
        target = out / exp.filename
        if exp.from_ntriples is not None:
            exp.write_ntriples(merged_nt, target, base=base)
        else:
            exp.write(report.graph, target, base=base)
