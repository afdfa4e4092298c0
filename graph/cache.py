"""Extractions on disk: one JSON file per article, so an unchanged article is never parsed twice.

The cached form keeps only what the merge and the exporters read. The article text is dropped (the
provenance sentences are all that later stages quote), and each sentence is stored once per article
and shared again on load, so a corpus of records stays small in memory however long the articles are.

A cache entry is valid only for the extractor that wrote it: :func:`extractor_fingerprint` digests the
spaCy model (name and version), the record fields and the source of every extraction module, so a new
model or a changed rule invalidates the cache instead of serving stale facts.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
from dataclasses import fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from .io import atomic_write_text
from .keys import digest
from .records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement

#: Bump when the layout below changes.
CACHE_VERSION = 1

_ARTICLE_META = ("id", "path", "title", "published", "source", "author", "url", "language")
_PACKAGE = Path(__file__).resolve().parent
#: Modules whose code decides what an article yields; editing one invalidates the cache.
_EXTRACTOR_SOURCES = ("extract.py", "resolve.py", "keys.py", "records.py", "nlp")


def _model_id(name: str | None) -> str:
    """Name and version of the model ``load_model(name)`` would load, without loading it."""
    from .nlp import DEFAULT_MODELS

    for cand in (name,) if name else DEFAULT_MODELS:
        if "/" in cand or cand.startswith("."):
            meta = Path(cand) / "meta.json"
            return f"{cand}@{digest(meta.read_text(encoding='utf-8')) if meta.is_file() else '?'}"
        module = cand.replace("-", "_")
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):
            found = False
        if found:
            try:
                return f"{module}@{importlib.metadata.version(module)}"
            except importlib.metadata.PackageNotFoundError:
                return module
    return str(name)


@lru_cache(maxsize=8)
def extractor_fingerprint(model: str | None) -> str:
    """A digest that changes whenever the same article could extract differently."""
    parts = [str(CACHE_VERSION), _model_id(model)]
    for cls in (Article, Entity, Agreement, Relation, Statement, Provenance):
        parts.append(cls.__name__ + ":" + ",".join(f.name for f in fields(cls)))
    for name in _EXTRACTOR_SOURCES:
        path = _PACKAGE / name
        files = sorted(path.rglob("*.py")) if path.is_dir() else [path]
        for f in files:
            parts.append(f.relative_to(_PACKAGE).as_posix() + ":" + digest(f.read_text(encoding="utf-8")))
    return digest(*parts)


# --- records <-> JSON ---------------------------------------------------------------------------------


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def to_dict(ex: Extraction, *, fingerprint: str = "") -> dict[str, Any]:
    """A JSON-ready dict of the extraction, without the article text."""
    sentences: dict[str, int] = {}

    def prov(p: Provenance | None) -> list[Any] | None:
        if p is None:
            return None
        idx = sentences.setdefault(p.sentence, len(sentences))
        return [p.article, idx, p.start, p.end, p.confidence, p.resolved]

    art = ex.article
    return {
        "version": CACHE_VERSION,
        "fingerprint": fingerprint,
        "article": {k: getattr(art, k) for k in _ARTICLE_META},
        "entities": [[e.key, e.type, e.label, e.aliases, e.roles, e.articles, e.code] for e in ex.entities],
        "agreements": [[a.key, a.type, a.label, a.aliases, a.status, a.scope, a.duration, a.place, a.date,
                        a.articles, prov(a.provenance)] for a in ex.agreements],
        "relations": [[r.subject, r.predicate, r.object, prov(r.provenance), r.modality, r.date,
                       list(r.reported_by)] for r in ex.relations],
        "statements": [[s.key, s.speakers, s.text, s.cue, s.kind, prov(s.provenance)] for s in ex.statements],
        "sentences": list(sentences),
    }


def from_dict(data: dict[str, Any]) -> Extraction:
    """The Extraction back, with ``article.text`` empty and equal sentences shared."""
    sentences = data["sentences"]

    def prov(row: list[Any] | None) -> Provenance | None:
        if row is None:
            return None
        article, idx, start, end, confidence, resolved = row
        return Provenance(article, sentences[idx], start, end, confidence, resolved)

    article = Article(text="", **data["article"])
    return Extraction(
        article=article,
        entities=[Entity(*(_tuple(v) for v in row)) for row in data["entities"]],
        agreements=[Agreement(*(_tuple(v) for v in row[:10]), provenance=prov(row[10]))
                    for row in data["agreements"]],
        relations=[Relation(s, p, o, prov(pv), modality, date, tuple(rest[0]) if rest else ())  # type: ignore[arg-type]
                   for s, p, o, pv, modality, date, *rest in data["relations"]],
        statements=[Statement(key, tuple(speakers), text, cue, kind, prov(pv))  # type: ignore[arg-type]
                    for key, speakers, text, cue, kind, pv in data["statements"]],
    )


def without_text(ex: Extraction) -> Extraction:
    """The same extraction as it will be read back from the cache (no article text)."""
    return from_dict(to_dict(ex))


# --- the cache folder ---------------------------------------------------------------------------------


class ExtractionCache:
    """``<folder>/<article id>.json``; entries written by another extractor count as missing."""

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = Path(folder)
        self.fingerprint = fingerprint

    def path(self, article_id: str) -> Path:
        return self.folder / f"{article_id}.json"

    def put(self, ex: Extraction) -> None:
        data = to_dict(ex, fingerprint=self.fingerprint)
        # no fsync (a few times the cost of the rest): an entry a power cut damages is parsed again
        atomic_write_text(self.path(ex.article.id), json.dumps(data, ensure_ascii=False, separators=(",", ":")),
                          durable=False)

    def get(self, article_id: str) -> Extraction | None:
        """The cached extraction, or None when absent, unreadable or from another extractor."""
        data = self._load(article_id)
        return from_dict(data) if data is not None else None

    def lookup(self, article: Article) -> Extraction | None:
        """The cached extraction of this article, if it was made for the same publication date.

        Relative dates ("on Tuesday") are resolved against the publication date, so a sidecar that
        changes it must re-parse the article; other metadata is simply replaced by the caller.
        """
        data = self._load(article.id)
        if data is None or data["article"].get("published") != article.published:
            return None
        return from_dict(data)

    def _load(self, article_id: str) -> dict[str, Any] | None:
        try:
            data = json.loads(self.path(article_id).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
            return None
        if data.get("fingerprint") != self.fingerprint:
            return None
        return data

    def discard(self, article_id: str) -> None:
        self.path(article_id).unlink(missing_ok=True)

    def ids(self) -> set[str]:
        """Ids of every entry on disk (valid or not)."""
        if not self.folder.is_dir():
            return set()
        return {p.stem for p in self.folder.glob("*.json") if not p.name.startswith("_")}
