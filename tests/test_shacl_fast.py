"""The fast path of validation (graph/rdf/shacl_fast.py) finds what pySHACL finds, on graphs the build really writes.

The build validates every article graph with the fast path; pySHACL in full mode (advanced, so the
SPARQL-targeted shapes too, the ontology mixed in) is the reference. The graphs are an invented article's,
damaged in every way one line can be: a line gone, a literal made ill-formed, out of range or language
tagged, a node swapped for one of another class, a second value.
"""

from __future__ import annotations

import random
import re

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from graph.errors import ShapeViolation
from graph.rdf import shacl, to_ntriples, validate_ntriples
from graph.rdf.shacl_fast import Unsupported, compile_shapes
from graph.resolution.merge import merge_extractions

from .test_shapes import _pyshacl_pairs

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib inside pySHACL

TEXT = (
    "Ruritania and Valdoria agreed to a 30-day ceasefire on Monday, officials in Strelsau said.\n\n"
    "Ruritanian Foreign Minister Elena Marsh met Valdorian envoy Piotr Hale in Strelsau to discuss the truce. "
    "\u201cThis is a first step,\u201d Marsh told reporters.\n\n"
    "The Northgate Bank, which is based in Strelsau, proposed a reconstruction fund. Hale rejected the plan."
)


@pytest.fixture(scope="module")
def article_graph(extract_text) -> str:
    ex = extract_text(TEXT, published="2025-04-07")
    text = to_ntriples(merge_extractions([ex]))
    validate_ntriples(text)  # the undamaged graph conforms
    return text


def _mutants(text: str, n: int, seed: int = 11) -> list[str]:
    lines = [ln for ln in text.split("\n") if ln]
    iris = sorted({m for ln in lines for m in re.findall(r"<[^>]+/id/[^>]+>", ln)})
    rng = random.Random(seed)
    out = []
    literal = re.compile(r'"((?:[^"\\]|\\.)*)"(\^\^<[^>]+>|@[a-z]+)?')
    while len(out) < n:
        i = rng.randrange(len(lines))
        line, kind = lines[i], rng.choice(("drop", "lexical", "datatype", "swap", "twice", "lang"))
        new: list[str] | None = None
        m = literal.search(line)
        if kind == "drop":
            new = lines[:i] + lines[i + 1:]
        elif kind == "lexical" and m:
            bad = rng.choice(("x", "-1", "1.5", "2024-02-30", "", "12:00"))
            new = [*lines[:i], line[:m.start(1)] + bad + line[m.end(1):], *lines[i + 1:]]
        elif kind == "datatype" and m:
            dt = rng.choice(("integer", "decimal", "string", "date", "gYear"))
            changed = line[:m.end(1) + 1] + f"^^<http://www.w3.org/2001/XMLSchema#{dt}>" + line[m.end():]
            new = [*lines[:i], changed, *lines[i + 1:]]
        elif kind == "lang" and m:
            new = [*lines[:i], line[:m.end(1) + 1] + "@en" + line[m.end():], *lines[i + 1:]]
        elif kind == "swap" and line.rstrip(" .").endswith(">"):
            s, p, _ = line.split(" ", 2)
            new = [*lines[:i], f"{s} {p} {rng.choice(iris)} .", *lines[i + 1:]]
        elif kind == "twice":
            s, p, _ = line.split(" ", 2)
            other = rng.choice(lines).split(" ", 2)[2]
            new = [*lines, f"{s} {p} {other}"]
        if new is not None:
            out.append("\n".join(new) + "\n")
    return out


def _messages(results: list | None) -> set[tuple[str, str, str]]:
    return set(shacl._violations(results or [], str))


def _fast(text: str) -> set[tuple[str, str, str]]:
    compiled = shacl._fast_path()
    assert compiled is not None
    return _messages(compiled.results(text))


def _pyshacl_full_pairs(text: str) -> set[tuple[str, str]]:
    return _pyshacl_pairs(Graph().parse(data=text, format="nt"))  # pySHACL in advanced mode, the ontology mixed in


def _pairs(text: str) -> set[tuple[str, str]]:
    try:
        validate_ntriples(text)
    except ShapeViolation as exc:
        return {(shape, focus) for shape, focus, _ in exc.violations}
    return set()


