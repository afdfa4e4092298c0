"""Where the per-article NLP runs: in this process or ``n_process`` worker processes (spaCy's ``nlp.pipe``), or on Dask.

Both take a stream of articles and yield one Extraction per article, in any order (the build caches each
result by article id and merges in id order, so the order never shows in the outputs). Memory stays
flat: articles are pulled from the stream only as workers free up.

Dask: each task is a batch of articles; a worker loads the model once (a worker plugin warms it at
start-up, and :func:`graph.nlp.pipeline.load_model` is cached per process) and returns the extractions
in their compact cached form (no article text, shared sentences), which is also what crosses the wire.
"""

from __future__ import annotations

import itertools
import sys
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol

from ..errors import ExtractionError, UsageError
from ..records import Article, Extraction

#: What an executor does with an article whose extraction failed (None: raise it).
OnError = Callable[[ExtractionError], None] | None

__all__ = ["EXECUTORS", "DaskExecutor", "Executor", "LocalExecutor", "check_executor", "extract_batch", "make_executor"]

EXECUTORS = ("local", "dask")


class Executor(Protocol):
    """Runs the NLP stage: articles in, extractions out (order not guaranteed); failures go to ``on_error``."""

    def extract(self, articles: Iterable[Article], on_error: OnError = None) -> Iterator[Extraction]: ...

    def close(self) -> None: ...


class LocalExecutor:
    """spaCy's ``nlp.pipe`` with batching in ``n_process`` processes, each also running the extraction rules.

    With one process everything runs here. With more, each worker process (forked once the model is
    loaded, as spaCy's own ``n_process`` does) parses a batch with ``nlp.pipe`` and extracts it, and sends
    back the compact extractions rather than spaCy's serialised Docs: less to copy between processes,
    and the rules run beside the parsing instead of in this process, which has the rest of the build to
    do. Batches come back in order; at most ``2 * n_process + 1`` are in flight, so articles stay streamed.
    """

    def __init__(self, *, model: str | None = None, n_process: int = 1, batch_size: int = 16) -> None:
        self.model, self.n_process, self.batch_size = model, max(1, n_process), batch_size
        self._pool: Any = None

    def extract(self, articles: Iterable[Article], on_error: OnError = None) -> Iterator[Extraction]:
        from ..nlp.pipeline import load_model
        from ..nlp.windows import extract_articles

        nlp = load_model(self.model)
        if self.n_process == 1:
            for _article, result in extract_articles(nlp, articles, batch_size=self.batch_size):
                if not isinstance(result, ExtractionError):
                    yield result
                elif on_error is None:
                    raise result
                else:
                    on_error(result)
            return
        import multiprocessing
        from collections import deque

        # fork on Linux, as spaCy's n_process does there (the workers share the loaded model); elsewhere the
        # platform's default, where each worker loads the model itself
        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else None)
        self._pool = ctx.Pool(self.n_process, initializer=_ignore_interrupts)
        it = iter(articles)
        pending: deque = deque()

        def submit() -> bool:
            batch = list(itertools.islice(it, self.batch_size))
            if batch:
                pending.append(self._pool.apply_async(extract_batch, (batch, self.model, self.batch_size)))
            return bool(batch)

        while len(pending) < 2 * self.n_process + 1 and submit():
            pass
        while pending:
            rows = pending.popleft().get()
            submit()
            yield from _extractions(rows, on_error)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def extract_batch(articles: list[Article], model: str | None, batch_size: int = 16) -> list[dict[str, Any]]:
    """Run on a worker: parse and extract a batch; the model is loaded once per worker process.

    An article whose rules fail comes back as ``{"error": [path, reason, article id]}``, so the rest of
    its batch is kept.
    """
    from ..nlp.pipeline import load_model
    from ..nlp.windows import extract_articles
    from .cache import to_dict

    nlp = load_model(model)
    rows = []
    for _article, result in extract_articles(nlp, articles, batch_size=batch_size):
        if isinstance(result, ExtractionError):
            rows.append({"error": [result.path, result.reason, result.article]})
        else:
            rows.append(to_dict(result))
    return rows


