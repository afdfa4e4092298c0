"""Paths in, articles out: walk folders, decode text, read sidecars, extract HTML, split JSONL.

Everything streams, one article at a time, so a folder of ten thousand files never sits in memory.
A file (or JSONL line) that cannot be read is an :class:`InputError` naming it; whether that stops the
run is the caller's choice (``on_error``). Problems that do not cost an article, such as a malformed
sidecar date, are :class:`ReadWarning` s passed to ``on_warning`` (logged when no handler is given).

Article text is kept exactly as in the file apart from newlines (``\\r\\n`` and ``\\r`` become ``\\n``)
and leading/trailing whitespace, because later stages store character offsets into it.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from charset_normalizer import from_bytes
from dateutil.parser import isoparse

from ..errors import InputError
from ..records import Article

log = logging.getLogger(__name__)

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


# --- ids, text, dates -------------------------------------------------------------------------------------


def article_id(text: str) -> str:
    """16 hex digits of sha256 over the normalized text: the same article gets the same id from any path."""
    normalized = text.replace("\r\n", "\n").strip()
    return hashlib.sha256(normalized.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _normalize(text: str) -> str:
    """Newlines to ``\\n``, BOM and outer whitespace removed; nothing else changes (offsets depend on it)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def _decode(data: bytes, path: Path) -> str:
    """Bytes to str: a UTF-16/32 BOM wins, then UTF-8 (BOM stripped), then charset-normalizer's best guess."""
    return _decode_with_codec(data, path)[0]


def _decode_with_codec(data: bytes, path: Path) -> tuple[str, str]:
    """The text and the encoding it was read with (so a guess can be reported)."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(path, BINARY) from None
            if "\x00" in text[: SNIFF_BYTES // 2]:
                raise InputError(path, BINARY)
            return text, codec
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(path, BINARY)
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError(path, BINARY)
    # Short single-byte texts decode about equally "cleanly" in many code pages, and charset-normalizer often
    # ranks cp1250 or a DOS code page first for Western text (Ångström -> Ĺngström, “deal” -> ōdealö). When
    # windows-1252 (a superset of latin-1, the usual legacy encoding of English and Western European news)
    # is nearly as clean, it wins, unless its reading puts symbols inside words (Polish "Wa³êsa").
    for match in matches:
        if match.chaos <= best.chaos + _CP1252_MARGIN and "cp1252" in match.could_be_from_charset:
            text = str(match)  # identical to the cp1252 reading: could_be_from_charset groups equal outputs
            if _plausibly_western(text):
                return text, "cp1252"
            break
    return str(best), best.encoding


#: How much more "mess" (charset-normalizer's chaos ratio) a windows-1252 reading may show and still win.
_CP1252_MARGIN = 0.05

#: Non-ASCII, non-letter characters that windows-1252 text really uses (typographic quotes, dashes, currency).
_WESTERN_SYMBOLS = frozenset("\u00a0“”‘’„‚–—…€£¥¢°§©®™«»·•±×÷¿¡¶†‡‰‹›ªº")


def _plausibly_western(text: str) -> bool:
    """Every non-ASCII character is a letter or common Western punctuation (no ``³`` or ``¹`` inside words)."""
    return all(ch.isascii() or ch.isalpha() or ch in _WESTERN_SYMBOLS for ch in set(text))


def _read_bytes(path: Path) -> bytes:
    """The file's bytes; refuses FIFOs and devices, which could block or never end."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(path, "not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None


def _load_text(path: Path, on_warning: WarningHandler | None = None) -> str:
    text, codec = _decode_with_codec(_read_bytes(path), path)
    text = _normalize(text)
    if not text:
        raise InputError(path, EMPTY)
    if codec not in ("utf-8", "ascii"):
        _warn(ReadWarning(path.as_posix(), f"not UTF-8; read as {codec}"), on_warning)
    return text


_FULL_DATE = re.compile(r"\d{4}-?\d{2}-?\d{2}(?!\d)")


def _iso_date(value: str) -> str | None:
    """``YYYY-MM-DD`` from an ISO date or datetime (the date as written, not shifted to UTC); None if malformed.

    Reduced-precision dates ("2025-03") are refused rather than padded with an invented day.
    """
    s = value.strip()
    try:
        return date.fromisoformat(s).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(s).date().isoformat()
    except ValueError:
        pass
    if not _FULL_DATE.match(s):
        return None
    try:
        return isoparse(s).date().isoformat()
    except (ValueError, OverflowError):
        return None


def _warn(warning: ReadWarning, on_warning: WarningHandler | None) -> None:
    if on_warning is None:
        log.warning("%s: %s", warning.path, warning.reason)
    else:
        on_warning(warning)