def test_the_project_shapes_take_the_fast_path() -> None:
    """Every shape with a target but the SPARQL-targeted ones is compiled: none falls back unseen."""
    compiled = shacl._fast_path()
    assert compiled is not None
    shapes = shacl._shapes()
    targeted = {str(s) for p in (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf)
                for s in shapes.subjects(p, None)}
    assert {str(s.node) for s in compiled.shapes} == targeted
    assert len(targeted) >= 20


#: pySHACL raises on some values it cannot compare ("1.5"^^xsd:integer against an integer) instead of
#: reporting them (see test_shapes.test_values_pyshacl_could_not_compare_are_violations).
_PYSHACL_CRASHES = (TypeError, ArithmeticError)


def test_damaged_article_graphs_break_the_same_shapes_as_pyshacl_in_full_mode(article_graph: str) -> None:
    broken = compared = 0
    for text in _mutants(article_graph, 36):
        try:
            reference = _pyshacl_full_pairs(text)
        except _PYSHACL_CRASHES:
            assert _pairs(text), text  # what pySHACL could not compare is a violation here
            continue
        assert _pairs(text) == reference, text
        compared += 1
        broken += bool(reference)
    assert compared >= 30 and broken >= 12  # the damage reaches the shapes, not only lines no shape reads


def test_damaged_article_graphs_give_pyshacl_s_paths_and_values(article_graph: str) -> None:
    """Core shapes, result by result: the same path and value as pySHACL, so the messages read the same."""
    compared = 0
    for text in _mutants(article_graph, 24, seed=5):
        try:
            reference = _messages(shacl._pyshacl_results(text))
        except _PYSHACL_CRASHES:
            continue
        assert _fast(text) == reference, text
        compared += 1
    assert compared >= 20


def test_shapes_outside_the_fast_path_are_refused() -> None:
    base = "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://example.org/> .\n"
    for extra in ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:pattern \"^a\" .",
                  "ex:S a sh:NodeShape ; sh:targetNode ex:n ; sh:class ex:C .",
                  "ex:S a sh:PropertyShape ; sh:targetClass ex:C ; sh:path [ sh:inversePath ex:p ] ; sh:minCount 1 .",
                  "ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:datatype <http://www.w3.org/2001/XMLSchema#float> ."):
        with pytest.raises(Unsupported):
            compile_shapes(Graph().parse(data=base + extra, format="turtle"), Graph())


def test_without_the_fast_path_pyrudof_finds_the_same(article_graph: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full engine stays the fallback (shapes the fast path cannot read): it must agree."""
    mutants = _mutants(article_graph, 12, seed=3)
    fast = [_pairs(t) for t in mutants]
    monkeypatch.setattr(shacl, "_fast_path", lambda: None)
    assert [_pairs(t) for t in mutants] == fast
    assert any(fast)


@pytest.mark.parametrize("line", [
    '<http://e.org/a> <http://e.org/p> "plain" .',
    '<http://e.org/a> <http://e.org/p> "with \\"quotes\\" and \\\\ and \\u00e9\\n" .',
    '<http://e.org/a> <http://e.org/p> "5"^^<http://www.w3.org/2001/XMLSchema#integer> .',
    '<http://e.org/a> <http://e.org/p> "hi"@en-GB .',
    '<http://e.org/a> <http://e.org/p> "tail \\"^^<http://e.org/x> inside"@fr .',
    '_:b1 <http://e.org/p> _:b2 .',
    '<http://e.org/\\u0061> <http://e.org/p> <http://e.org/b> .',
    '<http://e.org/a>\t<http://e.org/p>\t"tabs" .',
    '<http://e.org/a><http://e.org/p><http://e.org/b>.',
    '<http://e.org/a> <http://e.org/p> "x" . # a comment " .',
    '<http://e.org/a> <http://e.org/p>  "two spaces" .',
    '<http://e.org/a> <http://e.org/p> <http://e.org/b> .   ',
    '# a comment line',
    '<http://e.org/a> <http://e.org/p> "" .',
])
def test_lines_are_read_as_pyoxigraph_reads_them(line: str) -> None:
    """The fast path cuts the usual lines with string methods; every other spelling must read the same."""
    import pyoxigraph as ox

    from graph.rdf.shacl_fast import _triples, to_term

    text = line + "\n"
    expected = [(t.subject, t.predicate, t.object) for t in ox.parse(text.encode(), format=ox.RdfFormat.N_TRIPLES)]
    assert [(to_term(s), to_term(p), to_term(o)) for s, p, o in _triples(text)] == expected
