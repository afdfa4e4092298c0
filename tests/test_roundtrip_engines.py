"""Exports loaded into real engines: LadybugDB (embedded Cypher) and an Oxigraph SPARQL server.

* the ``kuzu`` Cypher script is run as it is in an embedded LadybugDB database;
* the ``neo4j`` CSVs are read by LadybugDB's own CSV reader (``LOAD WITH HEADERS ... FROM``), into tables
  whose DDL the test derives from the CSV headers (neo4j-admin's ``name:type`` columns);
* the N-Quads and TriG are sent to a running ``oxigraph serve`` over the Graph Store Protocol and queried
  over SPARQL-over-HTTP, against a local pyoxigraph store of the same data.

Each engine must give back the KnowledgeGraph's node counts per label, relationship counts per type,
every property (hostile strings included) and the same "who agreed to what" as SPARQL over to_rdf. Both
the hand-built strike graph and a graph extracted by spaCy from a small invented story are used.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from graph.exporters import EXPORTERS
from graph.exporters.neo4j import choose_delimiter
from graph.exporters.property_graph import PropertyGraph, edge_columns, node_columns, project
from graph.model import KnowledgeGraph
from graph.rdf import serialize, to_rdf
from graph.rdf.dataset import from_knowledge_graph
from graph.vocab import DEFAULT_BASE

from .test_export import HOSTILE, HOSTILE_ALIAS, HOSTILE_KEY, UNION, expected_counts, strike_kg

pytestmark = pytest.mark.slow

STORY = (
    "HARLOW — The Harlow School Board agreed to a pay deal with the Lakeside Teachers Federation on Friday, "
    "ending a two-week strike. Mayor Anna Berg, who mediated the talks in Harlow, welcomed the deal. The Lakeside "
    "Teachers Federation also agreed to the pay deal. “We are relieved,” federation president Tom Reyes said.\n"
)
BASE = DEFAULT_BASE
_KUZU = {"string": "STRING", "string[]": "STRING[]", "long": "INT64", "double": "DOUBLE", "boolean": "BOOLEAN",
         "date": "DATE"}
_WHO_AGREED = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
               "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
               "SELECT DISTINCT ?a ?b WHERE { ?s ng:agreedTo ?o . ?s rdfs:label ?a . ?o rdfs:label ?b }")


@pytest.fixture(scope="module")
def spacy_kg(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeGraph:
    from graph.builder import build_graph

    folder = tmp_path_factory.mktemp("story")
    (folder / "harlow.txt").write_text(STORY, encoding="utf-8")
    kg = build_graph([folder])
    assert kg.relations and kg.entities, "the extractor found nothing in the story"
    return kg


@pytest.fixture(scope="module", params=["hand-built", "spacy"])
def kg(request: pytest.FixtureRequest) -> KnowledgeGraph:
    return strike_kg() if request.param == "hand-built" else request.getfixturevalue("spacy_kg")


def who_agreed_sparql(kg: KnowledgeGraph) -> set[tuple[str, str]]:
    store = ox.Store()
    store.load(input=serialize(to_rdf(kg, base=BASE), "nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return {(s["a"].value, s["b"].value) for s in store.query(_WHO_AGREED)}


# --- LadybugDB ------------------------------------------------------------------------------------------------


@pytest.fixture()
def ladybug_conn(tmp_path: Path) -> Iterator[object]:
    lb = pytest.importorskip("ladybug", reason="LadybugDB is not installed: pip install ladybug==0.22.0")
    db = lb.Database(str(tmp_path / "lbdb"))
    conn = lb.Connection(db)
    yield conn
    conn.close()
    db.close()


def rows(conn: object, query: str) -> list[list[object]]:
    result = conn.execute(query)  # type: ignore[attr-defined]
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def _plain(value: object) -> object:
    if isinstance(value, list):
        return tuple(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def read_back(conn: object, pg: PropertyGraph) -> tuple[dict[str, tuple[str, dict]], list[tuple]]:
    """Every node (id -> (label, props)) and relationship (type, start, end, props) the database holds."""
    nodes: dict[str, tuple[str, dict]] = {}
    for label in pg.labels():
        cols = node_columns(label)
        fields = ", ".join(f"n.`{c.name}`" for c in cols)
        for row in rows(conn, f"MATCH (n:{label}) RETURN n.id, {fields}"):
            props = {c.name: _plain(v) for c, v in zip(cols, row[1:], strict=True) if v is not None}
            nodes[row[0]] = (label, props)
    edges = []
    for type_ in pg.types():
        cols = edge_columns(type_)
        fields = "".join(f", r.`{c.name}`" for c in cols)
        for row in rows(conn, f"MATCH (a)-[r:{type_}]->(b) RETURN a.id, b.id{fields}"):
            props = {c.name: _plain(v) for c, v in zip(cols, row[2:], strict=True) if v is not None}
            edges.append((type_, row[0], row[1], props))
    return nodes, edges


def check_database(conn: object, kg: KnowledgeGraph) -> None:
    """Counts, every property and 'who agreed to what' as the KnowledgeGraph and SPARQL have them."""
    pg = project(kg, base=BASE)
    labels, types = expected_counts(kg)
    assert Counter(dict(rows(conn, "MATCH (n) RETURN label(n), count(*)"))) == labels
    assert Counter(dict(rows(conn, "MATCH ()-[r]->() RETURN label(r), count(*)"))) == types
    nodes, edges = read_back(conn, pg)
    assert nodes == {n.id: (n.label, dict(n.props)) for n in pg.nodes}
    want = [(e.type, e.start, e.end, dict(e.props)) for e in pg.edges]
    assert sorted(map(repr, edges)) == sorted(map(repr, want))
    agreed: set[tuple[str, str]] = set()
    if "AGREED_TO" in types:  # a type without relationships has no table in Kùzu-family databases
        agreed = {(a, b) for a, b in rows(conn, "MATCH (s)-[:AGREED_TO]->(o) RETURN DISTINCT s.name, o.name")}
        assert agreed
    assert agreed == who_agreed_sparql(kg)
    if HOSTILE_KEY in kg.entities:
        assert agreed >= {("Harbour Dockers' Union", "wage settlement"), ('Veldra Shipping Lines, "VSL"',
                                                                            "wage settlement")}
        got = rows(conn, f"MATCH (n:Person) WHERE n.id = {_lit(HOSTILE_KEY)} RETURN n.name, n.aliases")
        assert got == [[HOSTILE, [HOSTILE[:40]]]]
        got = rows(conn, f"MATCH (n:Organization {{id: {_lit(UNION)}}}) RETURN n.aliases")
        assert got == [[["HDU", HOSTILE_ALIAS]]]
        got = rows(conn, "MATCH (p)-[r:SUPPORTS]->(o) RETURN p.name, r.evidence, r.modality")
        assert got == [[HOSTILE, HOSTILE, "hypothetical"]]
        assert rows(conn, "MATCH (s:Statement) WHERE s.text = p RETURN count(*)".replace("p", _lit(HOSTILE))) == [[1]]


def _lit(text: str) -> str:
    from graph.exporters.cypher import cypher_string

    return cypher_string(text)


def test_kuzu_script_runs_in_ladybug(kg: KnowledgeGraph, ladybug_conn: object, tmp_path: Path) -> None:
    path = tmp_path / "graph.kuzu.cypher"
    EXPORTERS["kuzu"].write(kg, path, base=BASE)
    script = path.read_text(encoding="utf-8")
    for line in script.splitlines():  # one statement per line: run them one by one so a failure names its line
        if line and not line.startswith("//"):
            try:
                ladybug_conn.execute(line)  # type: ignore[attr-defined]
            except RuntimeError as exc:
                raise AssertionError(f"{exc}\n{line}") from None
    check_database(ladybug_conn, kg)
    before = rows(ladybug_conn, "MATCH ()-[r]->() RETURN count(*)")
    ladybug_conn.execute(script)  # type: ignore[attr-defined]  # the whole file at once, again: MERGE adds nothing
    assert rows(ladybug_conn, "MATCH ()-[r]->() RETURN count(*)") == before
    check_database(ladybug_conn, kg)


def _conversion(kind: str, column: str, delimiter: str) -> str:
    if kind == "string[]":
        return f"string_split({column}, {_lit(delimiter)})"
    if kind == "date":
        return f"date({column})"
    if kind == "boolean":
        return f"{column} = 'true'"
    if kind in ("long", "double"):
        return f"cast({column}, '{_KUZU[kind]}')"
    return column


def _header(path: Path) -> list[str]:
    with open(path, newline="", encoding="utf-8") as fh:
        return next(csv.reader(fh))


def _typed(header: list[str]) -> list[tuple[str, str]]:
    """(name, kind) of the property columns of a neo4j-admin header (``aliases:string[]`` -> aliases, string[])."""
    out = []
    for h in header:
        if h in ("id:ID", ":LABEL", ":START_ID", ":END_ID", ":TYPE"):
            continue
        name, _, kind = h.partition(":")
        out.append((name, kind or "string"))
    return out


def test_neo4j_csvs_load_into_ladybug(kg: KnowledgeGraph, ladybug_conn: object, tmp_path: Path) -> None:
    """Schema from the CSV headers, data through LadybugDB's CSV reader: quoting and arrays as neo4j-admin does."""
    folder = tmp_path / "neo4j"
    EXPORTERS["neo4j"].write(kg, folder, base=BASE)
    delimiter = choose_delimiter(project(kg, base=BASE))
    node_files = {p.stem: p for p in folder.glob("*.csv") if _header(p)[0] == "id:ID"}
    rel_files = {p.stem: p for p in folder.glob("*.csv") if _header(p)[0] == ":START_ID"}
    label_of: dict[str, str] = {}
    for label, path in sorted(node_files.items()):
        cols = ", ".join(f"`{n}` {_KUZU[k]}" for n, k in _typed(_header(path)))
        ladybug_conn.execute(f"CREATE NODE TABLE {label}(id STRING PRIMARY KEY, {cols})")  # type: ignore[attr-defined]
        with open(path, newline="", encoding="utf-8") as fh:
            label_of.update((row[0], label) for row in list(csv.reader(fh))[1:])
    pairs: dict[str, list[tuple[str, str]]] = {}
    for type_, path in sorted(rel_files.items()):
        with open(path, newline="", encoding="utf-8") as fh:
            pairs[type_] = sorted({(label_of[r[0]], label_of[r[1]]) for r in list(csv.reader(fh))[1:]})
        cols = [f"`{n}` {_KUZU[k]}" for n, k in _typed(_header(path))]
        ends = [f"FROM {a} TO {b}" for a, b in pairs[type_]]
        ladybug_conn.execute(f"CREATE REL TABLE {type_}({', '.join(ends + cols)})")  # type: ignore[attr-defined]

    def scan(path: Path) -> str:
        columns = ", ".join(f"c{i} STRING" for i in range(len(_header(path))))
        return f"LOAD WITH HEADERS ({columns}) FROM {_lit(str(path))} (header=true, parallel=false)"

    def values(path: Path, first: int) -> list[str]:
        return [f"`{n}`: {_conversion(k, f'c{i}', delimiter)}"
                for i, (n, k) in enumerate(_typed(_header(path)), start=first)]

    for label, path in sorted(node_files.items()):
        props = ", ".join(["id: c0", *values(path, 2)])
        ladybug_conn.execute(f"{scan(path)} CREATE (n:{label} {{{props}}})")  # type: ignore[attr-defined]
    for type_, path in sorted(rel_files.items()):
        props = ", ".join(values(path, 3))
        for a, b in pairs[type_]:  # rows whose ends have other labels match nothing here
            ladybug_conn.execute(  # type: ignore[attr-defined]
                f"{scan(path)} MATCH (s:{a} {{id: c0}}), (o:{b} {{id: c1}}) "
                f"CREATE (s)-[:{type_}{f' {{{props}}}' if props else ''}]->(o)")
    check_database(ladybug_conn, kg)


