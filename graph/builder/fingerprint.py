"""What the code is: a digest of the source of named modules and packages, found the way ``import`` finds them.

The cache and the resolution index are valid for one version of the code that made them. Naming the
modules (not file paths) means a module that moves or disappears fails loudly here instead of silently
dropping out of the digest; a package counts with every ``.py`` file below it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from ..keys import digest


def _files(module: str) -> list[Path]:
    spec = importlib.util.find_spec(module)
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError(f"fingerprint: no module named {module!r}")
    if spec.submodule_search_locations:  # a package: all of it
        return sorted(p for loc in spec.submodule_search_locations for p in Path(loc).rglob("*.py"))
    return [Path(spec.origin)]


def code_digest(*modules: str, files: tuple[Path, ...] = ()) -> str:
    """A digest of the source of ``modules`` (dotted names; a package means every module in it) and ``files``."""
    parts = []
    for module in modules:
        for f in _files(module):
            parts.append(f"{module}:{f.name}:{digest(f.read_text(encoding='utf-8'))}")
    for f in files:
        if not f.is_file():
            raise FileNotFoundError(f"fingerprint: {f} is missing")
        parts.append(f"{f.name}:{digest(f.read_text(encoding='utf-8'))}")
    return digest(*parts)
