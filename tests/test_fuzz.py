"""Issue 9, hardening: property-based tests with hostile text, from extraction to every export format.

(a) random Unicode text (quotes, control characters, bidi marks, emoji, markup and the meta-characters of
    Turtle, SPARQL, Cypher and CSV) through the real model and :func:`graph.nlp.extract.extract_doc`: no
    exception, exact evidence offsets, SHACL-valid RDF that re-parses from Turtle to an isomorphic graph;
(b) small random collections of articles through :func:`graph.builder.build_graph`: valid RDF that
    serializes and parses back;
(c) hand-made KnowledgeGraphs with hostile labels, aliases, roles and quotes through every exporter in
    ``EXPORTERS``: no exception, the RDF formats give back the exact text, and the other formats keep the
    promises their modules make (CSV and Neo4j CSV cells survive any text, GraphML always parses, the HTML
    page cannot be broken out of, a Cypher statement never spans two lines).

(d) folders of files with hostile names (invalid UTF-8, control characters, line breaks) and hostile bytes
    (random, legacy encodings, damaged UTF-8, BOMs, markup, JSON lines) through
    :func:`graph.sources.read_articles`: nothing but a reported InputError, every file accounted for, every
    name valid Unicode and printable on one line.

Defects found this way are pinned at the end as small explicit regression tests.

Example counts are kept small (the whole file runs in well under a minute on two cores); run with
``--hypothesis-seed`` or more examples to search harder.
"""

from __future__ import annotations

import csv
import functools
import json
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from rdflib import RDFS, SKOS, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

from graph.builder import build_graph
from graph.errors import ExtractionError
from graph.exporters import EXPORTERS
from graph.exporters.flat_csv import spreadsheet_value
from graph.exporters.graphml import XML_ILLEGAL, xml_safe
from graph.exporters.html import render_html
from graph.keys import agreement_key, article_key, entity_key, statement_key
from graph.model import KnowledgeGraph
from graph.nlp.extract import extract_doc
from graph.nlp.pipeline import load_model
from graph.rdf import node_iri, serialize, to_rdf, validate
from graph.records import (
    ENTITY_TYPES,
    RELATION_TYPES,
    Agreement,
    Article,
    Entity,
    Extraction,
    Provenance,
    Relation,
    Statement,
)
from graph.sources import article_id
from graph.vocab import AGREEMENT_TYPES, DEFAULT_BASE, EVENT_TYPES, NG

pytestmark = [
    pytest.mark.slow,
    # rdflib's own JSON-LD and N-Quads parsers still use deprecated API internally
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated:DeprecationWarning"),
]

FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                      HealthCheck.data_too_large])

# --- hostile text -------------------------------------------------------------------------------------------

