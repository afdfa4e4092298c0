"""The first stage of a build: which source files are new or changed since the manifest was written.

A file whose size, mtime and sidecar are as recorded is not read at all; one whose stat changed is hashed,
and counts as changed only when its content did.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..sources import SIDECAR_SUFFIX, iter_sources
from ..store import Manifest, SourceState
from .cache import ExtractionCache


def _stat(path: Path) -> tuple[int, int, list[int] | None]:
    st = path.stat()
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    try:
        sst = side.stat()
        sidecar: list[int] | None = [sst.st_size, sst.st_mtime_ns]
    except OSError:
        sidecar = None
    return st.st_size, st.st_mtime_ns, sidecar


def _content(path: Path) -> tuple[str, int]:
    """sha256 of the file and its sidecar, and how many articles it probably holds (for the progress bar)."""
    data = path.read_bytes()
    h = hashlib.sha256(data)
    side = path.with_name(path.stem + SIDECAR_SUFFIX)
    if side.is_file():
        h.update(b"\x00sidecar\x00" + side.read_bytes())
    n = sum(1 for line in data.splitlines() if line.strip()) if path.suffix.lower() == ".jsonl" else 1
    return h.hexdigest(), n


@dataclass
class Scan:
    """What the sources look like against the manifest: the unchanged ones and the ones to read again."""

    states: dict[str, SourceState] = field(default_factory=dict)  # unchanged sources, as in the manifest
    changed: list[tuple[Path, int, int, list[int] | None, str]] = field(default_factory=list)
    expected: int = 0  # articles expected in the changed sources
    touched: bool = False  # some stat changed although the content did not


def scan_sources(paths: Iterable[str | Path], manifest: Manifest, cache: ExtractionCache,
          on_error: Callable[[InputError], None]) -> Scan:
    scan = Scan()
    seen: set[str] = set()
    for src in iter_sources(paths, on_error=on_error):
        key = src.as_posix()
        if key in seen:
            continue
        seen.add(key)
        if not src.is_file():  # a FIFO or device named like an article: reading it could block forever
            broken = src.is_symlink() and not src.exists()
            on_error(InputError(src, "broken or looping symlink" if broken else "not a regular file"))
            continue
        try:
            size, mtime, sidecar = _stat(src)
        except OSError as e:
            on_error(InputError(src, f"cannot access ({e.strerror or e})"))
            continue
        old = manifest.sources.get(key)
        cached = old is not None and all(cache.path(a).exists() for a in old.articles)
        if old is not None and cached and (old.size, old.mtime_ns, old.sidecar) == (size, mtime, sidecar):
            scan.states[key] = old
            continue
        try:
            content, n = _content(src)
        except OSError as e:
            on_error(InputError(src, f"cannot read ({e.strerror or e})"))
            continue
        if old is not None and cached and old.hash == content:
            scan.states[key] = SourceState(size, mtime, sidecar, content, old.articles)
            scan.touched = True
            continue
        scan.changed.append((src, size, mtime, sidecar, content))
        scan.expected += n
    return scan
