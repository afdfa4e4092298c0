"""One reader per file type: plain text, markdown and JSONL here, HTML in :mod:`graph.sources.html`.

``READERS`` maps a lower-case suffix to its reader; a new input format is one function and one entry.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError
from ..records import Article
from .base import BINARY, EMPTY, ErrorHandler, Reader, WarningHandler, path_name, report
from .decode import load_text, normalize, read_head
from .html import read_html
from .meta import make_article, metadata, sidecar, valid_unicode


def read_txt(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """A plain-text file is one article; metadata only from its sidecar."""
    text = load_text(path, on_warning)
    yield make_article(text, path_name(path), sidecar(path, on_warning))


_CLOSING_HASHES = re.compile(r"\s+#+$")


def md_title(text: str) -> str | None:
    """The ATX heading ``# Title`` on the first line, without a closing ``#`` sequence."""
    first = text.split("\n", 1)[0]
    if not first.startswith("# "):
        return None
    return _CLOSING_HASHES.sub("", first[2:].strip()).strip() or None


def read_md(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """Markdown stays markdown (offsets index the file as written); only the title is taken from ``# ...``."""
    text = load_text(path, on_warning)
    meta: dict[str, str] = {}
    title = md_title(text)
    if title:
        meta["title"] = title
    meta.update(sidecar(path, on_warning))
    yield make_article(text, path_name(path), meta)


def read_jsonl(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """One article per line (UTF-8, ``text`` required); a bad line goes to ``on_error`` and the next is read."""
    base = path_name(path)
    if b"\x00" in read_head(path):
        raise InputError(base, BINARY)
    seen = False
    try:
        with path.open("rb") as f:
            for lineno, raw in enumerate(f, 1):
                if not raw.strip():
                    continue
                seen = True
                where = f"{base}:{lineno}"
                article = _jsonl_line(raw, where, on_warning)
                if isinstance(article, InputError):
                    report(article, on_error)
                else:
                    yield article
    except OSError as e:
        raise InputError(base, f"cannot read ({e.strerror or e})") from None
    if not seen:
        raise InputError(base, EMPTY)


def _jsonl_line(raw: bytes, where: str, on_warning: WarningHandler | None) -> Article | InputError:
    try:
        line = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return InputError(where, "not valid UTF-8")
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as e:
        return InputError(where, f"not valid JSON ({e.msg}, column {e.colno})")
    if not isinstance(obj, dict):
        return InputError(where, f"not a JSON object ({type(obj).__name__})")
    if "text" not in obj:
        return InputError(where, "no 'text' field")
    if not isinstance(obj["text"], str):
        return InputError(where, f"'text' is not a string ({type(obj['text']).__name__})")
    text = normalize(obj["text"])
    if not text:
        return InputError(where, "'text' is empty")
    if not valid_unicode(text):
        return InputError(where, "'text' is not valid Unicode (lone surrogate)")
    return make_article(text, where, metadata(obj, where, on_warning))


#: File suffix (lower case) -> reader. Called with a path alone, a reader is a ``Callable[[Path], Iterator[Article]]``.
READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
}
