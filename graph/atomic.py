"""Atomic writes: a reader never sees half a file, and an interrupted build leaves the old one intact.

One implementation for files (:func:`atomic_file`): a temporary file beside the target (``.NAME.*.tmp``),
flushed, made readable by all, renamed over the target; removed if anything fails on the way. Folders
(:func:`atomic_folder`) go the same way, as atomically as a folder can be.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO


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


def atomic_folder(path: Path, files: Mapping[str, bytes]) -> None:
    """Replace the folder ``path`` by one holding exactly ``files`` (name -> bytes).

    The files are written and synced into a temporary sibling folder, which is then renamed into place
    (the old folder is moved aside first and deleted last), so a reader never sees a half-written folder
    and files of an earlier one do not linger; if anything fails, the old folder is put back.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent))
    old: Path | None = None
    try:
        for name, data in sorted(files.items()):
            with open(tmp / name, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp / name, 0o644)
        os.chmod(tmp, 0o755)
        if path.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent))
            os.replace(path, old / "x")
        os.replace(tmp, path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if old is not None and (old / "x").exists() and not path.exists():
            os.replace(old / "x", path)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
