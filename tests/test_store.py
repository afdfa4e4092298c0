"""The embedded store: one named graph per article plus the merged one, queryable as a union, consistent."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.builder import build
from graph.errors import StoreError
from graph.sources import article_id
from graph.store import MERGED, NODES, StoreLoader, apply_changes, article_graph_iri, graph_iri, open_store
from graph.vocab import DEFAULT_BASE

from .test_merge import ARTICLES, write_articles

PREFIXES = {"ng": "https://w3id.org/newsgraph/ontology#", "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
            "skos": "http://www.w3.org/2004/02/skos/core#"}


@pytest.fixture(scope="module")
def built(tmp_path_factory, nlp) -> Path:
    tmp = tmp_path_factory.mktemp("store")
    out = tmp / "out"
    report = build([write_articles(tmp / "src")], out, formats=("turtle",))
    assert report.ok
    return out


def ids() -> set[str]:
    return {article_id(t + "\n") for t in ARTICLES.values()}


@pytest.mark.slow
def test_one_named_graph_per_article_and_the_merged_graph(built):
    store = open_store(built, read_only=True)
    names = {g.value for g in store.named_graphs()}
    assert names == {article_graph_iri(a) for a in ids()} | {graph_iri(MERGED), graph_iri(NODES)}
    for a in ids():
        g = article_graph_iri(a)
        ask = f"ASK {{ GRAPH <{g}> {{ <{DEFAULT_BASE}article/{a}> a ng:NewsArticle }} }}"
        assert store.query(ask, prefixes=PREFIXES)


@pytest.mark.slow
def test_sparql_over_the_union_finds_the_merged_facts(built):
    store = open_store(built, read_only=True)
    rows = store.query("""
        SELECT DISTINCT ?name (COUNT(DISTINCT ?article) AS ?n) WHERE {
            ?p a ng:Person ; rdfs:label ?name ; skos:altLabel "Oleksandr Kovalenko" .
            ?article ng:mentions ?p .
        } GROUP BY ?name""", prefixes=PREFIXES, use_default_graph_as_union=True)
    assert [(r["name"].value, int(r["n"].value)) for r in rows] == [("Aleksandr Kovalenko", 3)]
    rows = store.query("""
        SELECT (COUNT(DISTINCT ?c) AS ?n) (COUNT(DISTINCT ?article) AS ?reports) WHERE {
            ?c a ng:Ceasefire . ?article ng:mentions ?c .
        }""", prefixes=PREFIXES, use_default_graph_as_union=True)
    [row] = list(rows)
    assert (int(row["n"].value), int(row["reports"].value)) == (1, 3)


@pytest.mark.slow
def test_store_graph_nq_and_turtle_agree(built):
    """The store holds exactly graph.nq (its merged graph there as the default graph), and its merged graph is
    exactly graph.ttl (written by another route)."""
    store = open_store(built, read_only=True)
    nq, ttl = ox.Store(), ox.Store()
    nq.load(path=str(built / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    ttl.load(path=str(built / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    merged_iri = ox.NamedNode(graph_iri(MERGED))
    as_file = {ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) if q.graph_name == merged_iri else q
               for q in store}
    assert as_file == set(nq)
    merged = {ox.Triple(q.subject, q.predicate, q.object)
              for q in store.quads_for_pattern(None, None, None, merged_iri)}
    assert merged == {ox.Triple(q.subject, q.predicate, q.object) for q in ttl}
    # the file's lines are the store's own, as text: the mapping writes the store's canonical literals
    default_lines = set()
    for line in (built / "graph.nq").read_text().splitlines():
        if isinstance(next(iter(ox.parse(input=line.encode(), format=ox.RdfFormat.N_QUADS))).graph_name,
                      ox.DefaultGraph):
            default_lines.add(line)
    assert default_lines == {f"{q.subject} {q.predicate} {q.object} ."
                             for q in store.quads_for_pattern(None, None, None, merged_iri)}


@pytest.mark.slow
def test_a_build_and_an_export_write_the_same_graph_nq(built, tmp_path):
    from typer.testing import CliRunner

    from graph.cli import app

    result = CliRunner().invoke(app, ["export", str(built), "-f", "nquads", "--to", str(tmp_path / "export.nq")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "export.nq").read_bytes() == (built / "graph.nq").read_bytes()
    result = CliRunner().invoke(app, ["export", str(built), "-f", "trig", "--to", str(tmp_path / "export.trig")])
    assert result.exit_code == 0, result.output
    trig = set(ox.parse(path=str(tmp_path / "export.trig"), format=ox.RdfFormat.TRIG))
    assert trig == set(ox.parse(path=str(built / "graph.nq"), format=ox.RdfFormat.N_QUADS))


@pytest.mark.slow
def test_the_merged_graph_is_the_nodes_graph_and_the_article_graphs_together(built):
    store = open_store(built, read_only=True)

    def triples(iri: str) -> set[ox.Triple]:
        return {ox.Triple(q.subject, q.predicate, q.object)
                for q in store.quads_for_pattern(None, None, None, ox.NamedNode(iri))}

    parts = triples(graph_iri(NODES)).union(*(triples(article_graph_iri(a)) for a in ids()))
    assert triples(graph_iri(MERGED)) == parts
    assert any("altLabel" in str(t.predicate) for t in triples(graph_iri(NODES)))  # every alias is in the nodes graph


@pytest.mark.slow
def test_every_article_graph_is_part_of_the_merged_graph(built):
    store = open_store(built, read_only=True)
    merged = ox.NamedNode(graph_iri(MERGED))
    for a in ids():
        g = ox.NamedNode(article_graph_iri(a))
        missing = [q for q in store.quads_for_pattern(None, None, None, g)
                   if ox.Quad(q.subject, q.predicate, q.object, merged) not in store]
        assert missing == []


def test_an_update_is_all_or_nothing(tmp_path):
    store = open_store(tmp_path)
    g1, g2 = "http://example.org/g1", "http://example.org/g2"
    apply_changes(store, insert={g1: ['<http://example.org/s> <http://example.org/p> "1" .']})
    with pytest.raises(StoreError):
        apply_changes(store, drop=[g1], insert={g2: ["<http://example.org/s> <http://example.org/p> broken ."]})
    assert {q.graph_name.value for q in store} == {g1}
    del store


def test_read_only_needs_a_store_and_works_beside_no_writer(tmp_path):
    with pytest.raises(StoreError):
        open_store(tmp_path, read_only=True)
    store = open_store(tmp_path)
    apply_changes(store, insert={"http://example.org/g": ['<http://example.org/s> <http://example.org/p> "1" .']})
    del store
    ro = open_store(tmp_path, read_only=True)
    assert len(ro) == 1
    assert ro.query("ASK { ?s ?p ?o }", use_default_graph_as_union=True)


def test_an_interrupted_swap_is_finished_on_open(tmp_path):
    new = tmp_path / "store.new"
    store = ox.Store(str(new))
    store.add(ox.Quad(ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p"), ox.Literal("1")))
    store.flush()
    del store
    (new / ".complete").touch()
    assert len(open_store(tmp_path, read_only=False)) == 1
    assert not new.exists()


def _quad(n: int, graph: str = "http://example.org/g") -> str:
    return f'<http://example.org/s{n}> <http://example.org/p> "{n}" <{graph}> .'


def _old_store(out: Path) -> None:
    store = open_store(out)
    apply_changes(store, insert={"http://example.org/old": ['<http://example.org/s> <http://example.org/p> "old" .']})
    del store


def test_a_loaded_store_replaces_the_old_one_whole(tmp_path):
    """Lines are loaded in slices, in a thread, duplicates once; the old store goes only at commit."""
    _old_store(tmp_path)
    loader = StoreLoader(tmp_path, slice_lines=3)
    loader.add(_quad(n) for n in range(10))
    loader.add([_quad(4), _quad(5)])  # the same quads again, in another slice
    assert len(open_store(tmp_path, read_only=True)) == 1  # still the old store
    loader.commit()
    store = open_store(tmp_path, read_only=True)
    assert sorted(int(q.object.value) for q in store) == list(range(10))
    assert not (tmp_path / "store.new").exists()


def test_a_failed_load_keeps_the_old_store(tmp_path):
    _old_store(tmp_path)
    loader = StoreLoader(tmp_path, slice_lines=2)
    loader.add([_quad(1), _quad(2), "<http://example.org/s> broken .", _quad(3)])
    loader.add(_quad(n) for n in range(10, 20))  # after the failure: taken and dropped, never blocking
    with pytest.raises(StoreError, match="cannot build the store"):
        loader.commit()
    assert [q.object.value for q in open_store(tmp_path, read_only=True)] == ["old"]
    assert not (tmp_path / "store.new").exists()


def test_an_aborted_load_keeps_the_old_store(tmp_path):
    _old_store(tmp_path)
    loader = StoreLoader(tmp_path, slice_lines=2)
    loader.add(_quad(n) for n in range(5))
    loader.abort()
    assert [q.object.value for q in open_store(tmp_path, read_only=True)] == ["old"]
    assert not (tmp_path / "store.new").exists()


@pytest.mark.slow
def test_article_graphs_mapped_in_worker_processes_give_the_same_bytes(tmp_path, nlp, monkeypatch):
    """With --jobs 2 articles are parsed and extracted by two worker processes (one article a batch here),
    and the article graphs are mapped and validated by a pool of processes, one chunk a task."""
    src = write_articles(tmp_path / "src")
    one = build([src], tmp_path / "one", formats=("turtle",))
    for module in ("graph.builder.run", "graph.builder.views"):  # three chunks, so the pool is used
        monkeypatch.setattr(f"{module}.VALIDATION_CHUNK", 1)
    two = build([src], tmp_path / "two", formats=("turtle",), n_process=2, batch_size=1)
    assert two.parsed == one.parsed and len(one.parsed) == 3
    for name in ("graph.ttl", "graph.nq"):
        assert (tmp_path / "two" / name).read_bytes() == (tmp_path / "one" / name).read_bytes()