def _ignore_interrupts() -> None:
    """In a worker: Ctrl-C is the build's to handle (it closes the pool), not each worker's to print."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _extractions(rows: list[dict[str, Any]], on_error: OnError) -> Iterator[Extraction]:
    """The extractions of :func:`extract_batch`'s rows; a failed article goes to ``on_error`` (None: raised)."""
    from .cache import from_dict

    for row in rows:
        if "error" not in row:
            yield from_dict(row)
            continue
        err = ExtractionError(*row["error"])
        if on_error is None:
            raise err
        on_error(err)


def _model_plugin(model: str | None) -> Any:
    """A worker plugin that loads the spaCy model when a worker starts, so the first task does not pay for it.

    Built on first use so that importing this module does not import dask; cloudpickle ships the class.
    """
    from distributed import WorkerPlugin

    class ModelPlugin(WorkerPlugin):
        name = "newsgraph-model"

        def setup(self, worker: Any) -> None:
            from graph.nlp.pipeline import load_model

            load_model(model)

    return ModelPlugin()


class DaskExecutor:
    """Batches of articles as tasks on a dask.distributed cluster (``scheduler`` address, or a local cluster).

    Without a scheduler address a ``LocalCluster`` of ``n_workers`` single-threaded processes is started
    and shut down again by :meth:`close`. At most ``2 * workers + 1`` batches are in flight at a time.
    """

    def __init__(self, *, model: str | None = None, scheduler: str | None = None, n_workers: int = 1,
                 batch_size: int = 16, client: Any = None) -> None:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("the dask executor needs dask.distributed: pip install 'dask[distributed]'") from None
        self.model, self.batch_size = model, batch_size
        self._cluster = None
        self._own_client = client is None
        if client is not None:
            self.client = client
        elif scheduler:
            try:
                self.client = Client(scheduler, timeout="30s")
            except (OSError, TimeoutError) as e:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
        else:
            self._cluster = LocalCluster(n_workers=max(1, n_workers), threads_per_worker=1, processes=True,
                                         dashboard_address=":0")
            self.client = Client(self._cluster)
        self.client.register_plugin(_model_plugin(model))

    def _workers(self) -> int:
        return max(1, len(self.client.scheduler_info().get("workers", {})))

    def extract(self, articles: Iterable[Article], on_error: OnError = None) -> Iterator[Extraction]:
        from dask.distributed import as_completed

        it = iter(articles)

        def next_batch() -> list[Article]:
            return list(itertools.islice(it, self.batch_size))

        pending = as_completed()
        for _ in range(2 * self._workers() + 1):
            batch = next_batch()
            if not batch:
                break
            pending.add(self.client.submit(extract_batch, batch, self.model, self.batch_size, pure=False))
        for future in pending:
            rows = future.result()
            future.release()
            batch = next_batch()
            if batch:
                pending.add(self.client.submit(extract_batch, batch, self.model, self.batch_size, pure=False))
            yield from _extractions(rows, on_error)

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def check_executor(kind: str, scheduler: str | None = None) -> None:
    """Refuse an unknown executor, or a scheduler address without the dask executor, before any work."""
    if kind not in EXECUTORS:
        raise UsageError(f"unknown executor {kind!r}; choose one of: {', '.join(EXECUTORS)}")
    if scheduler and kind != "dask":
        raise UsageError("--scheduler needs --executor dask")


def make_executor(kind: str = "local", *, model: str | None = None, jobs: int = 1, batch_size: int = 16,
                  scheduler: str | None = None) -> Executor:
    """The executor called ``kind`` ("local" or "dask"); a UsageError for anything else."""
    check_executor(kind, scheduler)
    if kind == "dask":
        return DaskExecutor(model=model, scheduler=scheduler, n_workers=jobs, batch_size=batch_size)
    return LocalExecutor(model=model, n_process=jobs, batch_size=batch_size)
