"""What a build takes (:class:`BuildOptions`, the CLI's options under the same names) and what it reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..model import KnowledgeGraph
from ..records import Article
from ..sources import ReadWarning
from ..vocab import DEFAULT_BASE
from .settings import DEFAULT_EXPORT_LIMIT, DEFAULT_MIN_CONFIDENCE

ProgressCallback = Callable[[str, int, "int | None"], None]


@dataclass
class BuildOptions:
    """What a build takes, under the names ``newsgraph build``'s options have (one list for the CLI and the API).

    ``n_process`` is ``--jobs``: spaCy processes for the local executor, workers of a local Dask cluster for
    ``executor="dask"`` without a ``scheduler`` address. ``on_article`` is called for each article sent to
    the NLP stage; ``on_progress(stage, done, total)`` reports the stages ("parse" with counts).
    """

    model: str | None = None
    base: str = DEFAULT_BASE
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    formats: Iterable[str] = ("turtle", "html")
    strict: bool = False
    on_article: Callable[[Article], None] | None = None
    n_process: int = 1
    executor: str = "local"
    scheduler: str | None = None
    batch_size: int = 16
    on_progress: ProgressCallback | None = None
    export_limit: int | None = DEFAULT_EXPORT_LIMIT


@dataclass
class BuildReport:
    """What a build did: the graph, the files written, what failed and why, how long it took.

    ``parsed`` lists the articles that went through the NLP stage in this build (the rest came from the
    cache); ``changed`` is False when nothing had changed and no file was written.
    """

    outputs: dict[str, Path] = field(default_factory=dict)
    failures: list[InputError] = field(default_factory=list)
    warnings: list[ReadWarning] = field(default_factory=list)
    seconds: float = 0.0
    parsed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # whole-graph files not written (see DEFAULT_EXPORT_LIMIT)
    reused: int = 0
    removed: list[str] = field(default_factory=list)
    changed: bool = True
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    _graph: KnowledgeGraph | None = field(default=None, repr=False)
    _load: Callable[[], KnowledgeGraph] | None = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def graph(self) -> KnowledgeGraph:
        """The merged graph that was written, read back from the build folder on first use."""
        if self._graph is None:
            self._graph = self._load() if self._load is not None else KnowledgeGraph()
        return self._graph
