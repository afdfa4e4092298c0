"""Paths in, articles out: walk folders (scan), decode text (decode), read each file type (readers, html).

Everything streams, one article at a time, so a folder of ten thousand files never sits in memory.
A file (or JSONL line) that cannot be read is an :class:`InputError` naming it; whether that stops the
run is the caller's choice (``on_error``). Problems that do not cost an article, such as a malformed
sidecar date, are :class:`ReadWarning` s passed to ``on_warning`` (logged when no handler is given).

Article text is kept exactly as in the file apart from newlines (``\\r\\n`` and ``\\r`` become ``\\n``)
and leading/trailing whitespace, because later stages store character offsets into it. Paths in articles
and errors are valid Unicode (see :func:`path_name`); :func:`printable` makes them safe for a terminal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..records import Article
from .base import (
    BINARY,
    EMPTY,
    META_KEYS,
    NO_ARTICLES,
    SIDECAR_SUFFIX,
    SNIFF_BYTES,
    ErrorHandler,
    Reader,
    ReadWarning,
    WarningHandler,
    article_id,
    path_name,
    printable,
)
from .readers import READERS
from .scan import iter_sources, missing_paths

__all__ = [
    "BINARY", "EMPTY", "MAX_CHARS", "META_KEYS", "NO_ARTICLES", "READERS", "SIDECAR_SUFFIX", "SNIFF_BYTES",
    "ErrorHandler", "ReadWarning", "Reader", "WarningHandler", "article_id", "iter_sources", "missing_paths",
    "path_name", "printable", "read_articles", "read_path",
]


def read_path(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """The articles in one file, by suffix. Errors are raised when iterated; bad JSONL lines go to ``on_error``.

    A reader that cannot even be loaded (an ImportError: a dependency missing from the environment)
    fails this file, naming what is missing, and the next file is read.
    """
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"unknown file type {path.suffix!r}" if path.suffix else "no file suffix"
        raise InputError(path_name(path), f"{kind}; expected one of {', '.join(sorted(READERS))}")
    try:
        yield from reader(path, on_error=on_error, on_warning=on_warning)
    except ImportError as e:
        reason = str(e).replace("\n", " ")
        raise InputError(path_name(path), f"cannot read {path.suffix.lower()} files: {reason}") from None


def _remembering(on_error: ErrorHandler | None, handled: list[InputError]) -> ErrorHandler | None:
    """``on_error`` wrapped to record the error it was given (None stays None)."""
    if on_error is None:
        return None
    callback = on_error

    def report(err: InputError) -> None:
        handled[:] = [err]
        callback(err)

    return report


#: Longer articles are refused: no news article is that long (a 50 MB "article" is a data dump). Up to
#: it the NLP cost is linear in the length (graph.nlp.windows reads long texts in windows). ``max_chars``
#: raises the limit.
MAX_CHARS = 1_000_000


def read_articles(
    paths: Iterable[str | Path],
    *,
    on_error: ErrorHandler | None = None,
    on_warning: WarningHandler | None = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Article]:
    """Stream the articles under ``paths``. With ``on_error`` a failing file is reported and skipped;
    without it the first failure is raised. Warnings go to ``on_warning`` (or the log)."""
    handled: list[InputError] = []  # the error last passed to on_error, in case on_error re-raises it
    report = _remembering(on_error, handled)
    for source in iter_sources(paths, on_error=report):
        articles = read_path(source, on_error=report, on_warning=on_warning)
        while True:
            try:
                article = next(articles)
            except StopIteration:
                break
            except InputError as err:
                if report is None or (handled and handled[0] is err):
                    raise
                report(err)
                break
            if len(article.text) > max_chars:
                err = InputError(article.path or path_name(source), f"article too long: {len(article.text):,} "
                                 f"characters (limit {max_chars:,})")
                if report is None:
                    raise err
                report(err)
                continue
            yield article
