"""The graph without a build folder: extractions streamed from articles, merged in one go, nothing written."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..model import KnowledgeGraph
from ..records import Article, Extraction
from ..resolution.merge import merge_extractions
from ..sources import ReadWarning, read_articles
from .executors import make_executor
from .options import BuildOptions
from .settings import DEFAULT_MIN_CONFIDENCE


def _handlers(strict: bool, failures: list[InputError]) -> Callable[[InputError], None]:
    def on_error(err: InputError) -> None:
        if strict:
            raise err
        failures.append(err)

    return on_error


def iter_extractions(paths: Iterable[str | Path], *, failures: list[InputError] | None = None,
                     warnings: list[ReadWarning] | None = None, **options: Any) -> Iterator[Extraction]:
    """Stream extractions, one per readable article (no cache, nothing written); failures go to ``failures``.

    Takes the options of :class:`BuildOptions`; those about writing are accepted and not used.
    """
    opts = BuildOptions(**options)
    on_error = _handlers(opts.strict, failures if failures is not None else [])

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for art in articles:
            if opts.on_article is not None:
                opts.on_article(art)
            yield art

    warn = warnings.append if warnings is not None else None
    articles = read_articles(paths, on_error=on_error, on_warning=warn)
    ex = make_executor(opts.executor, model=opts.model, jobs=opts.n_process, batch_size=opts.batch_size,
                       scheduler=opts.scheduler)
    try:
        yield from ex.extract(counted(articles), on_error=on_error)
    finally:
        ex.close()


def build_graph(paths: Iterable[str | Path], **options: Any) -> KnowledgeGraph:
    """The merged graph of the articles under ``paths``, as ``build`` would write it; nothing is written.

    Takes the options of :class:`BuildOptions` (``min_confidence`` leaves out weaker relations, as the build does).
    """
    min_confidence = options.get("min_confidence", DEFAULT_MIN_CONFIDENCE)
    return merge_extractions(iter_extractions(paths, **options)).filter_confidence(min_confidence)
