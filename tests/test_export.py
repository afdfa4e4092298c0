"""Export formats (issue 6): registry, RDF datasets, Neo4j CSVs, Cypher, GraphML, flat CSV and the CLI.

The graph is built by hand from records (an invented port strike settlement) and carries hostile
strings everywhere a string can go; every format must give them back byte for byte (GraphML: except
the control characters XML 1.0 cannot hold, which become U+FFFD). Real engines are in
test_roundtrip_engines.py.
"""

from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import typer
from rdflib import RDFS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from typer.testing import CliRunner

import graph
from graph.cli.export import register
from graph.exporters import EXPORTERS
from graph.exporters.cypher import cypher_string, float_literal, render
from graph.exporters.graphml import REPLACEMENT, to_graph, xml_safe
from graph.exporters.neo4j import choose_delimiter
from graph.exporters.property_graph import iso_date, project
from graph.model import KnowledgeGraph
from graph.rdf import node_iri, to_rdf, validate
from graph.rdf.dataset import from_knowledge_graph, write_nquads, write_trig
from graph.rdf.iris import NODES, article_graph_iri, graph_iri
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement
from graph.vocab import DEFAULT_BASE, NG

ROOT = Path(__file__).resolve().parent.parent
#: rdflib's N-Quads and TriG parsers use its own deprecated API; nothing to do with this project.
pytestmark = [pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
              pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")]
A1, A2 = "5a1e000000000001", "5a1e000000000002"
UNION, SHIPPING = "organization/harbour-dockers-union", "organization/veldra-shipping-lines"
MEDIATOR, LEADER, PORT = "person/mira-okafor", "person/tomas-lind", "place/port-veldra"
HOSTILE_KEY = "person/o'neil \"x\" `y`"
DEAL, TALKS, OFFER = f"agreement/{A1}/wage-settlement", f"agreement/{A1}/mediation-talks", f"agreement/{A1}/pay-offer"

#: Quotes, backslashes, CSV/Cypher/HTML/JSON meta-characters, newlines, tabs, emoji, RTL text and an RLM
#: mark, a bell (a control character XML 1.0 cannot carry) and an injection attempt.
HOSTILE = ("He said \"no\", she said 'yes' \\ back\\slash \\n; semi,comma\nnew line\r\nCRLF\ttab 🙂 "
           "مرحبا עברית \u200f <script>alert(1)</script> } { $x `tick` // not a comment /* */ -- "
           "'}) DETACH DELETE n // \x07bell")
HOSTILE_ALIAS = "the \"union\"; dockers | all"
HOSTILE_ROLE = "spokes;person, \"acting\""


def _pv(article: str, start: int, sentence: str, conf: float = 0.9, resolved: bool = False) -> Provenance:
    return Provenance(article, sentence, start, start + len(sentence), conf, resolved)


def strike_extractions() -> list[Extraction]:
    """Two invented articles: dockers and a shipping line settle a strike through a mediator."""
    art1 = Article(id=A1, text="(invented)", path="strike.txt", title="Dockers end strike at Port Veldra",
                   published="2025-03-14", source="Harbour Times", author="R. Quay",
                   url="https://news.example.org/veldra-strike")
    art2 = Article(id=A2, text="(invented)", path="later.txt", title="Follow-up: " + HOSTILE, published="2025-03")
    s_union = _pv(A1, 0, "The Harbour Dockers' Union agreed to the wage settlement.")
    s_ship = _pv(A1, 60, "Veldra Shipping Lines also agreed to the deal.", 0.85)
    s_ship2 = _pv(A2, 0, "VSL confirmed it agreed to the settlement.", 0.8)
    s_med = _pv(A1, 120, "Mediator Mira Okafor negotiated the settlement over three nights.", 0.75)
    s_met = _pv(A1, 200, "The union met with Veldra Shipping Lines in Port Veldra.")
    s_rej = _pv(A1, 260, "Earlier the union rejected a 3% pay offer.", 0.7)
    s_mem = _pv(A1, 310, "Lind, who leads the union, spoke first.", 0.6, resolved=True)
    s_hostile = _pv(A2, 50, HOSTILE, 0.55)
    ents = [
        Entity(UNION, "Organization", "Harbour Dockers' Union", aliases=("HDU", HOSTILE_ALIAS), articles=(A1, A2)),
        Entity(SHIPPING, "Organization", 'Veldra Shipping Lines, "VSL"', aliases=("VSL",), articles=(A1, A2)),
        Entity(MEDIATOR, "Person", "Mira Okafor", roles=("labour arbitrator", "mediator"), articles=(A1,)),
        Entity(LEADER, "Person", "Tomas Lind", roles=("union secretary",), articles=(A1,)),
        Entity(HOSTILE_KEY, "Person", HOSTILE, aliases=(HOSTILE[:40],), roles=(HOSTILE_ROLE,), articles=(A2,)),
        Entity(PORT, "Place", "Port Veldra", articles=(A1,)),
        Entity("country/marenia", "Country", "Marenia", code="MR", articles=(A1,)),
    ]
    agrs = [
        Agreement(DEAL, "Deal", "wage settlement", aliases=("pay deal",), status="signed", scope="all dock workers",
                  duration="three years", place=PORT, date="2025-03-13", articles=(A1, A2), provenance=s_union),
        Agreement(TALKS, "Talks", "mediation talks", place=PORT, date="2025-03", articles=(A1,)),
        Agreement(OFFER, "Proposal", "3% pay offer", status="rejected", articles=(A1,)),
    ]
    rels = [
        Relation(UNION, "agreedTo", DEAL, s_union, date="2025-03-13"),
        Relation(SHIPPING, "agreedTo", DEAL, s_ship),
        Relation(SHIPPING, "agreedTo", DEAL, s_ship2),
        Relation(MEDIATOR, "negotiated", DEAL, s_med),
        Relation(UNION, "metWith", SHIPPING, s_met),
        Relation(UNION, "participatesIn", TALKS, s_med),
        Relation(SHIPPING, "participatesIn", TALKS, s_med),
        Relation(TALKS, "locatedIn", PORT, s_met),
        Relation(PORT, "locatedIn", "country/marenia", s_met),
        Relation(UNION, "rejected", OFFER, s_rej),
        Relation(LEADER, "memberOf", UNION, s_mem),
        Relation(HOSTILE_KEY, "supports", UNION, s_hostile, modality="hypothetical", date="2025-03-14"),
    ]
    stmts = [
        Statement(f"statement/{A1}/q1", (LEADER,), "We won this together, every crane and every shift.", "said",
                  "quote", _pv(A1, 400, '"We won this together, every crane and every shift," Lind said.')),
        Statement(f"statement/{A1}/c1", (SHIPPING,), "the strike cost 40 million", "claimed", "claim",
                  _pv(A1, 480, "The company claimed the strike cost 40 million.", 0.7)),
        Statement(f"statement/{A2}/q2", (HOSTILE_KEY, LEADER), HOSTILE, "warned", "quote", _pv(A2, 50, HOSTILE, 0.6)),
    ]
    return [Extraction(art1, ents, agrs, rels, stmts[:2]), Extraction(art2, [], [], [], stmts[2:])]


def strike_kg() -> KnowledgeGraph:
    return KnowledgeGraph.from_extractions(strike_extractions())


def expected_counts(kg: KnowledgeGraph) -> tuple[Counter, Counter]:
    """Node count per primary label and relationship count per type, computed from the records directly."""
    from graph.records import ENTITY_TYPES
    from graph.vocab import EVENT_TYPES

    labels: Counter = Counter()
    labels.update(e.type if e.type in ENTITY_TYPES else "Actor" for e in kg.entities.values())
    labels.update("Event" if a.type in EVENT_TYPES else "Agreement" for a in kg.agreements.values())
    labels["Statement"] += len(kg.statements)
    labels["Article"] += len(kg.articles)
    types: Counter = Counter()
    for r in kg.relations:
        types[re.sub(r"(?<=[a-z])(?=[A-Z])", "_", r.predicate).upper()] += 1
    types["MENTIONS"] += sum(len(set(n.articles)) for n in (*kg.entities.values(), *kg.agreements.values()))
    types["SAID"] += sum(len(set(s.speakers)) for s in kg.statements.values() if s.kind == "quote")
    types["CLAIMED"] += sum(len(set(s.speakers)) for s in kg.statements.values() if s.kind == "claim")
    types["AT_PLACE"] += sum(1 for a in kg.agreements.values() if a.place)
    return +labels, +types


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return strike_kg()


@pytest.fixture(scope="module")
def exported(kg: KnowledgeGraph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("export")
    for e in EXPORTERS.values():
        e.write(kg, out / e.filename, base=DEFAULT_BASE)
    return out


def test_hand_built_graph_is_valid(kg: KnowledgeGraph) -> None:
    validate(to_rdf(kg))
    assert {r.predicate for r in kg.relations} >= {"agreedTo", "negotiated", "metWith", "rejected", "supports"}


# --- registry and determinism ----------------------------------------------------------------------------


def test_registry_has_every_format_with_its_default_name() -> None:
    want = {"turtle": "graph.ttl", "html": "graph.html", "ntriples": "graph.nt", "jsonld": "graph.jsonld",
            "nquads": "graph.nq", "trig": "graph.trig", "neo4j": "neo4j", "cypher": "graph.cypher",
            "kuzu": "graph.kuzu.cypher", "graphml": "graph.graphml", "csv": "csv"}
    assert {n: e.filename for n, e in EXPORTERS.items()} == want
    assert EXPORTERS["turtle"].module == "rdf_formats" and EXPORTERS["html"].module == "html"
    assert all(e.description for e in EXPORTERS.values())


_CHILD = (
    "import sys; sys.path.insert(0, {root!r}); from pathlib import Path; "
    "from tests.test_export import strike_kg; from graph.exporters import EXPORTERS; "
    "kg = strike_kg(); out = Path({out!r}); "
    "[e.write(kg, out / e.filename, base='http://example.org/kg/') for e in EXPORTERS.values()]"
)


def _tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_format_is_byte_identical_across_processes(tmp_path: Path) -> None:
    trees = []
    for seed in ("1", "4242"):
        out = tmp_path / seed
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", _CHILD.format(root=str(ROOT), out=str(out))], env=env, check=True,
                       cwd=ROOT)
        trees.append(_tree(out))
    assert trees[0] == trees[1]
    assert len(trees[0]) > len(EXPORTERS)
    for name, data in trees[0].items():
        if name.endswith(".csv"):  # RFC 4180 CSV: CRLF record ends, so a bare \r in a value is quoted
            assert data.endswith(b"\r\n"), name
        elif not name.endswith((".html", ".graphml")):
            assert b"\r\n" not in data.replace(b'\r\nCRLF', b''), name  # \n line ends (CRLF only in the data)


def test_exporters_work_on_an_empty_graph(tmp_path: Path) -> None:
    for e in EXPORTERS.values():
        e.write(KnowledgeGraph(), tmp_path / e.filename, base=DEFAULT_BASE)
    assert (tmp_path / "graph.nq").read_text() == ""
    assert (tmp_path / "neo4j" / "README.md").is_file()


# --- RDF ------------------------------------------------------------------------------------------------------


def _labels_and_texts(g: Graph) -> set[str]:
    return {str(o) for o in g.objects(None, RDFS.label)} | {str(o) for o in g.objects(None, NG.quote)} | {
        str(o) for o in g.objects(None, NG.sentence)}


@pytest.mark.parametrize(("filename", "fmt"), [("graph.nt", "nt"), ("graph.jsonld", "json-ld")])
def test_ntriples_and_jsonld_are_isomorphic_with_the_turtle(exported: Path, filename: str, fmt: str) -> None:
    ttl = Graph().parse(exported / "graph.ttl", format="turtle")
    other = Graph().parse(exported / filename, format=fmt)
    assert isomorphic(ttl, other)
    assert HOSTILE in _labels_and_texts(other)


def test_jsonld_is_compacted_with_the_project_context(exported: Path) -> None:
    doc = json.loads((exported / "graph.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["agreedTo"] == {"@id": "ng:agreedTo", "@type": "@id"}
    text = json.dumps(doc, ensure_ascii=False)
    assert '"agreedTo"' in text and '"Organization"' in text and "🙂" in text


def _dataset(path: Path, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(path, format=fmt)
    return ds


def _graph_of(ds: Dataset, name: URIRef | None) -> Graph:
    g = Graph()
    for s, p, o, c in ds.quads((None, None, None, None)):
        if (name is None and c in (None, ds.default_graph.identifier)) or (name is not None and c == name):
            g.add((s, p, o))
    return g


@pytest.mark.parametrize(("filename", "fmt"), [("graph.nq", "nquads"), ("graph.trig", "trig")])
def test_datasets_hold_the_whole_graph_and_one_named_graph_per_article_and_the_nodes(
        kg: KnowledgeGraph, exported: Path, filename: str, fmt: str) -> None:
    ds = _dataset(exported / filename, fmt)
    whole = to_rdf(kg)
    assert isomorphic(_graph_of(ds, None), whole)
    g1, g2 = URIRef(article_graph_iri(A1, DEFAULT_BASE)), URIRef(article_graph_iri(A2, DEFAULT_BASE))
    assert g1 == URIRef(DEFAULT_BASE + f"graph/article/{A1}")
    nodes = URIRef(graph_iri(NODES, DEFAULT_BASE))
    names = {c for _, _, _, c in ds.quads((None, None, None, None))} - {None, ds.default_graph.identifier}
    assert names == {g1, g2, nodes}
    assert not set(_graph_of(ds, nodes).subjects(NG.mentions, None))  # the nodes graph names no article
    one, two = _graph_of(ds, g1), _graph_of(ds, g2)
    iri = node_iri
    # the second article says that the shipping line agreed, with its own evidence, but not that the union did
    assert (iri(SHIPPING), NG.agreedTo, iri(DEAL)) in two and (iri(UNION), NG.agreedTo, iri(DEAL)) not in two
    assert (iri(UNION), NG.agreedTo, iri(DEAL)) in one
    assert {str(o) for o in two.objects(None, NG.sentence)} == {"VSL confirmed it agreed to the settlement.",
                                                                  HOSTILE}
    assert (iri(f"statement/{A2}/q2"), NG.quote, Literal(HOSTILE)) in two
    assert (iri(f"statement/{A2}/q2"), NG.quote, Literal(HOSTILE)) not in one
    # nodes come with their types and labels; mentions are the article's own
    assert (iri(UNION), RDFS.label, Literal("Harbour Dockers' Union")) in two
    assert set(two.subjects(NG.mentions, None)) == {iri(f"article/{A2}")}
    assert (iri(MEDIATOR), RDFS.label, Literal("Mira Okafor")) in one
    assert (iri(MEDIATOR), RDFS.label, Literal("Mira Okafor")) not in two
    assert set(one) | set(two) <= set(whole)


def test_nquads_go_graph_by_graph_sorted_and_trig_holds_the_same_quads(kg: KnowledgeGraph, exported: Path,
                                                                       tmp_path: Path) -> None:
    nq = (exported / "graph.nq").read_text(encoding="utf-8")
    lines = nq.splitlines()
    assert len(lines) == len(set(lines))
    groups: dict[str, list[str]] = {}  # graph -> its lines, in file order
    for line in lines:
        q = next(iter(ox.parse(input=line.encode(), format=ox.RdfFormat.N_QUADS)))
        name = "" if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value
        groups.setdefault(name, []).append(line)
    assert list(groups) == ["", *sorted(n for n in groups if n)]  # the default graph first, then by IRI
    assert all(g == sorted(g) for g in groups.values())
    quads_nq = set(ox.parse(input=nq.encode(), format=ox.RdfFormat.N_QUADS))
    quads_trig = set(ox.parse(path=str(exported / "graph.trig"), format=ox.RdfFormat.TRIG))
    assert quads_nq == quads_trig
    write_nquads(from_knowledge_graph(kg, base=DEFAULT_BASE), tmp_path / "again.nq")
    write_trig(from_knowledge_graph(kg, base=DEFAULT_BASE), tmp_path / "again.trig")
    assert (tmp_path / "again.nq").read_text(encoding="utf-8") == nq
    assert (tmp_path / "again.trig").read_bytes() == (exported / "graph.trig").read_bytes()


@pytest.mark.parametrize("filename", ["graph.nq", "graph.trig", "graph.nt", "graph.jsonld"])
def test_graph_load_reads_every_rdf_export_back(kg: KnowledgeGraph, exported: Path, filename: str) -> None:
    back = graph.load(exported / filename)
    assert isomorphic(to_rdf(back), to_rdf(kg))
    assert back.entities[HOSTILE_KEY].label == HOSTILE
    assert back.articles[A2].title == "Follow-up: " + HOSTILE


def test_custom_base_changes_graph_names_too(kg: KnowledgeGraph, tmp_path: Path) -> None:
    write_nquads(from_knowledge_graph(kg, base="http://example.org/kg/"), tmp_path / "g.nq")
    nq = (tmp_path / "g.nq").read_text(encoding="utf-8")
    assert f"<http://example.org/kg/graph/article/{A1}> ." in nq and DEFAULT_BASE not in nq


# --- Cypher ---------------------------------------------------------------------------------------------------


def unescape_cypher(literal: str) -> str:
    """Read a single-quoted Cypher string literal back (an independent reading of the escape rules)."""
    assert literal[0] == literal[-1] == "'"
    out, body, i = [], literal[1:-1], 0
    simple = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b", "f": "\f"}
    while i < len(body):
        ch = body[i]
        if ch == "'":
            raise AssertionError(f"unescaped quote in {literal!r}")
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = body[i + 1]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt == "u":
            out.append(chr(int(body[i + 2:i + 6], 16)))
            i += 6
        elif nxt == "U":
            out.append(chr(int(body[i + 2:i + 10], 16)))
            i += 10
        else:
            raise AssertionError(f"unknown escape in {literal!r}")
    return "".join(out)


@pytest.mark.parametrize("text", [HOSTILE, HOSTILE_ALIAS, "", "'", "\\", "\\'", "a\u0000b", "\U000e0001tag",
                                  "\u2028\u2029", "'); MATCH (n) DETACH DELETE n; //", "🙂 مرحبا \u200f"])
def test_cypher_string_round_trips_and_stays_on_one_line(text: str) -> None:
    lit = cypher_string(text)
    assert unescape_cypher(lit) == text
    assert "\n" not in lit and "\r" not in lit and all(ch.isprintable() for ch in lit)


def test_cypher_string_spelling() -> None:
    assert cypher_string("it's \"x\" \\") == "'it\\'s \\\"x\\\" \\\\'"
    assert cypher_string("a\nb\tc\rd") == "'a\\nb\\tc\\rd'"
    assert cypher_string("\u200f\x07\U000e0001") == "'\\u200F\\u0007\\U000E0001'"
    assert cypher_string("🙂 עברית // `x` $y") == "'🙂 עברית // `x` $y'"


def test_float_literals_have_no_exponent() -> None:
    assert [float_literal(v) for v in (0.55, 1.0, 1e-05, 1e16, 0.1 + 0.2)] == [
        "0.55", "1.0", "0.00001", "10000000000000000.0", "0.30000000000000004"]


def test_cypher_scripts_hold_one_statement_per_line(kg: KnowledgeGraph, exported: Path) -> None:
    pg = project(kg, base=DEFAULT_BASE)
    plain = (exported / "graph.cypher").read_text(encoding="utf-8").splitlines()
    kuzu = (exported / "graph.kuzu.cypher").read_text(encoding="utf-8").splitlines()
    for lines in (plain, kuzu):
        code = [ln for ln in lines if not ln.startswith("//")]
        assert all(ln.endswith(";") for ln in code)
    code = [ln for ln in plain if not ln.startswith("//")]
    extra = [n for n in pg.nodes if n.extra]
    assert len(code) == len(pg.nodes) + len(pg.edges) + len(extra)
    assert f"MATCH (n:Event {{id: '{TALKS}'}}) SET n:Talks;" in plain
    assert f"MATCH (n:Statement {{id: 'statement/{A1}/c1'}}) SET n:Claim;" in plain
    # the Kùzu script is its schema followed by the very same node and relationship statements
    schema = [ln for ln in kuzu if ln.startswith("CREATE ")]
    assert len(schema) == len(pg.labels()) + len(pg.types())
    body = [ln for ln in kuzu if not ln.startswith(("//", "CREATE "))]
    assert body == code[: len(pg.nodes) + len(pg.edges)]
    assert any("FROM Organization TO Agreement" in ln for ln in schema)


def test_unknown_dialect_is_an_error(kg: KnowledgeGraph) -> None:
    with pytest.raises(ValueError, match="dialect"):
        render(kg, base=DEFAULT_BASE, dialect="gremlin")


# --- Neo4j folder ---------------------------------------------------------------------------------------------


def read_neo4j_csv(path: Path, delimiter: str) -> tuple[list[str], list[dict[str, object]]]:
    """Read a neo4j-admin CSV as neo4j-admin types it: ``name:type`` headers, arrays split on ``delimiter``."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, out = rows[0], []
    conv = {"long": int, "double": float, "boolean": lambda v: v == "true", "date": str}
    for row in rows[1:]:
        assert len(row) == len(header), (path, row)
        rec: dict[str, object] = {}
        for h, v in zip(header, row, strict=True):
            if v == "":
                continue
            name, _, kind = h.partition(":")
            if h in ("id:ID", ":LABEL", ":START_ID", ":END_ID", ":TYPE"):
                rec[h] = tuple(v.split(delimiter)) if h == ":LABEL" else v
            elif kind.endswith("[]"):
                rec[name] = tuple(v.split(delimiter))
            else:
                rec[name] = conv.get(kind, str)(v)
        out.append(rec)
    return header, out


def test_neo4j_folder_layout_and_commands(kg: KnowledgeGraph, exported: Path) -> None:
    folder = exported / "neo4j"
    labels, types = expected_counts(kg)
    files = {p.name for p in folder.iterdir()}
    assert files == {f"{x}.csv" for x in labels} | {f"{t}.csv" for t in types} | {"import.cypher", "README.md"}
    assert (folder / "Person.csv").read_text(encoding="utf-8").splitlines()[0] == (
        "id:ID,:LABEL,iri,name,type,aliases:string[],roles:string[],code,articles:string[]")
    assert (folder / "AGREED_TO.csv").read_text(encoding="utf-8").splitlines()[0] == (
        ":START_ID,:END_ID,:TYPE,id,iri,evidence,article,start_char:long,end_char:long,confidence:double,"
        "resolved:boolean,modality,date:date,date_text")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    # an alias holds ";" so the array delimiter moved to "|"... which another alias holds: "¦" it is
    assert choose_delimiter(project(kg, base=DEFAULT_BASE)) == "¦"
    assert "neo4j-admin database import full" in readme and "--array-delimiter='¦'" in readme
    assert "--multiline-fields=true" in readme and "cypher-shell" in readme and "-f import.cypher" in readme
    for f in files - {"import.cypher", "README.md"}:
        flag = "--nodes=" if f[:-4] in labels else "--relationships="
        assert flag + f in readme
    script = (folder / "import.cypher").read_text(encoding="utf-8")
    assert script.index("CREATE CONSTRAINT") < script.index("LOAD CSV")
    assert "CREATE CONSTRAINT person_id IF NOT EXISTS FOR (n:Person) REQUIRE n.id IS UNIQUE;" in script
    assert "LOAD CSV WITH HEADERS FROM 'file:///AGREED_TO.csv' AS row" in script
    assert "split(row.`aliases:string[]`, '¦')" in script
    assert "SET n:Talks" in script
    assert script.count("LOAD CSV") == len(labels) + len(types)


def test_neo4j_csvs_read_back_exactly(kg: KnowledgeGraph, exported: Path) -> None:
    pg = project(kg, base=DEFAULT_BASE)
    delimiter = choose_delimiter(pg)
    labels, types = expected_counts(kg)
    nodes, edges = {}, []
    for label in labels:
        _, rows = read_neo4j_csv(exported / "neo4j" / f"{label}.csv", delimiter)
        assert len(rows) == labels[label]
        nodes.update({r.pop("id:ID"): r for r in rows})
    for type_ in types:
        _, rows = read_neo4j_csv(exported / "neo4j" / f"{type_}.csv", delimiter)
        assert len(rows) == types[type_]
        edges += rows
    assert nodes == {n.id: {":LABEL": n.labels, **n.props} for n in pg.nodes}
    assert sorted(repr(sorted(r.items())) for r in edges) == sorted(
        repr(sorted({":START_ID": e.start, ":END_ID": e.end, ":TYPE": e.type, **e.props}.items())) for e in pg.edges)
    hostile = nodes[HOSTILE_KEY]
    assert hostile["name"] == HOSTILE and hostile["roles"] == (HOSTILE_ROLE,)
    assert nodes[UNION]["aliases"] == ("HDU", HOSTILE_ALIAS)
    assert nodes[f"agreement/{A1}/mediation-talks"][":LABEL"] == ("Event", "Talks")
    assert nodes[f"statement/{A1}/c1"][":LABEL"] == ("Statement", "Claim")
    assert nodes[TALKS]["date_text"] == "2025-03" and "date" not in nodes[TALKS]
    assert nodes[DEAL]["date"] == "2025-03-13"


def test_a_plain_graph_uses_the_semicolon_delimiter(tmp_path: Path) -> None:
    kg = KnowledgeGraph(entities={"person/a": Entity("person/a", "Person", "A", aliases=("Ay", "Bee"))})
    EXPORTERS["neo4j"].write(kg, tmp_path / "n", base=DEFAULT_BASE)
    assert "Ay;Bee" in (tmp_path / "n" / "Person.csv").read_text()
    assert "--array-delimiter=';'" in (tmp_path / "n" / "README.md").read_text()


def test_folder_exports_replace_their_own_folder_but_nothing_else(kg: KnowledgeGraph, tmp_path: Path) -> None:
    target = tmp_path / "neo4j"
    target.mkdir()
    (target / "STALE_TYPE.csv").write_text("old")
    EXPORTERS["neo4j"].write(kg, target, base=DEFAULT_BASE)
    assert not (target / "STALE_TYPE.csv").exists() and (target / "Person.csv").exists()
    build = tmp_path / "out"
    build.mkdir()
    (build / "graph.ttl").write_text("keep me")
    with pytest.raises(graph.errors.UsageError, match="refusing"):
        EXPORTERS["csv"].write(kg, build, base=DEFAULT_BASE)
    assert (build / "graph.ttl").read_text() == "keep me"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folders left


# --- GraphML and flat CSV -------------------------------------------------------------------------------------


def test_graphml_reads_back_with_the_same_nodes_edges_and_attributes(kg: KnowledgeGraph, exported: Path) -> None:
    want = to_graph(kg, base=DEFAULT_BASE)
    back = nx.read_graphml(exported / "graph.graphml", force_multigraph=True)
    assert isinstance(back, nx.MultiDiGraph)
    assert dict(back.nodes(data=True)) == dict(want.nodes(data=True))
    assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(want.edges(keys=True, data=True), key=repr)
    node = back.nodes[HOSTILE_KEY]
    assert node["label"] == HOSTILE.replace("\x07", REPLACEMENT)  # the bell cannot exist in XML 1.0
    assert "\r\nCRLF\ttab" in node["label"]  # \r, \n and \t do survive
    assert node["kind"] == "entity" and node["type"] == "Person" and node["roles"] == HOSTILE_ROLE
    assert back.nodes[UNION]["aliases"] == "HDU | " + HOSTILE_ALIAS
    assert back.nodes[TALKS]["kind"] == "event" and back.nodes[TALKS]["date"] == "2025-03"
    edges = [d for _, _, d in back.edges(data=True) if d["predicate"] == "agreedTo"]
    assert len(edges) == 3 and {d["confidence"] for d in edges} == {0.9, 0.85, 0.8}
    assert all(isinstance(d["start"], int) for d in edges)
    assert Counter(d["predicate"] for _, _, d in back.edges(data=True))["said"] == 3


def test_xml_safe_replaces_only_what_xml_forbids() -> None:
    assert xml_safe("a\x00b\x07c\x1fd\ufffee\uffff") == "a\ufffdb\ufffdc\ufffdd\ufffde\ufffd"
    keep = "\t\n\r 🙂 \u200f עברית <&>\"'"
    assert xml_safe(keep) == keep


def test_flat_csv_reads_back(kg: KnowledgeGraph, exported: Path) -> None:
    with open(exported / "csv" / "nodes.csv", newline="", encoding="utf-8") as fh:
        nodes = {r["id"]: r for r in csv.DictReader(fh)}
    with open(exported / "csv" / "edges.csv", newline="", encoding="utf-8") as fh:
        edges = list(csv.DictReader(fh))
    assert set(nodes) == set(kg.entities) | set(kg.agreements) | set(kg.statements)
    hostile = nodes[HOSTILE_KEY]
    assert hostile["label"] == HOSTILE and json.loads(hostile["roles"]) == [HOSTILE_ROLE]
    assert json.loads(nodes[UNION]["aliases"]) == ["HDU", HOSTILE_ALIAS]
    assert json.loads(nodes[UNION]["articles"]) == [A1, A2]
    assert nodes[DEAL]["status"] == "signed" and nodes[DEAL]["date"] == "2025-03-13" and nodes[DEAL]["roles"] == ""
    assert nodes[f"statement/{A2}/q2"]["label"] == HOSTILE
    assert len(edges) == len(kg.relations) + 4 + 2  # relations, said/claimed links, agreement places
    support = next(e for e in edges if e["predicate"] == "supports")
    assert support == {"source": HOSTILE_KEY, "target": UNION, "predicate": "supports", "sentence": HOSTILE,
                       "article": A2, "start": "50", "end": str(50 + len(HOSTILE)), "confidence": "0.55",
                       "modality": "hypothetical", "date": "2025-03-14"}


def test_iso_date() -> None:
    assert iso_date("2025-03-13") == "2025-03-13" and iso_date("2025-03-13T10:00:00Z") == "2025-03-13"
    assert iso_date("2025-02-30") is None and iso_date("2025-03") is None and iso_date(None) is None


# --- CLI ------------------------------------------------------------------------------------------------------


@pytest.fixture()
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def _root() -> None:
        """A fresh app, as cli.py wires it."""

    register(app)
    return app


@pytest.fixture()
def built(kg: KnowledgeGraph, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    EXPORTERS["turtle"].write(kg, out / "graph.ttl", base="http://example.org/kg/")
    return out


def _squash(text: str) -> str:
    return re.sub(r"[\s│]+", " ", text)


def test_cli_help_lists_formats_with_descriptions(cli: typer.Typer) -> None:
    res = CliRunner().invoke(cli, ["export", "--help"])
    assert res.exit_code == 0
    text = _squash(res.output)
    for e in EXPORTERS.values():
        assert f"{e.name} " in text and _squash(e.description) in text


def test_cli_writes_the_default_file_and_keeps_the_build_base(cli: typer.Typer, built: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(built), "--format", "nquads"])
    assert res.exit_code == 0, res.output
    nq = (built / "graph.nq").read_text(encoding="utf-8")
    assert "<http://example.org/kg/graph/article/" in nq and DEFAULT_BASE not in nq
    assert "graph.nq" in res.output


def test_cli_repeated_formats_all_to_and_base(cli: typer.Typer, built: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(built / "graph.ttl"), "-f", "neo4j", "-f", "graphml,cypher"])
    assert res.exit_code == 0, res.output
    assert (built / "neo4j" / "import.cypher").is_file() and (built / "graph.graphml").is_file()
    assert (built / "graph.cypher").is_file()
    one = tmp_path / "custom.jsonld"
    res = CliRunner().invoke(cli, ["export", str(built), "-f", "jsonld", "--to", str(one), "--base",
                                   "urn:x:"])
    assert res.exit_code == 0, res.output
    assert "urn:x:person/mira-okafor" in one.read_text(encoding="utf-8")
    everything = tmp_path / "all"
    res = CliRunner().invoke(cli, ["export", str(built), "--format", "all", "--to", str(everything)])
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in everything.iterdir()) == sorted(e.filename for e in EXPORTERS.values())


def test_cli_unknown_format_exits_2_listing_the_valid_ones(cli: typer.Typer, built: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(built), "--format", "pdf"])
    assert res.exit_code == 2
    for name in EXPORTERS:
        assert name in res.output
    res = CliRunner().invoke(cli, ["export", str(built)])
    assert res.exit_code == 2  # --format is required


def test_cli_bad_input_exits_1_and_foreign_folder_exits_2(cli: typer.Typer, built: Path, tmp_path: Path) -> None:
    res = CliRunner().invoke(cli, ["export", str(tmp_path / "nowhere"), "-f", "turtle"])
    assert res.exit_code == 1 and "nowhere" in res.output
    res = CliRunner().invoke(cli, ["export", str(built), "-f", "csv", "--to", str(built)])
    assert res.exit_code == 2 and "refusing" in res.output
