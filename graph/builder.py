"""The whole job, as functions: paths -> articles -> extractions -> KnowledgeGraph -> validated files.

``build_graph`` does no writing; ``build`` adds validation and the exporters. Failures of single
inputs are collected, not raised (unless ``strict``), so one bad file never costs the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .exporters import get_exporter
from .extract import extract
from .model import KnowledgeGraph
from .nlp.pipeline import load_model
from .rdf import to_rdf, validate
from .reading import ReadWarning, read_articles
from .records import Article, Extraction
from .vocab import DEFAULT_BASE

#: Relations below this confidence (hypothetical or merely reported ones) are left out of exports by default.
DEFAULT_MIN_CONFIDENCE = 0.5


@dataclass
class BuildReport:
    """What a build did: the graph, the files written, what failed and why, how long it took."""

    graph: KnowledgeGraph
    outputs: dict[str, Path] = field(default_factory=dict)
    failures: list[InputError] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.failures


def iter_extractions(
    paths: Iterable[str | Path],
    *,
    model: str | None = None,
    strict: bool = False,
    failures: list[InputError] | None = None,
    warnings: list[ReadWarning] | None = None,
    on_article: Callable[[Article], None] | None = None,
    n_process: int = 1,
    batch_size: int = 16,
) -> Iterator[Extraction]:
    """Stream extractions, one per readable article; unreadable inputs go to ``failures``."""
    nlp = load_model(model)
    fail_list = failures if failures is not None else []
    warn_list = warnings if warnings is not None else []

    def on_error(err: InputError) -> None:
        if strict:
            raise err
        fail_list.append(err)

    def counted(articles: Iterable[Article]) -> Iterator[Article]:
        for art in articles:
            if on_article is not None:
                on_article(art)
            yield art

    articles = read_articles(paths, on_error=on_error, on_warning=warn_list.append)
    yield from extract(counted(articles), nlp, n_process=n_process, batch_size=batch_size)


def build_graph(paths: Iterable[str | Path], **options: object) -> KnowledgeGraph:
    """The knowledge graph of the articles under ``paths``; nothing is written. Options as for iter_extractions."""
    return KnowledgeGraph.from_extractions(iter_extractions(paths, **options))  # type: ignore[arg-type]


def build(
    paths: Iterable[str | Path],
    out: str | Path,
    *,
    model: str | None = None,
    base: str = DEFAULT_BASE,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    formats: Iterable[str] = ("turtle", "html"),
    strict: bool = False,
    on_article: Callable[[Article], None] | None = None,
    n_process: int = 1,
) -> BuildReport:
    """Build, validate against the SHACL shapes, and write each format into ``out``.

    A shape violation raises :class:`~graph.errors.ShapeViolation` before anything is written, so
    the previous outputs stay as they were.
    """
    started = time.perf_counter()
    exporters = [get_exporter(f) for f in formats]
    report = BuildReport(graph=KnowledgeGraph())
    kg = KnowledgeGraph.from_extractions(iter_extractions(
        paths, model=model, strict=strict, failures=report.failures, warnings=report.warnings,
        on_article=on_article, n_process=n_process))
    kg = kg.filter_confidence(min_confidence)
    validate(to_rdf(kg, base=base))
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    for exp in exporters:
        target = out / exp.filename
        exp.write(kg, target, base=base)
        report.outputs[exp.name] = target
    report.graph = kg
    report.seconds = time.perf_counter() - started
    return report
