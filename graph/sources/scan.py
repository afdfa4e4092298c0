"""Paths to files: folders walked depth first in name order, symlink loops ended, hidden entries left out."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from .base import NO_ARTICLES, SIDECAR_SUFFIX, ErrorHandler, path_name, report


def _listing(directory: Path, on_error: ErrorHandler | None) -> Iterator[os.DirEntry[str]]:
    """Directory entries sorted by name (deterministic on every file system); hidden ones left out."""
    try:
        with os.scandir(directory) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as e:
        report(InputError(path_name(directory), f"cannot list directory ({e.strerror or e})"), on_error)
        return iter(())
    return iter(entries)


def _walk(root: Path, suffixes: Iterable[str], on_error: ErrorHandler | None) -> Iterator[Path]:
    """Article files under ``root``, depth first in name order; each real directory is entered once,
    so symlink loops end. Iterative, so deep trees cannot exhaust the recursion limit."""
    wanted = frozenset(suffixes)
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
        elif not entry.name.endswith(SIDECAR_SUFFIX) and Path(entry.name).suffix.lower() in wanted:
            yield child


def missing_paths(paths: Iterable[str | Path]) -> list[str]:
    """The given paths that do not exist (printable names), so a command can refuse them before it starts."""
    return [path_name(p) for p in ([paths] if isinstance(paths, str | Path) else paths) if not os.path.exists(p)]


def iter_sources(paths: Iterable[str | Path], *, on_error: ErrorHandler | None = None,
                 suffixes: Iterable[str] | None = None) -> Iterator[Path]:
    """Expand paths into files to read: files as given (any suffix; read_path judges it), folders walked
    for files with one of ``suffixes`` (by default those of READERS).

    A missing path, or a folder with no article files, is an InputError: raised, or passed to ``on_error``
    and skipped.
    """
    if suffixes is None:
        from .readers import READERS

        suffixes = READERS
    if isinstance(paths, str | Path):  # a lone path, not an iterable of its characters
        paths = [paths]
    for given in paths:
        root = Path(given)
        try:
            mode = root.stat().st_mode
        except FileNotFoundError:
            report(InputError(path_name(root), "no such file or directory"), on_error)
            continue
        except (OSError, ValueError) as e:
            report(InputError(path_name(root), f"cannot access ({getattr(e, 'strerror', None) or e})"), on_error)
            continue
        if stat.S_ISDIR(mode):
            found = False
            for path in _walk(root, suffixes, on_error):
                found = True
                yield path
            if not found:
                report(InputError(path_name(root), NO_ARTICLES), on_error)
        else:
            yield root
