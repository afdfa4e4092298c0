"""The label index (graph/ask/labels.py): the saved queries give the same rows with it as without it.

With the index a name parameter becomes a VALUES of the nodes it names, so the engine does not read every
label; it must never change an answer. The story is test_query's (invented names).
"""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.ask.labels import LabelIndex, label_index, narrow
from graph.ask.sparql import dataset_options, get_saved_query, load_store, result_table, run_query, saved_queries

from .test_query import A1, A2, write_output

NAME_PARAMS = {name: [p.name for p in q.params if f"LCASE(${p.name})" in q.sparql and "rdfs:label" in q.sparql]
               for name, q in saved_queries().items()}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = write_output(tmp_path_factory.mktemp("labels"))
    (folder / "cache").mkdir()
    return folder


def _rows(store: ox.Store, name: str, params: dict[str, str], labels: LabelIndex | None) -> list[list[str]]:
    return result_table(run_query(store, get_saved_query(name).bind(params, labels=labels)))[1]


def test_the_name_parameters_are_found() -> None:
    assert {n for n, ps in NAME_PARAMS.items() if ps} >= {"agreements", "contacts", "quotes", "agreement-parties",
                                                          "evidence", "roles", "co-occurrence"}


@pytest.mark.parametrize("value", ["petrov", "PETROV", "Ivan Petrov", "truce", "grain deal", "ruritania", "anna",
                                   "a", "zzz-nobody", "Freedonia"])
def test_every_saved_query_gives_the_same_rows_with_the_index(out: Path, value: str) -> None:
    store = load_store(out)
    labels = label_index(out, store, dataset_options(store))
    assert labels is not None
    narrowed = 0
    for name, params in NAME_PARAMS.items():
        for param in params:
            given = {param: value}
            text = get_saved_query(name).bind(given, labels=labels)
            narrowed += "VALUES" in text
            assert _rows(store, name, given, labels) == _rows(store, name, given, None), (name, param, value)
    assert narrowed >= 7  # every name parameter of every query was narrowed


@pytest.mark.parametrize("prefix", [A1[:8], A2[:3], A1, A1.upper(), "zz", A1[:1]])
def test_the_article_query_gives_the_same_rows_with_the_index(out: Path, prefix: str) -> None:
    store = load_store(out)
    labels = label_index(out, store, dataset_options(store))
    text = get_saved_query("article").bind({"article": prefix}, labels=labels)
    assert ("VALUES" in text) == (labels is not None and labels.articles(prefix) is not None)
    assert _rows(store, "article", {"article": prefix}, labels) == _rows(store, "article", {"article": prefix}, None)
    assert labels is not None and labels.articles(A1[:8]) and not labels.articles(A1.upper())


def test_a_name_that_matches_too_much_or_is_not_ascii_is_left_to_the_engine(out: Path) -> None:
    store = load_store(out)
    labels = label_index(out, store, dataset_options(store))
    assert labels is not None
    assert labels.candidates("petrov") and labels.candidates("e", limit=2) is None
    assert labels.candidates("Petrov\u00e9") is None
    query = get_saved_query("contacts").sparql
    assert narrow(query, {"actor": "Petrov\u00e9"}, labels) == query
    assert "VALUES ?x {  }" in narrow(query, {"actor": "zzz-nobody"}, labels)  # no node: no row, at once


def test_a_blank_node_with_a_label_turns_the_index_off() -> None:
    store = ox.Store()
    label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    store.add(ox.Quad(ox.BlankNode("b1"), label, ox.Literal("Ivan Petrov")))
    store.add(ox.Quad(ox.NamedNode("http://example.org/x"), label, ox.Literal("Ivan Petrov")))
    index = LabelIndex.from_store(store, {})
    assert not index.complete and index.candidates("petrov") is None


def test_the_index_is_kept_per_build_and_made_again_after_one(out: Path, tmp_path: Path) -> None:
    import shutil

    folder = tmp_path / "out"
    shutil.copytree(out, folder)
    path = folder / "cache" / "_labels.tsv"
    path.unlink(missing_ok=True)
    store = load_store(folder)
    first = label_index(folder, store, dataset_options(store))
    assert first is not None and path.is_file()
    assert LabelIndex.load(path.read_text(encoding="utf-8").partition("\n")[2]).candidates("petrov") == \
        first.candidates("petrov")
    text = (folder / "graph.ttl").read_text(encoding="utf-8")
    (folder / "graph.ttl").write_text(text.replace('"Ivan Petrov"', '"Ivan Petrovsky"'), encoding="utf-8")
    st = (folder / "graph.ttl").stat()
    os.utime(folder / "graph.ttl", ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # another build
    store = load_store(folder)
    second = label_index(folder, store, dataset_options(store))
    assert second is not None and second.candidates("petrovsky") and not first.candidates("petrovsky")
    assert path.read_text(encoding="utf-8").startswith("# ") and "petrovsky" in path.read_text(encoding="utf-8")