def _report(err: InputError, on_error: ErrorHandler | None) -> None:
    if on_error is None:
        raise err
    on_error(err)


# --- metadata ---------------------------------------------------------------------------------------------


def _metadata(data: Mapping[str, Any], where: str, on_warning: WarningHandler | None) -> dict[str, str]:
    """The META_KEYS of a sidecar object or JSONL line, cleaned; bad values are warned about and dropped."""
    meta: dict[str, str] = {}
    for key in META_KEYS:
        value = data.get(key)
        if value is None:
            continue
        if key == "published":
            iso = _iso_date(value) if isinstance(value, str) else None
            if iso is None:
                _warn(ReadWarning(where, f"bad published date {value!r}; article kept without a date"), on_warning)
            else:
                meta[key] = iso
        elif isinstance(value, str):
            if value.strip():
                meta[key] = value.strip()
        else:
            _warn(ReadWarning(where, f"{key!r} is not a string ({type(value).__name__}); ignored"), on_warning)
    return meta


def _sidecar_path(path: Path) -> Path:
    return path.with_name(path.stem + SIDECAR_SUFFIX)


def _sidecar(path: Path, on_warning: WarningHandler | None) -> dict[str, str]:
    """Metadata from ``NAME.meta.json`` if it exists; a broken sidecar costs the metadata, never the article."""
    side = _sidecar_path(path)
    if not side.is_file():
        return {}
    where = side.as_posix()
    try:
        raw = side.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        _warn(ReadWarning(where, f"sidecar unreadable ({e}); metadata ignored"), on_warning)
        return {}
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as e:
        _warn(ReadWarning(where, f"sidecar is not valid JSON ({e.msg}, line {e.lineno}); metadata ignored"), on_warning)
        return {}
    if not isinstance(data, dict):
        _warn(ReadWarning(where, "sidecar is not a JSON object; metadata ignored"), on_warning)
        return {}
    return _metadata(data, where, on_warning)


def _article(text: str, path: str, meta: Mapping[str, str]) -> Article:
    return Article(id=article_id(text), text=text, path=path, **{k: meta.get(k) for k in META_KEYS})


# --- readers ----------------------------------------------------------------------------------------------


