"""Bytes to text: which encoding a file is in, decided so that a few bad bytes never cost the whole article.

A UTF-16/32 byte order mark wins; then UTF-8; then UTF-8 with a few damaged bytes (replaced by U+FFFD,
with a warning naming how many and where); only then a guess by charset-normalizer among the legacy
code pages, with windows-1252 preferred when it reads as cleanly.
"""

from __future__ import annotations

import codecs
import re
import stat
from pathlib import Path
from typing import NamedTuple

from ..errors import InputError
from .base import BINARY, EMPTY, SNIFF_BYTES, ReadWarning, WarningHandler, path_name, warn

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class Decoded(NamedTuple):
    """The text, the encoding it was read with, and what the reader should be warned about (or None)."""

    text: str
    codec: str
    note: str | None


def normalize(text: str) -> str:
    """Newlines to ``\\n``, BOM and outer whitespace removed; nothing else changes (offsets depend on it)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def decode(data: bytes, path: Path) -> Decoded:
    """The text of ``data`` and how it was read; InputError when it is binary."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError:
                raise InputError(path_name(path), BINARY) from None
            if "\x00" in text[: SNIFF_BYTES // 2]:
                raise InputError(path_name(path), BINARY)
            return Decoded(text, codec, f"not UTF-8; read as {codec} (byte order mark)")
    if b"\x00" in data[:SNIFF_BYTES]:
        raise InputError(path_name(path), BINARY)
    try:
        return Decoded(data.decode("utf-8-sig"), "utf-8", None)
    except UnicodeDecodeError as e:
        first_bad = e.start
    damaged = _damaged_utf8(data, first_bad)
    if damaged is not None:
        return damaged
    return _legacy(data, path)


_NON_ASCII = re.compile("[^\x00-\x7f]")


def _damaged_utf8(data: bytes, first_bad: int) -> Decoded | None:
    """UTF-8 with a few invalid bytes (a truncated copy, one pasted cp1252 quote) stays UTF-8.

    Legacy single-byte text almost never forms valid UTF-8 multi-byte sequences by chance ("é" is one
    byte 0xE9 there, an invalid lead byte in UTF-8), so when the valid non-ASCII characters outnumber the
    invalid sequences the file is UTF-8 and the bad bytes are damage. Reading it as a code page instead
    turns every valid accented letter into mojibake ("JosÃ©"), which costs far more than a U+FFFD.
    """
    text = data.decode("utf-8-sig", "replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")  # U+FFFD already in the file is not damage
    valid = len(_NON_ASCII.findall(text)) - text.count("\ufffd")
    if bad <= 0 or valid < bad:
        return None
    where = f"first at byte {first_bad:,}"
    note = f"not valid UTF-8: {bad:,} bad byte sequence{'s' if bad > 1 else ''} ({where}) replaced with U+FFFD"
    return Decoded(text, "utf-8", note)


def _legacy(data: bytes, path: Path) -> Decoded:
    """charset-normalizer's best guess, with windows-1252 preferred when nearly as clean."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None:
        raise InputError(path_name(path), BINARY)
    # Short single-byte texts decode about equally "cleanly" in many code pages, and charset-normalizer often
    # ranks cp1250 or a DOS code page first for Western text (Ångström -> Ĺngström, “deal” -> ōdealö). When
    # windows-1252 (a superset of latin-1, the usual legacy encoding of English and Western European news)
    # is nearly as clean, it wins, unless its reading puts symbols inside words (Polish "Wa³êsa").
    for match in matches:
        if match.chaos <= best.chaos + _CP1252_MARGIN and "cp1252" in match.could_be_from_charset:
            text = str(match)  # identical to the cp1252 reading: could_be_from_charset groups equal outputs
            if _plausibly_western(text):
                return Decoded(text, "cp1252", "not UTF-8; read as cp1252")
            break
    return Decoded(str(best), best.encoding, f"not UTF-8; read as {best.encoding}")


#: How much more "mess" (charset-normalizer's chaos ratio) a windows-1252 reading may show and still win.
_CP1252_MARGIN = 0.05

#: Non-ASCII, non-letter characters that windows-1252 text really uses (typographic quotes, dashes, currency).
_WESTERN_SYMBOLS = frozenset("\u00a0“”‘’„‚–—…€£¥¢°§©®™«»·•±×÷¿¡¶†‡‰‹›ªº")


def _plausibly_western(text: str) -> bool:
    """Every non-ASCII character is a letter or common Western punctuation (no ``³`` or ``¹`` inside words)."""
    return all(ch.isascii() or ch.isalpha() or ch in _WESTERN_SYMBOLS for ch in set(text))


def read_bytes(path: Path) -> bytes:
    """The file's bytes; refuses FIFOs and devices, which could block or never end."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(path_name(path), "not a regular file")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(path_name(path), "no such file or directory") from None
    except OSError as e:
        raise InputError(path_name(path), f"cannot read ({e.strerror or e})") from None


def read_head(path: Path) -> bytes:
    """The first SNIFF_BYTES of a file (to tell binary from text before streaming it)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise InputError(path_name(path), "not a regular file")
        with path.open("rb") as f:
            return f.read(SNIFF_BYTES)
    except FileNotFoundError:
        raise InputError(path_name(path), "no such file or directory") from None
    except OSError as e:
        raise InputError(path_name(path), f"cannot read ({e.strerror or e})") from None


def load_text(path: Path, on_warning: WarningHandler | None = None) -> str:
    """A text file's article text, decoded and normalized; a guessed or damaged encoding is warned about."""
    decoded = decode(read_bytes(path), path)
    text = normalize(decoded.text)
    if not text:
        raise InputError(path_name(path), EMPTY)
    if decoded.note:
        warn(ReadWarning(path_name(path), decoded.note), on_warning)
    return text
