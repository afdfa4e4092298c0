"""Atomic writes: a reader never sees half a file, and an interrupted build leaves the old one intact."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def atomic_write_bytes(path: Path, data: bytes, *, durable: bool = True) -> None:
    """Write to a temporary file beside ``path``, flush it to disk, then rename it over ``path``.

    ``durable=False`` skips the fsync, for files whose loss costs only work done again: a cache entry
    lost or damaged by a power cut fails its check on reading, and the article is parsed again.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; outputs are meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: Path, text: str, *, durable: bool = True) -> None:
    """UTF-8 text, ``\\n`` line ends on every platform (byte-identical outputs)."""
    atomic_write_bytes(path, text.encode("utf-8"), durable=durable)
