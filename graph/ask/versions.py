"""Store versions for the server: a private snapshot per build, and noticing when a build has finished.

Why snapshots: a worker that opens ``out/store`` read-only sees the store as it was when it opened it
(RocksDB), so workers started at different times (a replacement after a time-out, say) could answer from
different builds, and a full rebuild swaps the ``store`` folder, leaving old workers on deleted files.
Instead the server takes one snapshot per version (pyoxigraph's ``Store.backup``: a RocksDB checkpoint,
hard links on the same file system, so cheap) and every worker of a pool opens that snapshot; a build
cannot change it.

When a version is finished: a build rewrites ``out/manifest.json`` when its store changed and holds the
``.store-pending`` marker (graph.store) from before it touches the store until after the manifest is
saved. The watcher takes the manifest's bytes plus the store's ``CURRENT`` file as the version key; a
new key with no marker present, seen the same before and after the snapshot, is a finished build.
An output without a store (graph.ttl, or an RDF file) is copied the same way.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UsageError

__all__ = ["Snapshots", "Version", "version_key"]

_MANIFEST = "manifest.json"  # graph.store.MANIFEST (not imported: that module loads rdflib)
_PENDING = ".store-pending"  # graph.store.PENDING
_STORE = "store"
_GRAPH_FILES = ("graph.ttl", "graph.nq", "graph.trig", "graph.nt")
_PREFIX = ".serve-"


@dataclass(frozen=True)
class Version:
    """One snapshot: what workers open, and the short id answers carry (X-Store-Version)."""

    key: str
    path: Path

    @property
    def id(self) -> str:
        return self.key[:12]


def _source(out: Path) -> Path:
    """The store folder or RDF file behind a build output (or the RDF file given)."""
    if out.is_file():
        return out
    if (out / _STORE).is_dir():
        return out / _STORE
    for name in _GRAPH_FILES:
        if (out / name).is_file():
            return out / name
    raise UsageError(f"{out}: found neither store/ nor {' / '.join(_GRAPH_FILES)}; run `newsgraph build` first")


def version_key(out: Path) -> str | None:
    """A digest that changes with every finished build, or None while a build is changing the store."""
    out = Path(out)
    if out.is_dir() and (out / _PENDING).exists():
        return None
    h = hashlib.sha256()
    try:
        src = _source(out)
        if out.is_dir() and (out / _MANIFEST).is_file():
            h.update((out / _MANIFEST).read_bytes())
        marker = src / "CURRENT" if src.is_dir() else src
        st = marker.stat()
        h.update(f"{src.name}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}".encode())
        if src.is_dir():
            h.update(marker.read_bytes())
    except (OSError, UsageError):
        return None
    return h.hexdigest()


class Snapshots:
    """Snapshots of one output, in a private folder (beside the output when it is writable, else in TMPDIR)."""

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        _source(self.out)  # a UsageError now, not in a worker
        parent = self.out if self.out.is_dir() else self.out.parent
        _clean_stale(parent)
        try:
            self.root = Path(tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-", dir=parent))
        except OSError:
            self.root = Path(tempfile.mkdtemp(prefix=f"newsgraph{_PREFIX}{os.getpid()}-"))
        self._n = 0

    def take(self) -> Version | None:
        """A snapshot of the current version, or None when a build is under way (try again later)."""
        key = version_key(self.out)
        if key is None:
            return None
        self._n += 1
        target = self.root / f"v{self._n}"
        src = _source(self.out)
        try:
            if src.is_dir():
                import pyoxigraph as ox

                store = ox.Store.read_only(str(src))
                try:
                    store.backup(str(target))
                finally:
                    del store
            else:
                target.mkdir()
                target = target / src.name
                shutil.copyfile(src, target)
        except OSError:  # the store moved under us (a build swapping it in): later
            shutil.rmtree(self.root / f"v{self._n}", ignore_errors=True)
            return None
        if version_key(self.out) != key:
            self.drop(Version(key, target))
            return None
        return Version(key, target)

    def drop(self, version: Version) -> None:
        """Remove a snapshot no worker uses any more."""
        folder = version.path if version.path.is_dir() else version.path.parent
        if folder.parent == self.root:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def _clean_stale(parent: Path) -> None:
    """Remove the snapshot folders of servers that are gone (killed before they could clean up)."""
    try:
        entries = list(parent.glob(f"{_PREFIX}*"))
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(_PREFIX):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(entry, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
