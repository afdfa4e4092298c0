"""What every reader shares: the warning record, the handler types, article ids and printable names."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple, Protocol

from ..errors import InputError
from ..records import Article

log = logging.getLogger("graph.sources")

#: A NUL byte in this many leading bytes marks a file as binary.
SNIFF_BYTES = 8192
#: ``NAME.meta.json`` beside ``NAME.txt`` (or .md, .html, .htm) carries the article's metadata.
SIDECAR_SUFFIX = ".meta.json"
#: Metadata keys read from sidecars and JSONL lines; each is a field of :class:`Article`.
META_KEYS = ("title", "published", "source", "author", "url", "language")

NO_ARTICLES = "no articles (.txt, .md, .html, .jsonl) found"
EMPTY = "empty article"
BINARY = "not text (binary?)"


class ReadWarning(NamedTuple):
    """A problem that did not cost an article (bad sidecar date, unreadable sidecar); the article is kept."""

    path: str
    reason: str


ErrorHandler = Callable[[InputError], None]
WarningHandler = Callable[[ReadWarning], None]


class Reader(Protocol):
    """Reads one file. Raises InputError when the whole file is unusable; reports per-record
    problems (one bad JSONL line) to ``on_error`` and non-fatal ones to ``on_warning``.

    Called with only a path it behaves as a ``Callable[[Path], Iterator[Article]]``.
    """

    def __call__(
        self, path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
    ) -> Iterator[Article]: ...


def article_id(text: str) -> str:
    """16 hex digits of sha256 over the normalized text: the same article gets the same id from any path."""
    normalized = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def path_name(path: str | Path) -> str:
    """A path as valid Unicode: bytes of a file name that are not UTF-8 (``os.fsdecode`` keeps them as lone
    surrogates, which no UTF-8 output can hold) become ``\\xNN``. What articles and errors carry."""
    name = path.as_posix() if isinstance(path, Path) else str(path)
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")


#: Characters that move the cursor, end a line or reorder text on a terminal: C0/C1 controls, DEL, the
#: Unicode line and paragraph separators and the bidirectional embeddings, overrides and isolates.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


def printable(text: str | Path) -> str:
    """``text`` safe to print on one terminal line: not-UTF-8 bytes as ``\\xNN`` (see :func:`path_name`),
    control, line-breaking and bidi characters as ``\\n``, ``\\x1b``, ``\\u202e``: a file named
    ``"a\\nfailed: b.txt"`` cannot forge a line of the build's report, nor an escape sequence reach the terminal."""
    name = path_name(text)
    return _UNPRINTABLE.sub(_escape, name)


def _escape(m: re.Match[str]) -> str:
    ch = m.group()
    short = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}.get(ch)
    if short:
        return short
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def warn(warning: ReadWarning, on_warning: WarningHandler | None) -> None:
    if on_warning is None:
        log.warning("%s: %s", warning.path, warning.reason)
    else:
        on_warning(warning)


def report(err: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise err
    on_error(err)
