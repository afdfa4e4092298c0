"""``newsgraph eval GOLD_DIR``: build each annotated article alone and score it, so quality is a number in CI.

GOLD_DIR holds ``NAME.json`` gold files (the shared scorer's format) with the article ``NAME.txt``
beside each (and optionally ``NAME.meta.json``). Every article is built on its own into
``OUT/NAME/graph.ttl`` -- the gold describes one article, and a multi-article graph would merge
actors across stories -- then scored with :mod:`graph.quality.score`. Totals are micro-averaged.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from ..errors import ModelError, NewsgraphError, UsageError

if TYPE_CHECKING:
    from rdflib import Graph

__all__ = ["EvalDocument", "check_syntax", "detail_lines", "failed_bounds", "find_documents", "render_report",
           "report_table", "run_eval"]

DEFAULT_OUT = Path("out/eval")


@dataclass(frozen=True)
class EvalDocument:
    """One annotated article: its name, gold file and text file."""

    name: str
    gold: Path
    text: Path


def find_documents(gold_dir: Path) -> list[EvalDocument]:
    """The ``NAME.json`` golds of ``gold_dir`` (not sub-folders) that have ``NAME.txt`` beside them, by name."""
    docs = []
    for gold in sorted(Path(gold_dir).glob("*.json")):
        if gold.name.endswith(".meta.json"):
            continue
        text = gold.with_suffix(".txt")
        if text.is_file():
            docs.append(EvalDocument(gold.stem, gold, text))
    return docs


def run_eval(
    gold_dir: Path,
    out_dir: Path = DEFAULT_OUT,
    *,
    build: bool = True,
    ontology_dir: Path | None = None,
    model: str | None = None,
) -> dict[str, Any]:
    """Build (if ``build``) and score every document of ``gold_dir``; :func:`score_corpus`'s result plus ``errors``.

    A document whose build fails is scored as an empty graph (all misses) and named in ``errors``, so
    one broken article lowers the totals instead of hiding from them. Raises UsageError when there is
    nothing to score or, without ``build``, a graph is missing; ModelError when no model loads.
    """
    from rdflib import Graph

    from ..builder import build as build_article
    from ..vocab import ONTOLOGY_DIR
    from .score import load_graph, score_corpus

    docs = find_documents(gold_dir)
    if not docs:
        raise UsageError(f"no NAME.json gold with a NAME.txt beside it in {gold_dir}")
    ontology = ontology_dir if ontology_dir is not None else ONTOLOGY_DIR
    pairs: dict[str, tuple[Graph, dict[str, Any]]] = {}
    errors: dict[str, str] = {}
    for doc in docs:
        target = Path(out_dir) / doc.name
        graph_file = target / "graph.ttl"
        if build:
            try:
                report = build_article([doc.text], target, model=model, formats=("turtle",))
            except ModelError:
                raise
            except NewsgraphError as exc:
                errors[doc.name] = str(exc)
            else:
                if report.failures:
                    errors[doc.name] = "; ".join(str(f) for f in report.failures)
        elif not graph_file.is_file():
            raise UsageError(f"no graph at {graph_file}; run with --build")
        gold = json.loads(doc.gold.read_text(encoding="utf-8"))
        g = load_graph(graph_file, ontology) if doc.name not in errors and graph_file.is_file() else Graph()
        pairs[doc.name] = (g, gold)
    result = score_corpus(pairs)
    result["errors"] = errors
    return result


def _prf(r: dict[str, Any]) -> str:
    return f"{r['p']:.2f}/{r['r']:.2f}/{r['f1']:.2f}"


def _counts(r: dict[str, Any]) -> str:
    return f"{r['tp']}/{r['fp']}/{r['fn']}"


def report_table(result: dict[str, Any], title: str = "newsgraph eval") -> Table:
    """One row per document and a micro-averaged total row: P/R/F1, tp/fp/fn, roles, quotes, provenance."""
    table = Table(title=title, title_justify="left")
    table.add_column("document")
    for col in ("entities P/R/F1", "tp/fp/fn", "agreements P/R/F1", "relations P/R/F1", "tp/fp/fn"):
        table.add_column(col, justify="right")
    for col in ("types", "roles", "quotes", "prov"):
        table.add_column(col, justify="right")

    def row(name: str, r: dict[str, Any], style: str | None = None) -> None:
        table.add_row(
            name, _prf(r["entities"]), _counts(r["entities"]), _prf(r["agreements"]), _prf(r["relations"]),
            _counts(r["relations"]), f"{r['entity_types']:.2f}", f"{r['roles']['found']}/{r['roles']['of']}",
            f"{r['statements']['found']}/{r['statements']['of']}", f"{r['provenance']['share']:.2f}", style=style)

    for name, r in result["documents"].items():
        row(name, r)
    table.add_section()
    row("micro", result["micro"], style="bold")
    return table


def detail_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for name, r in result["documents"].items():
        for kind in ("missed", "wrong"):
            for what, items in r[kind].items():
                if items:
                    lines.append(f"{name}: {kind} {what}: " + "; ".join(items))
    for name, message in result.get("errors", {}).items():
        lines.append(f"{name}: build failed: {message}")
    return lines


def render_report(result: dict[str, Any], *, details: bool = True, width: int = 160) -> str:
    """The table (and the misses and wrong guesses) as plain text, e.g. for a CI artifact."""
    buf = io.StringIO()
    console = Console(file=buf, width=width, no_color=True, force_terminal=False, highlight=False)
    console.print(report_table(result))
    if details:
        for line in detail_lines(result):
            console.print(line, markup=False, soft_wrap=True)
    return buf.getvalue()


def failed_bounds(result: dict[str, Any], bounds: Sequence[str]) -> list[str]:
    """Bounds apply to the micro totals; ``documents.NAME.KEY`` reaches one document."""
    from .score import check_bounds

    micro = [b for b in bounds if not b.startswith(("documents.", "micro."))]
    full = [b for b in bounds if b.startswith(("documents.", "micro."))]
    return check_bounds(result["micro"], micro) + check_bounds(result, full)


def check_syntax(bounds: Sequence[str]) -> None:
    for bound in bounds:
        key, sep, value = bound.partition("=")
        try:
            float(value)
        except ValueError:
            raise ValueError(f"bound {bound!r} is not KEY=NUMBER") from None
        if not sep or not key.strip():
            raise ValueError(f"bound {bound!r} is not KEY=NUMBER")