HOSTILE = (
    '"', "'", '"""', "'''", '\\"', "\\", "\\\\", "\\u0041", "\\n", "\\'", "`", "``", "${x}", "{{x}}",
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<!--", "-->", "]]>", "<![CDATA[", "&amp;",
    "&#0;", "<b onmouseover=alert(3)>", "javascript:alert(4)",
    "@prefix ex: <http://example.org/> .", "<http://example.org/x>", '"x"^^xsd:string', '"x"@en', "_:b0",
    "ng:agreedTo", " . ", " ; ", " , ", "# not a comment", "\\U0001F600",
    "SELECT * WHERE { ?s ?p ?o }", "} UNION { ?s ?p ?o", "FILTER(true)", "?s", "$o",
    "MATCH (n) DETACH DELETE n", "'}) RETURN 1 //", "/* x */", "// x", ":Label", "`a`b`",
    "=cmd|' /C calc'!A0", "+1", "-1", "@SUM(1)", ",", ";", "|", "\t", "\r\n", "\r", "\n\n",
    "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x7f", "\x85", "\x9f",
    "\u200e", "\u200f", "\u202a", "\u202e", "\u2066", "\u2069", "\u061c", "\u200b", "\u200d", "\u2028", "\u2029",
    "\ufeff", "\ufffd", "\ufffe", "\uffff", "\U0010ffff", "\U000e0041",
    "😀", "👨\u200d👩\u200d👧", "🇺🇦", "e\u0301", "ﬁ", "\u00a0", "\u3000", "Ω", "ǅ",
    "Zoë", "Ångström", "北京", "مرحبا بالعالم", "שלום", "Привет", "नमस्ते", "%20", "%", "%%", "{}", "[]", "null",
)
NAMES = ("Amina Odhiambo", "Peter Okello", "José Müller", "Marta Silva", "Sean O'Brien", "Anne-Marie Dubois",
         "Zoë Ångström", "Li Wei", "Nguyen Van An", "Ahmed Al-Sayed", "D'Arcy Ng", "Olga Ivanova")
ORGS = ("the Port Authority", "the Harbour Workers Union", "Acme Corp", "the United Nations", "NATO",
        "the Federal Trade Commission", "Halvorsen Freight")
PLACES = ("Kenya", "Uganda", "Russia", "Ukraine", "France", "Germany", "Geneva", "Nairobi", "Lake Victoria")
FRAGMENTS = (
    "{p} and {q} signed a water-sharing treaty on {place} on Monday.",
    "{a} met with {b} in {place} on Tuesday.",
    '"We will not accept this deal," {a} said.',
    "{a}, the Secretary of State, spoke with {b} by phone.",
    "{p} rejected the 30-day ceasefire proposed by {q}.",
    "{o} agreed to acquire {o2} for $5 billion.",
    "According to {a}, the talks will resume next week.",
    "{a} said {p} supports the agreement, but {q} opposes it.",
    "The two leaders agreed to a prisoner exchange.",
    "{o} and {o2} negotiated a wage deal after a two-week strike.",
    "{a} warned that the ceasefire could collapse.",
    "Dockworkers ended the strike after {o} signed the deal.",
)

hostile_bits = st.sampled_from(HOSTILE)
#: Any Unicode but lone surrogates (which no reader lets through: UTF-8 cannot encode them).
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
#: Names as they reach the graph: plausible ones, plausible ones dressed in hostile text, or pure noise.
hostile_name = st.one_of(
    st.sampled_from(NAMES),
    st.builds(lambda first, bit, last: f"{first}{bit}{last}", st.sampled_from(("Ana", "Jean", "Li", "Omar")),
              hostile_bits, st.sampled_from((" Costa", " Dvorak", "O'Neil", " Ng"))),
    st.builds(lambda bit, name: f"{name} {bit}", hostile_bits, st.sampled_from(NAMES)),
    any_text.filter(lambda s: s.strip() != ""),
)


@st.composite
def sentence(draw: st.DrawFn, names: st.SearchStrategy[str] = hostile_name) -> str:
    template = draw(st.sampled_from(FRAGMENTS))
    return template.format(
        a=draw(names), b=draw(names), p=draw(st.sampled_from(PLACES)), q=draw(st.sampled_from(PLACES)),
        place=draw(st.sampled_from(PLACES)), o=draw(st.sampled_from(ORGS)).capitalize(),
        o2=draw(st.sampled_from(ORGS)))


#: Article text: news sentences with hostile names, interleaved with hostile fragments and random Unicode.
hostile_text = st.lists(st.one_of(sentence(), hostile_bits, any_text), min_size=1, max_size=8).map(" ".join)
#: Metadata strings as a sidecar or JSONL line may carry them (readers strip them and drop blank ones).
meta_text = st.one_of(st.none(), st.lists(st.one_of(hostile_bits, any_text), min_size=1, max_size=4)
                      .map("".join).map(str.strip).filter(bool))


@pytest.fixture(scope="module")
def model():
    return load_model()


# --- (a) one article through the real model -----------------------------------------------------------------


def _provenances(ex: Extraction) -> list[Provenance]:
    return ([r.provenance for r in ex.relations] + [s.provenance for s in ex.statements]
            + [a.provenance for a in ex.agreements if a.provenance is not None])


def _check_turtle_round_trip(g: Graph) -> None:
    back = Graph().parse(data=serialize(g, "turtle"), format="turtle")
    assert isomorphic(g, back), "Turtle did not parse back to the same graph"


@FUZZ
@given(text=hostile_text, title=meta_text, author=meta_text, source=meta_text, url=meta_text,
       language=meta_text)
def test_extract_doc_survives_hostile_text_and_gives_valid_rdf(model, text, title, author, source, url, language):
    article = Article(id=article_id(text), text=text, path="fuzz/hostile.txt", title=title, author=author,
                      source=source, url=url, language=language)
    try:
        ex = extract_doc(article, model(text))
    except ExtractionError as exc:  # the documented way to fail, but a rule should never fail at all
        pytest.fail(f"extract_doc raised ExtractionError: {exc}")
    for pv in _provenances(ex):
        assert pv.article == article.id
        assert text[pv.start:pv.end] == pv.sentence, "evidence offsets do not match the sentence"
    for ent in ex.entities:
        assert ent.type in ENTITY_TYPES and ent.label.strip()
    for rel in ex.relations:
        assert rel.predicate in RELATION_TYPES
    kg = KnowledgeGraph.from_extractions([ex])
    g = to_rdf(kg)
    validate(g)
    _check_turtle_round_trip(g)


# --- (b) small collections through build_graph --------------------------------------------------------------

collection_name = st.one_of(
    st.sampled_from(NAMES),
    st.builds(lambda f, last: f"{f} {last}", st.from_regex(r"[A-Z][a-z]{2,8}", fullmatch=True),
              st.from_regex(r"[A-Z][a-z]{2,10}", fullmatch=True)),
    st.builds(lambda f, last: f"{f} {last}", st.sampled_from(("Zoë", "José", "Søren", "Łukasz", "Ngozi", "Seán")),
              st.sampled_from(("O'Brien", "Müller", "Al-Sayed", "Dvořák", "Ångström", "van der Berg"))),
)
article_text = st.lists(sentence(collection_name), min_size=1, max_size=5).map(" ".join)


@st.composite
def collection(draw: st.DrawFn) -> list[tuple[str, str]]:
    """1-4 (file name, content) pairs; .txt, .md or a .jsonl line, possibly sharing names and texts."""
    files = []
    for i in range(draw(st.integers(1, 4))):
        text = draw(article_text)
        kind = draw(st.sampled_from(("txt", "md", "jsonl")))
        if kind == "jsonl":
            files.append((f"a{i}.jsonl", json.dumps({"text": text, "title": draw(meta_text)}) + "\n"))
        elif kind == "md":
            files.append((f"a{i}.md", f"# {draw(collection_name)} and the deal\n\n{text}"))
        else:
            files.append((f"a{i}.txt", text))
    return files


@FUZZ
@given(files=collection())
def test_build_graph_of_random_collections_validates_and_round_trips(model, files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, content in files:
            (folder / name).write_text(content, encoding="utf-8")
        failures: list = []
        kg = build_graph([folder], failures=failures)
    assert failures == []
    assert 1 <= len(kg.articles) <= len(files)
    keys = set(kg.entities) | set(kg.agreements) | set(kg.statements)
    for rel in kg.relations:
        assert rel.subject in keys and rel.object in keys, rel
        assert rel.provenance.article in kg.articles
    g = to_rdf(kg)
    validate(g)
    _check_turtle_round_trip(g)
    # RDF/XML only when XML 1.0 can hold the text; control characters there are pinned in a test below
    xml_ok = not any(XML_ILLEGAL.search(str(o)) for o in g.objects() if isinstance(o, Literal))
    for fmt in ("xml", "json-ld") if xml_ok else ("json-ld",):
        text = serialize(g, fmt)
        assert isomorphic(g, Graph().parse(data=text, format=fmt)), f"{fmt} did not parse back"


# --- (c) hostile names through every exporter ---------------------------------------------------------------

label_text = st.lists(st.one_of(hostile_bits, any_text, st.sampled_from(NAMES)), min_size=1, max_size=5).map(
    "".join).filter(lambda s: s.strip() != "")


@st.composite
def hostile_graph(draw: st.DrawFn) -> KnowledgeGraph:
    """A small KnowledgeGraph made by hand: every free-text field hostile, keys made as the pipeline makes them."""
    articles = {}
    for _ in range(draw(st.integers(1, 2))):
        text = draw(label_text)
        aid = article_id(text)
        articles[aid] = Article(id=aid, text=text, path=draw(st.sampled_from(("in/a.txt", "in/b.jsonl:3", ""))),
                                title=draw(meta_text), published=draw(st.sampled_from((None, "2025-03-18"))),
                                source=draw(meta_text), author=draw(meta_text), url=draw(meta_text),
                                language=draw(meta_text))
    aids = sorted(articles)

    def provenance() -> Provenance:
        sent = draw(label_text)
        start = draw(st.integers(0, 500))
        return Provenance(article=draw(st.sampled_from(aids)), sentence=sent, start=start, end=start + len(sent),
                          confidence=draw(st.sampled_from((0.5, 0.75, 0.9, 1.0))), resolved=draw(st.booleans()))

    entities: dict[str, Entity] = {}
    for _ in range(draw(st.integers(1, 4))):
        typ = draw(st.sampled_from(ENTITY_TYPES))
        label = draw(label_text)
        key = entity_key(typ, label)
        entities[key] = Entity(key=key, type=typ, label=label,
                               aliases=tuple(draw(st.lists(label_text, max_size=3, unique=True))),
                               roles=tuple(draw(st.lists(label_text, max_size=2, unique=True))),
                               articles=tuple(draw(st.lists(st.sampled_from(aids), min_size=1, unique=True))),
                               code=draw(st.sampled_from((None, "KE", "UG"))) if typ == "Country" else None)
    agreements: dict[str, Agreement] = {}
    places = [k for k, e in entities.items() if e.type in ("Place", "Country")]
    for _ in range(draw(st.integers(0, 2))):
        label = draw(label_text)
        aid = draw(st.sampled_from(aids))
        key = agreement_key(aid, label)
        agreements[key] = Agreement(
            key=key, type=draw(st.sampled_from(AGREEMENT_TYPES + EVENT_TYPES)), label=label,
            aliases=tuple(draw(st.lists(label_text, max_size=3, unique=True))),
            status=draw(st.one_of(st.none(), st.sampled_from(("agreed", "proposed", "rejected")), label_text)),
            scope=draw(st.one_of(st.none(), label_text)), duration=draw(st.one_of(st.none(), label_text)),
            place=draw(st.sampled_from(places)) if places and draw(st.booleans()) else None,
            date=draw(st.sampled_from((None, "2025-03-18", "2025-03"))), articles=(aid,), provenance=provenance())
    nodes = sorted(entities) + sorted(agreements)
    relations = []
    for _ in range(draw(st.integers(0, 4))):
        relations.append(Relation(subject=draw(st.sampled_from(sorted(entities))),
                                  predicate=draw(st.sampled_from(RELATION_TYPES)), object=draw(st.sampled_from(nodes)),
                                  provenance=provenance(),
                                  modality=draw(st.sampled_from(("asserted", "future", "reported", "hypothetical"))),
                                  date=draw(st.sampled_from((None, "2025-03-18")))))
    statements: dict[str, Statement] = {}
    for _ in range(draw(st.integers(0, 2))):
        pv = provenance()
        text = draw(label_text)
        key = statement_key(pv.article, pv.start, text)
        statements[key] = Statement(key=key, speakers=tuple(draw(st.lists(st.sampled_from(sorted(entities)),
                                                                          min_size=1, max_size=2, unique=True))),
                                    text=text, cue=draw(st.one_of(st.sampled_from(("said", "warned")), label_text)),
                                    kind=draw(st.sampled_from(("quote", "claim"))), provenance=pv)
    kg = KnowledgeGraph(articles=articles, entities=entities, agreements=agreements, relations=relations,
                        statements=statements)
    kg._sort()
    return kg


RDF_FORMATS = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "nquads": "nquads", "trig": "trig"}


def _parse_export(name: str, path: Path) -> tuple[Graph, Graph]:
    """(default graph, union of all graphs) of an RDF export; the same graph twice for triple formats."""
    fmt = RDF_FORMATS[name]
    if fmt not in ("nquads", "trig"):
        g = Graph().parse(path, format=fmt)
        return g, g
    ds = Dataset()
    ds.parse(path, format=fmt)
    default, union = Graph(), Graph()
    for s, p, o, ctx in ds.quads((None, None, None, None)):
        union.add((s, p, o))
        if ctx is None or ctx == DATASET_DEFAULT_GRAPH_ID:
            default.add((s, p, o))
    return default, union


def _texts(g: Graph) -> set[tuple[str, str, str]]:
    """(subject, predicate, text) of every string literal: what "the text comes back exactly" compares."""
    return {(str(s), str(p), str(o)) for s, p, o in g if isinstance(o, Literal) and o.datatype is None}


def _expected_labels(kg: KnowledgeGraph) -> set[tuple[str, str, str]]:
    """The labels, aliases and quotes of the hand-made graph as (node IRI, predicate, text), straight from it."""
    out = set()
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        iri = str(node_iri(key, DEFAULT_BASE))
        out.add((iri, str(RDFS.label), node.label))
        out |= {(iri, str(SKOS.altLabel), a) for a in node.aliases if a != node.label and a.strip()}
    for key, st_ in kg.statements.items():
        out.add((str(node_iri(key, DEFAULT_BASE)), str(NG.quote), st_.text))
    for aid, art in kg.articles.items():
        if art.title:
            out.add((str(node_iri(article_key(aid), DEFAULT_BASE)), "https://schema.org/headline", art.title))
    return out


def _check_csv(kg: KnowledgeGraph, folder: Path) -> None:
    with (folder / "nodes.csv").open(encoding="utf-8", newline="") as fh:
        rows = {row["id"]: {k: spreadsheet_value(v) for k, v in row.items()} for row in csv.DictReader(fh)}
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        assert rows[key]["label"] == node.label, "a label did not survive the CSV"
        assert json.loads(rows[key]["aliases"] or "[]") == list(node.aliases), "aliases did not survive the CSV"
    for key, st_ in kg.statements.items():
        assert rows[key]["label"] == st_.text, "a quote did not survive the CSV"
    with (folder / "edges.csv").open(encoding="utf-8", newline="") as fh:
        sentences = {spreadsheet_value(row["sentence"]) for row in csv.DictReader(fh)}
    assert {r.provenance.sentence for r in kg.relations} <= sentences, "an evidence sentence did not survive the CSV"


def _check_graphml(kg: KnowledgeGraph, path: Path) -> None:
    g = nx.read_graphml(path)
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        assert g.nodes[xml_safe(key)]["label"] == xml_safe(node.label), "a label did not survive GraphML"


def _check_cypher(path: Path) -> None:
    for line in path.read_text(encoding="utf-8").split("\n"):
        assert not line.strip() or line.startswith("//") or line.endswith(";"), f"statement broken over lines: {line!r}"


def _check_neo4j(kg: KnowledgeGraph, folder: Path) -> None:
    rows: dict[str, dict[str, str]] = {}
    for file in sorted(folder.glob("*.csv")):
        with file.open(encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames and "id:ID" in reader.fieldnames:
                rows.update({row["id:ID"]: row for row in reader})
    for key, node in (*kg.entities.items(), *kg.agreements.items()):
        assert rows[key]["name"] == node.label, "a name did not survive the Neo4j CSV"
    for key, st_ in kg.statements.items():
        assert rows[key]["text"] == st_.text, "a quote did not survive the Neo4j CSV"


@functools.cache
def _empty_page() -> str:
    return render_html(KnowledgeGraph()).lower()


def _check_html(path: Path) -> None:
    page = path.read_text(encoding="utf-8").lower()
    for tag in ("<script", "</script", "<iframe", "<img", "<b ", "<![cdata[", "<!--"):  # "<" in data is \u003c
        assert page.count(tag) == _empty_page().count(tag), f"hostile text added {tag!r} to the page"
    data = re.search(r'<script type="application/json"[^>]*>(.*?)</script>', page, re.DOTALL)
    assert data is not None
    json.loads(data.group(1))  # the data block is whole JSON: nothing in it ended the element early


#: The smallest graph fuzzing found to break exports (pinned again at the end): a U+2028 and a bare \r in labels.
HOSTILE_EXAMPLE = KnowledgeGraph(
    articles={"a" * 16: Article(id="a" * 16, text="x", path="in/a.txt")},
    entities={
        "person/ana-costa": Entity(key="person/ana-costa", type="Person", label="Ana\u2028Costa",
                                   articles=("a" * 16,)),
        "person/pavel-dvorak": Entity(key="person/pavel-dvorak", type="Person", label="Pavel\rDvorak",
                                      articles=("a" * 16,)),
    },
)


@pytest.mark.parametrize("name", sorted(EXPORTERS))
@FUZZ
@example(kg=HOSTILE_EXAMPLE)
@given(kg=hostile_graph())
def test_every_exporter_survives_hostile_names(name, kg):
    exporter = EXPORTERS[name]
    full = _texts(to_rdf(kg, base=DEFAULT_BASE))
    assert _expected_labels(kg) <= full
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / exporter.filename
        exporter.write(kg, target, base=DEFAULT_BASE)
        assert target.exists()
        if name in RDF_FORMATS:
            default, union = _parse_export(name, target)
            back = _texts(default)
            assert back == full, f"{name}: text changed: {sorted(full ^ back)[:3]}"
            assert _texts(union) == full, f"{name}: a named graph holds text the graph does not"
        elif name == "csv":
            _check_csv(kg, target)
        elif name == "graphml":
            _check_graphml(kg, target)
        elif name in ("cypher", "kuzu"):
            _check_cypher(target)
        elif name == "neo4j":
            _check_neo4j(kg, target)
        elif name == "html":
            _check_html(target)


def test_fuzz_covers_every_exporter():
    """The formats with content checks above are all registered (a new exporter is fuzzed for exceptions)."""
    assert {"turtle", "ntriples", "jsonld", "nquads", "trig", "neo4j", "cypher", "kuzu", "graphml", "csv",
            "html"} <= set(EXPORTERS)


# --- what fuzzing found, pinned -----------------------------------------------------------------------------

LINE_BREAKERS = ["\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]


@pytest.mark.parametrize("char", LINE_BREAKERS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKERS])
def test_ntriples_keep_unicode_line_breaks_inside_literals(char):
    g = Graph()
    g.add((URIRef("https://example.org/s"), RDFS.label, Literal(f"Ana{char}Costa")))
    nt = serialize(g, "nt")
    assert nt.count("\n") == 1, nt
    assert isomorphic(g, Graph().parse(data=nt, format="nt"))


@pytest.mark.parametrize("char", LINE_BREAKERS, ids=[f"U+{ord(c):04X}" for c in LINE_BREAKERS])
def test_turtle_keeps_unicode_line_breaks_inside_literals(char):
    g = Graph()
    g.add((URIRef("https://example.org/s"), RDFS.label, Literal(f"Ana{char}Costa")))
    assert isomorphic(g, Graph().parse(data=serialize(g, "turtle"), format="turtle"))


def test_rdfxml_with_control_characters_is_well_formed():
    g = Graph()
    g.add((URIRef("https://example.org/article"), RDFS.label, Literal("Water treaty \x1b[31m signed")))
    Graph().parse(data=serialize(g, "xml"), format="xml")


@pytest.mark.parametrize("name", ["csv", "neo4j"])
def test_csv_exports_keep_a_bare_carriage_return(tmp_path, name):
    """Found by fuzzing (fixed): with ``\\n`` record ends the csv module left a bare ``\\r`` unquoted."""
    kg = KnowledgeGraph(entities={"person/pavel-dvorak": Entity(key="person/pavel-dvorak", type="Person",
                                                                label="Pavel\rDvorak")})
    EXPORTERS[name].write(kg, tmp_path / name, base=DEFAULT_BASE)
    if name == "csv":
        _check_csv(kg, tmp_path / name)
    else:
        _check_neo4j(kg, tmp_path / name)


# --- (d) hostile file names and bytes through the readers ----------------------------------------------------

#: File name stems as bytes: anything a POSIX file system takes (no "/" or NUL), invalid UTF-8 and control
#: characters included, or hostile text encoded as UTF-8.
name_stem = st.one_of(
    st.binary(min_size=1, max_size=40).map(lambda b: b.replace(b"/", b"_").replace(b"\x00", b"_")),
    st.lists(st.one_of(hostile_bits, any_text), min_size=1, max_size=3).map("".join)
    .map(lambda s: s.replace("/", "_").replace("\x00", "_").encode("utf-8", "surrogatepass")),
).filter(lambda b: b.strip(b".") != b"" and len(b) <= 200)
input_suffix = st.sampled_from((b".txt", b".md", b".html", b".htm", b".jsonl", b".TXT"))
#: Contents: random bytes, text in some encoding (damaged or not), BOMs, markup and JSON lines.
contents = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda t, enc: t.encode(enc, "replace"), hostile_text, st.sampled_from(("utf-8", "cp1252", "latin-1",
                                                                                     "utf-16", "utf-8-sig"))),
    st.builds(lambda t, junk: t.encode("utf-8") + junk, article_text, st.binary(max_size=6)),
    st.builds(lambda t: f"<html><body><p>{t}</p></body></html>".encode("utf-8", "surrogatepass"), hostile_text),
    st.lists(st.one_of(st.builds(lambda t: json.dumps({"text": t}), hostile_text), any_text), max_size=3)
    .map(lambda lines: "\n".join(lines).encode("utf-8", "surrogatepass")),
)


