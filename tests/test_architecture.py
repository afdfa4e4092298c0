"""The house rules that keep the layout honest: what the CLI loads, what invalidates the caches, one API for
the CLI and Python, imports that run one way."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from graph.builder.fingerprint import code_digest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "graph"
HEAVY = ("rdflib", "pyoxigraph", "pyrudof", "networkx", "spacy")


def test_help_imports_no_heavy_library() -> None:
    code = ("import sys\nsys.argv = ['newsgraph', '--help']\nfrom graph.cli import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert "Usage" in out and out.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize("command", ["build", "view", "export", "query", "serve", "eval"])
def test_each_commands_help_imports_no_heavy_library(command: str) -> None:
    code = (f"import sys\nsys.argv = ['newsgraph', {command!r}, '--help']\nfrom graph.cli import app\n"
            "try:\n    app()\nexcept SystemExit:\n    pass\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_code_digest_follows_the_source_of_the_modules_named(tmp_path: Path, monkeypatch) -> None:
    pkg = tmp_path / "fpkg"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / "rules.py").write_text("X = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = code_digest("fpkg")
    assert code_digest("fpkg") == before  # stable
    (pkg / "rules.py").write_text("X = 2\n")
    assert code_digest("fpkg") != before  # an edit anywhere in the package counts
    single = code_digest("fpkg.rules")
    (pkg / "more.py").write_text("")
    assert code_digest("fpkg.rules") == single  # a module counts alone
    with pytest.raises(ModuleNotFoundError):
        code_digest("fpkg.gone")  # a module that moved fails loudly instead of dropping out


def test_the_extraction_cache_fingerprint_names_modules_that_exist() -> None:
    from graph.builder.cache import EXTRACTOR_MODULES, extractor_fingerprint

    assert code_digest(*EXTRACTOR_MODULES)
    assert extractor_fingerprint(None) == extractor_fingerprint(None)


@pytest.mark.slow
def test_build_graph_takes_the_builds_options_and_gives_its_graph(tmp_path: Path, nlp) -> None:
    import graph
    from graph.rdf import to_ntriples

    seeds = ROOT / "seeds"
    for threshold in (0.5, 0.8):
        kg = graph.build_graph([seeds], min_confidence=threshold)
        assert all(r.provenance.confidence >= threshold for r in kg.relations)
        report = graph.build([seeds], tmp_path / f"out-{threshold}", min_confidence=threshold, formats=("turtle",))
        built = graph.load(tmp_path / f"out-{threshold}")
        assert to_ntriples(kg) == to_ntriples(built) == to_ntriples(report.graph)
    with pytest.raises(TypeError):
        graph.build_graph([seeds], min_confidance=0.5)  # a misspelt option is an error, not ignored


def _imports(path: Path) -> set[str]:
    """The graph.* modules ``path`` imports at module level (relative imports resolved)."""
    package = list(path.relative_to(ROOT).with_suffix("").parts)[:-1]  # what a relative import starts from
    found = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - (node.level - 1)] if node.level > 1 else package
                mod = ".".join([*base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            if mod.startswith("graph"):
                found.add(mod)
                found.update(f"{mod}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("graph"))
    return found


def test_imports_have_no_cycle_and_no_module_is_over_500_lines() -> None:
    modules = {}
    for f in PACKAGE.rglob("*.py"):
        rel = f.relative_to(ROOT).with_suffix("")
        name = ".".join(rel.parts[:-1] if rel.parts[-1] == "__init__" else rel.parts)
        modules[name] = f
    graph = {m: {i for i in _imports(f) if i in modules and i != m} for m, f in modules.items()}
    # a package's __init__ may re-export its own modules; an edge from a module to its own package is not a cycle
    for m in graph:
        graph[m] = {i for i in graph[m] if not (m.startswith(i + ".") or i.startswith(m + "."))}
    state: dict[str, int] = {}

    def visit(m: str, path: list[str]) -> None:
        state[m] = 1
        for n in sorted(graph[m]):
            if state.get(n) == 1:
                raise AssertionError("import cycle: " + " -> ".join([*path, m, n]))
            if n not in state:
                visit(n, [*path, m])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [])
    long = {m: n for m, f in modules.items() if (n := len(f.read_text().splitlines())) > 500
            and not m.endswith("lexicon")}  # word lists may be long
    assert long == {}


@pytest.mark.slow
def test_the_cache_gives_the_same_extraction_from_memory_as_from_disk(tmp_path: Path, extract_text) -> None:
    from graph.builder.cache import ExtractionCache

    ex = extract_text((ROOT / "seeds" / "000_89ad01d58e3d4ec4.txt").read_text(encoding="utf-8"), "2025-03-19")
    cache = ExtractionCache(tmp_path, "fp")
    cache.put(ex)
    from_memory = cache.get(ex.article.id)
    from_disk = ExtractionCache(tmp_path, "fp").get(ex.article.id)
    assert from_memory == from_disk and from_disk is not None and from_disk.relations
    assert ExtractionCache(tmp_path, "another extractor").get(ex.article.id) is None
    cache.discard(ex.article.id)
    assert cache.get(ex.article.id) is None  # a discarded entry is gone from memory too
