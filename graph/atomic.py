"""Atomic writes: a reader never sees half a file, and an interrupted build leaves the old one intact.

One implementation (:func:`atomic_file`): a temporary file beside the target (``.NAME.*.tmp``), flushed,
made readable by all, renamed over the target; removed if anything fails on the way.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

#: Names of the temporary files :func:`atomic_file` makes beside ``NAME`` (for cleaning up after a kill).
TEMP_GLOB = ".*.tmp"


@contextmanager
def atomic_file(path: Path, *, durable: bool = True) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` when the ``with`` block ends without an exception.

    ``durable=False`` skips the fsync, for files whose loss costs only work done again: a cache entry
    lost or damaged by a power cut fails its check on reading, and the article is parsed again.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """``data`` as the whole of ``path``, atomically."""
    with atomic_file(path, durable=durable) as fh:
        fh.write(data)


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """UTF-8 text, ``\\n`` line ends on every platform (byte-identical outputs)."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)


class AtomicLines:
    """``with AtomicLines(path) as out: out.write(lines)``: lines streamed to a file that appears whole."""

    def __init__(self, path: Path) -> None:
        self._cm = atomic_file(path)
        self._fh: BinaryIO | None = None

    def __enter__(self) -> AtomicLines:
        self._fh = self._cm.__enter__()
        return self

    def write(self, lines: Iterable[str]) -> None:
        assert self._fh is not None, "AtomicLines.write outside its with block"
        for line in lines:
            self._fh.write(line.encode("utf-8"))
            self._fh.write(b"\n")

    def __exit__(self, *exc: object) -> bool | None:
        return self._cm.__exit__(*exc)  # type: ignore[arg-type]