def read_txt(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """A plain-text file is one article; metadata only from its sidecar."""
    text = _load_text(path, on_warning)
    yield _article(text, path.as_posix(), _sidecar(path, on_warning))


_CLOSING_HASHES = re.compile(r"\s+#+$")


def _md_title(text: str) -> str | None:
    """The ATX heading ``# Title`` on the first line, without a closing ``#`` sequence."""
    first = text.split("\n", 1)[0]
    if not first.startswith("# "):
        return None
    return _CLOSING_HASHES.sub("", first[2:].strip()).strip() or None


def read_md(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """Markdown stays markdown (offsets index the file as written); only the title is taken from ``# ...``."""
    text = _load_text(path, on_warning)
    meta: dict[str, str] = {}
    title = _md_title(text)
    if title:
        meta["title"] = title
    meta.update(_sidecar(path, on_warning))
    yield _article(text, path.as_posix(), meta)


_HTML_LANG = re.compile(r"<html\b[^>]*?\blang\s*=\s*[\"']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*)", re.IGNORECASE)


def read_html(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """The main text of a web page (trafilatura, no comments or tables); sidecar values beat the page's own."""
    import trafilatura  # slow to import; only HTML needs it

    html = _decode(_read_bytes(path), path)
    if not html.strip():
        raise InputError(path, EMPTY)
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            favor_precision=True,
        )
    except Exception as e:  # a parser failure on one page must not end the run
        raise InputError(path, f"HTML could not be parsed ({type(e).__name__}: {e})") from None
    if isinstance(doc, dict):  # older trafilatura, or as_dict
        fields: Mapping[str, Any] = doc
    else:
        fields = {k: getattr(doc, k, None) for k in ("text", "title", "author", "sitename", "url", "date")}
    raw_text = fields.get("text")
    text = _normalize(raw_text) if isinstance(raw_text, str) else ""
    if not text:
        raise InputError(path, "no article text found in HTML")
    page = {
        "title": fields.get("title"),
        "author": fields.get("author"),
        "source": fields.get("sitename"),
        "url": fields.get("url"),
        "published": fields.get("date"),
    }
    lang = _HTML_LANG.search(html[:65536])
    if lang:
        page["language"] = lang.group(1)
    meta = {k: v.strip() for k, v in page.items() if isinstance(v, str) and v.strip()}
    if "published" in meta:
        iso = _iso_date(meta["published"])
        if iso is None:
            del meta["published"]
        else:
            meta["published"] = iso
    meta.update(_sidecar(path, on_warning))
    yield _article(text, path.as_posix(), meta)


def read_jsonl(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """One article per line (UTF-8, ``text`` required); a bad line goes to ``on_error`` and the next is read."""
    base = path.as_posix()
    head = _read_head(path)
    if b"\x00" in head:
        raise InputError(path, BINARY)
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
                    _report(article, on_error)
                else:
                    yield article
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None
    if not seen:
        raise InputError(path, EMPTY)


def _read_head(path: Path) -> bytes:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(path, "not a regular file")
        with path.open("rb") as f:
            return f.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError(path, "no such file or directory") from None
    except OSError as e:
        raise InputError(path, f"cannot read ({e.strerror or e})") from None


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
    text = _normalize(obj["text"])
    if not text:
        return InputError(where, "'text' is empty")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return InputError(where, "'text' is not valid Unicode (lone surrogate)")
    return _article(text, where, _metadata(obj, where, on_warning))


#: File suffix (lower case) -> reader. Called with a path alone, a reader is a ``Callable[[Path], Iterator[Article]]``.
READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".md": read_md,
    ".html": read_html,
    ".htm": read_html,
    ".jsonl": read_jsonl,
}


# --- walking and dispatch ---------------------------------------------------------------------------------


def _listing(directory: Path, on_error: ErrorHandler | None) -> Iterator[os.DirEntry[str]]:
    """Directory entries sorted by name (deterministic on every file system); hidden ones left out."""
    try:
        with os.scandir(directory) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as e:
        _report(InputError(directory, f"cannot list directory ({e.strerror or e})"), on_error)
        return iter(())
    return iter(entries)


def _walk(root: Path, on_error: ErrorHandler | None) -> Iterator[Path]:
    """Article files under ``root``, depth first in name order; each real directory is entered once,
    so symlink loops end. Iterative, so deep trees cannot exhaust the recursion limit."""
    visited = {os.path.realpath(root)}
    stack: list[tuple[Path, Iterator[os.DirEntry[str]]]] = [(root, _listing(root, on_error))]
    while stack:
        parent, entries = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        child = parent / entry.name
        try:
            is_dir = entry.is_dir()  # follows symlinks
        except OSError:
            is_dir = False
        if is_dir:
            real = os.path.realpath(child)
            if real not in visited:
                visited.add(real)
                stack.append((child, _listing(child, on_error)))
        elif not entry.name.endswith(SIDECAR_SUFFIX) and Path(entry.name).suffix.lower() in READERS:
            yield child


def iter_sources(paths: Iterable[str | Path], *, on_error: ErrorHandler | None = None) -> Iterator[Path]:
    """Expand paths into files to read: files as given (any suffix; read_path judges it), folders walked.

    A missing path, or a folder with no article files, is an InputError: raised, or passed to ``on_error``
    and skipped.
    """
    if isinstance(paths, str | Path):  # a lone path, not an iterable of its characters
        paths = [paths]
    for given in paths:
        root = Path(given)
        try:
            mode = root.stat().st_mode
        except FileNotFoundError:
            _report(InputError(root, "no such file or directory"), on_error)
            continue
        except (OSError, ValueError) as e:
            _report(InputError(root, f"cannot access ({getattr(e, 'strerror', None) or e})"), on_error)
            continue
        if stat.S_ISDIR(mode):
            found = False
            for path in _walk(root, on_error):
                found = True
                yield path
            if not found:
                _report(InputError(root, NO_ARTICLES), on_error)
        else:
            yield root


def read_path(
    path: Path, *, on_error: ErrorHandler | None = None, on_warning: WarningHandler | None = None
) -> Iterator[Article]:
    """The articles in one file, by suffix. Errors are raised when iterated; bad JSONL lines go to ``on_error``."""
    path = Path(path)
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        kind = f"unknown file type {path.suffix!r}" if path.suffix else "no file suffix"
        raise InputError(path, f"{kind}; expected one of {', '.join(sorted(READERS))}")
    yield from reader(path, on_error=on_error, on_warning=on_warning)


def _remembering(on_error: ErrorHandler | None, handled: list[InputError]) -> ErrorHandler | None:
    """``on_error`` wrapped to record the error it was given (None stays None)."""
    if on_error is None:
        return None
    callback = on_error

    def report(err: InputError) -> None:
        handled[:] = [err]
        callback(err)

    return report


#: Longer articles are refused: spaCy's parser needs about 1 GB per 100,000 words, and no news article
#: is that long (a 50 MB "article" is a data dump). ``max_chars`` raises the limit.
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
                err = InputError(article.path or source, f"article too long: {len(article.text):,} characters "
                                 f"(limit {max_chars:,})")
                if report is None:
                    raise err
                report(err)
                continue
            yield article