def _is_hidden(stem: bytes) -> bool:
    return stem.startswith(b".")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(files=st.lists(st.tuples(name_stem, input_suffix, contents), min_size=1, max_size=4,
                      unique_by=lambda f: (f[0] + f[1]).lower()))
def test_readers_survive_hostile_file_names_and_bytes(files):
    """No exception but InputError (reported), nothing lost silently, every name valid Unicode and printable."""
    from graph.sources import MAX_CHARS, path_name, printable, read_articles

    with tempfile.TemporaryDirectory() as tmp:
        root = os.fsencode(tmp)
        for stem, suffix, data in files:
            with open(root + b"/" + stem + suffix, "wb") as fh:
                fh.write(data)
        errors, warnings = [], []
        arts = list(read_articles([tmp], on_error=errors.append, on_warning=warnings.append))
        visible = {path_name(os.fsdecode(root + b"/" + s + x)) for s, x, _ in files if not _is_hidden(s)}
    for art in arts:
        assert art.text and art.text == art.text.strip() and len(art.text) <= MAX_CHARS
        assert art.id == article_id(art.text)
        art.text.encode("utf-8")  # no lone surrogates reach the graph
        art.path.encode("utf-8")
    named = [e.path for e in errors] + [w.path for w in warnings] + [a.path for a in arts]
    for where in named:
        where.encode("utf-8")
        shown = printable(where)
        assert not any(unicodedata.category(c) == "Cc" or c in "\u2028\u2029\u202e" for c in shown), shown
    # nothing lost silently: every visible file gave an article or an error (JSONL: per line, "NAME:3")
    told = [e.path for e in errors] + [a.path for a in arts]
    for name in visible:
        assert any(t == name or t.startswith(name + ":") for t in told), f"{name!r} neither read nor reported"
    if not visible:
        assert [e.path for e in errors] == [tmp]
