"""``out/manifest.json``: every source file's size, mtime and content hash and the article ids read from it (so
unchanged files are not even read again), and what was built from them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..atomic import atomic_write_text

MANIFEST = "manifest.json"


MANIFEST_VERSION = 2


@dataclass
class SourceState:
    """What a source file looked like when it was last read, and the articles it gave."""

    size: int
    mtime_ns: int
    sidecar: list[int] | None  # [size, mtime_ns] of NAME.meta.json, if any
    hash: str
    articles: list[str]


@dataclass
class Manifest:
    """``out/manifest.json``: what the outputs in ``out/`` were built from."""

    extractor: str = ""
    settings: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, SourceState] = field(default_factory=dict)
    views: dict[str, str] = field(default_factory=dict)  # article id -> digest of its named graph
    sizes: dict[str, list[int]] = field(default_factory=dict)  # article id -> [relations, statements] in it
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # name -> {"path", "size"}
    counts: dict[str, int] = field(default_factory=dict)

    @classmethod
    def load(cls, out: Path) -> Manifest:
        """The manifest in ``out``, or an empty one when it is missing, unreadable or of another version."""
        try:
            data = json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
            if data.get("version") != MANIFEST_VERSION:
                return cls()
            sources = {p: SourceState(**s) for p, s in data["sources"].items()}
            return cls(extractor=data["extractor"], settings=data["settings"], sources=sources,
                       views=data["views"], sizes=data["sizes"], outputs=data["outputs"], counts=data["counts"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return cls()

    def save(self, out: Path) -> None:
        data = {"version": MANIFEST_VERSION, **asdict(self)}
        data["sources"] = dict(sorted(data["sources"].items()))
        data["views"] = dict(sorted(self.views.items()))
        data["sizes"] = dict(sorted(self.sizes.items()))
        atomic_write_text(Path(out) / MANIFEST, json.dumps(data, indent=1, sort_keys=True) + "\n")

    def article_ids(self) -> set[str]:
        return {a for s in self.sources.values() for a in s.articles}