# --- Oxigraph server ------------------------------------------------------------------------------------------


def _oxigraph_binary() -> str | None:
    beside = Path(sys.executable).parent / "oxigraph"
    return str(beside) if beside.is_file() else shutil.which("oxigraph")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(method: str, url: str, data: bytes | None = None, headers: dict[str, str] | None = None) -> bytes:
    req = urllib.request.Request(url, data=data, method=method, headers=headers or {})
    with urllib.request.urlopen(req, timeout=30) as resp:  # only ever 127.0.0.1
        return resp.read()


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    binary = _oxigraph_binary()
    if binary is None:
        pytest.skip("the Oxigraph server is not installed: pip install oxigraph==0.5.13")
    folder = tmp_path_factory.mktemp("oxigraph")
    port = _free_port()
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen([binary, "serve", "--location", str(folder / "store"), "--bind", f"127.0.0.1:{port}"],
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                _http("GET", f"{url}/query?query=" + urllib.parse.quote("ASK {}"))
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("oxigraph serve did not start: " + (folder / "server.log").read_text()) from None
                time.sleep(0.1)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


_QUERIES = {
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "default": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "who agreed": _WHO_AGREED,
    "who agreed, says which article": (
        "PREFIX ng: <https://w3id.org/newsgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?g ?a ?b WHERE { GRAPH ?g { ?s ng:agreedTo ?o . ?s rdfs:label ?a . ?o rdfs:label ?b } }"),
    "texts": ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
              "SELECT DISTINCT ?t WHERE { { ?s rdfs:label ?t } UNION { ?s ng:quote ?t } UNION { ?s ng:sentence ?t } }"),
}


