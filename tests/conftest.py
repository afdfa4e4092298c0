"""Shared fixtures: the spaCy model loaded once per test session, and a helper that extracts facts."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.keys import digest
from graph.nlp.extract import extract_doc
from graph.nlp.pipeline import load_model
from graph.records import Article, Extraction

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_89ad01d58e3d4ec4.txt"


@pytest.fixture(scope="session")
def nlp():
    return load_model()


@pytest.fixture(scope="session")
def extract_text(nlp):
    """extract_text(text, published=None) -> Extraction of a one-off article."""

    def run(text: str, published: str | None = None) -> Extraction:
        art = Article(id=digest(text), text=text, published=published)
        return extract_doc(art, nlp(text))

    return run


def labels(ex: Extraction) -> dict[str, str]:
    """Node key -> label, for entities and agreements of an extraction."""
    out = {e.key: e.label for e in ex.entities}
    out.update({a.key: a.label for a in ex.agreements})
    return out


def facts(ex: Extraction, *, min_confidence: float = 0.5) -> set[tuple[str, str, str]]:
    """(subject label, predicate, object label) of the relations at or above ``min_confidence``."""
    names = labels(ex)
    return {(names.get(r.subject, r.subject), r.predicate, names.get(r.object, r.object))
            for r in ex.relations if r.provenance.confidence >= min_confidence}