def _solutions(results_json: bytes) -> set[tuple]:
    doc = json.loads(results_json)
    return {tuple(sorted((k, v["type"], v["value"], v.get("datatype"), v.get("xml:lang")) for k, v in b.items()))
            for b in doc["results"]["bindings"]}


def _local_answers(data: bytes, fmt: ox.RdfFormat) -> dict[str, set[tuple]]:
    store = ox.Store()
    store.load(input=data, format=fmt)
    return {name: _solutions(store.query(q).serialize(format=ox.QueryResultsFormat.JSON))
            for name, q in _QUERIES.items()}


def _server_answers(url: str) -> dict[str, set[tuple]]:
    return {name: _solutions(_http("POST", f"{url}/query", q.encode("utf-8"), {
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}))
        for name, q in _QUERIES.items()}


def stored(g: Graph) -> Graph:
    """``g`` as Oxigraph stores it: literals in canonical form (``"0.900"^^xsd:decimal`` becomes ``0.9``)."""
    store = ox.Store()
    store.load(input=serialize(g, "nt").encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
    nt = ox.serialize([q.triple for q in store], format=ox.RdfFormat.N_TRIPLES)
    return Graph().parse(data=nt, format="nt")


def test_nquads_and_trig_in_an_oxigraph_server(kg: KnowledgeGraph, oxigraph_server: str, tmp_path: Path) -> None:
    url = oxigraph_server
    EXPORTERS["nquads"].write(kg, tmp_path / "graph.nq", base=BASE)
    EXPORTERS["trig"].write(kg, tmp_path / "graph.trig", base=BASE)
    nq, trig = (tmp_path / "graph.nq").read_bytes(), (tmp_path / "graph.trig").read_bytes()

    _http("PUT", f"{url}/store", nq, {"Content-Type": "application/n-quads"})  # GSP on the whole dataset
    from_nq = _server_answers(url)
    assert from_nq == _local_answers(nq, ox.RdfFormat.N_QUADS)
    _http("PUT", f"{url}/store", trig, {"Content-Type": "application/trig"})  # replaces it
    from_trig = _server_answers(url)
    assert from_trig == _local_answers(trig, ox.RdfFormat.TRIG) == from_nq

    whole = to_rdf(kg, base=BASE)
    assert {(a, b) for (_, _, a, *_), (_, _, b, *_) in from_nq["who agreed"]} == who_agreed_sparql(kg)
    graphs = [(name, Graph().parse(data="\n".join(lines) + "\n", format="nt"))
              for name, lines in from_knowledge_graph(kg, base=BASE).named()]
    assert {dict((k, v) for k, _, v, *_ in row)["g"] for row in from_nq["graphs"]} == {str(g) for g, _ in graphs}
    assert {row[0][2] for row in from_nq["default"]} == {str(len(whole))}

    # Graph Store Protocol per graph: the default graph and each named graph come back as they were written
    default = Graph().parse(data=_http("GET", f"{url}/store?default", headers={"Accept": "application/n-triples"}),
                            format="nt")
    assert isomorphic(default, stored(whole))
    for name, g in graphs:
        got = _http("GET", f"{url}/store?graph=" + urllib.parse.quote(str(name), safe=""),
                    headers={"Accept": "application/n-triples"})
        assert isomorphic(Graph().parse(data=got, format="nt"), stored(g))
    # and a Turtle export PUT into a named graph of its own holds the whole graph again
    ttl_graph = "urn:newsgraph:test:turtle"
    _http("PUT", f"{url}/store?graph=" + urllib.parse.quote(ttl_graph, safe=""),
          serialize(whole, "turtle").encode("utf-8"), {"Content-Type": "text/turtle"})
    count = _http("POST", f"{url}/query", f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{ttl_graph}> {{ ?s ?p ?o }} }}"
                  .encode(), {"Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    assert json.loads(count)["results"]["bindings"][0]["n"]["value"] == str(len(whole))
    if HOSTILE_KEY in kg.entities:
        texts = {dict((k, v) for k, _, v, *_ in row)["t"] for row in from_trig["texts"]}
        assert HOSTILE in texts and "Follow-up: " + HOSTILE in texts


@pytest.mark.slow
def test_a_builds_graph_nq_answers_plain_queries_in_oxigraph_serve(oxigraph_server: str, tmp_path: Path,
                                                                   nlp: object) -> None:
    """graph.nq's default graph is the merged graph: a query without GRAPH answers in a real server."""
    from graph.builder import build

    out = tmp_path / "out"
    assert build([Path(__file__).resolve().parents[1] / "seeds"], out, formats=("turtle",)).ok
    _http("PUT", f"{oxigraph_server}/store", (out / "graph.nq").read_bytes(), {"Content-Type": "application/n-quads"})
    plain = ("PREFIX ng: <https://w3id.org/newsgraph/ontology#> "
             "SELECT (COUNT(*) AS ?n) WHERE { ?s ng:agreedTo ?o }")
    answer = json.loads(_http("POST", f"{oxigraph_server}/query", plain.encode(), {
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"}))
    found = int(answer["results"]["bindings"][0]["n"]["value"])
    local = ox.Store()
    local.load(path=str(out / "graph.ttl"), format=ox.RdfFormat.TURTLE)
    assert found == int(next(iter(local.query(plain)))["n"].value) > 0  # type: ignore[index,union-attr]
