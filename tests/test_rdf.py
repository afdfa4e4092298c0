"""The RDF mapping: direct triples plus reified evidence, stable IRIs, byte-stable serialization."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import rdflib.namespace as rns
from rdflib import RDF, RDFS, BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import SKOS

from graph.errors import ShapeViolation, UsageError
from graph.model import KnowledgeGraph
from graph.rdf import node_iri, serialize, to_rdf, validate
from graph.records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement
from graph.vocab import CONTEXT_FILE, DEFAULT_BASE, NG, NG_URI, ONTOLOGY_FILE, PROV, SCHEMA

ROOT = Path(__file__).resolve().parent.parent
AID = "a1b2c3d4e5f60718"
AID2 = "ffee000011112222"
ACQ = f"agreement/{AID}/acquisition-of-beta-ltd"
TALKS = f"agreement/{AID}/merger-talks"


def _pv(sentence: str, start: int, conf: float = 0.8, article: str = AID, resolved: bool = False) -> Provenance:
    return Provenance(article=article, sentence=sentence, start=start, end=start + len(sentence),
                      confidence=conf, resolved=resolved)


def merger_extractions(labels: dict[str, str] | None = None) -> list[Extraction]:
    """An invented story: Acme Corp agrees to acquire Beta Ltd; its CEO is quoted."""
    labels = labels or {}
    art = Article(id=AID, text="(invented text)", path="acme.txt", title="Acme to buy Beta",
                  published="2024-05-02", source="Example Wire", author="A. Writer",
                  url="https://news.example.org/acme-beta")
    art2 = Article(id=AID2, text="(more invented text)", path="later.txt", published="2024-05")
    s1 = _pv("Acme Corp agreed to acquire Beta Ltd on Monday.", 0, 0.8)
    s2 = _pv("Acme Corp's chief met Beta Ltd in Springfield.", 48, 0.6666, resolved=True)
    s3 = _pv("Acme Corp confirmed the acquisition of Beta Ltd.", 10, 0.9, article=AID2)
    ents = [
        Entity("organization/acme-corp", "Organization", labels.get("acme", "Acme Corp"), aliases=("Acme",),
               articles=(AID, AID2)),
        Entity("organization/beta-ltd", "Organization", "Beta Ltd", aliases=("Beta",), articles=(AID,)),
        Entity("person/jane-roe", "Person", labels.get("jane", "Jane Roe"), roles=("CEO", "chief executive"),
               articles=(AID,)),
        Entity("country/ruritania", "Country", "Ruritania", code="RT", articles=(AID,)),
        Entity("place/springfield", "Place", "Springfield", articles=(AID,)),
    ]
    agrs = [
        Agreement(ACQ, "Acquisition", labels.get("acq", "acquisition of Beta Ltd"), aliases=("takeover",),
                  status="agreed", scope="all shares", duration="two years", place="country/ruritania",
                  date="2024-05-01", articles=(AID, AID2), provenance=s1),
        Agreement(TALKS, "Talks", "merger talks", place="place/springfield", articles=(AID,)),
    ]
    rels = [
        Relation("organization/acme-corp", "agreedTo", ACQ, s1),
        Relation("organization/acme-corp", "agreedTo", ACQ, s3),  # same triple, second evidence
        Relation("organization/acme-corp", "metWith", "organization/beta-ltd", s2, modality="future",
                 date="2024-05-03"),
        Relation("organization/beta-ltd", "participatesIn", TALKS, s2),
        Relation("person/jane-roe", "memberOf", "organization/acme-corp", s2),
        Relation(TALKS, "locatedIn", "place/springfield", s2),
    ]
    quote = Statement(f"statement/{AID}/q1", ("person/jane-roe",), labels.get("quote", "This is a good day"),
                      "said", "quote", _pv('"This is a good day," said Jane Roe.', 100, 0.9))
    claim = Statement(f"statement/{AID}/c1", ("organization/beta-ltd",), "the price was fair", "claimed", "claim",
                      _pv("Beta Ltd claimed the price was fair.", 140, 0.7))
    return [Extraction(art, ents, agrs, rels, [quote, claim]), Extraction(art2, [], [], [], [])]


def merger_kg(labels: dict[str, str] | None = None) -> KnowledgeGraph:
    return KnowledgeGraph.from_extractions(merger_extractions(labels))


@pytest.fixture(scope="module")
def kg() -> KnowledgeGraph:
    return merger_kg()


@pytest.fixture(scope="module")
def g(kg: KnowledgeGraph) -> Graph:
    return to_rdf(kg)


def _iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(base + key)


def _reifications(g: Graph, s: URIRef, p: URIRef, o: URIRef) -> list[URIRef]:
    return sorted(st for st in g.subjects(RDF.type, RDF.Statement)
                  if (st, RDF.subject, s) in g and (st, RDF.predicate, p) in g and (st, RDF.object, o) in g)


def test_every_relation_is_a_direct_triple_with_its_evidence(kg: KnowledgeGraph, g: Graph) -> None:
    for rel in kg.relations:
        s, p, o = _iri(rel.subject), NG[rel.predicate], _iri(rel.object)
        assert (s, p, o) in g
        pv = rel.provenance
        matching = [st for st in _reifications(g, s, p, o)
                    if g.value(st, NG.startChar).toPython() == pv.start
                    and g.value(st, PROV.wasDerivedFrom) == _iri(f"article/{pv.article}")]
        assert len(matching) == 1, rel
        st = matching[0]
        assert str(st).startswith(DEFAULT_BASE + "evidence/")
        assert g.value(st, NG.sentence) == Literal(pv.sentence)
        assert g.value(st, NG.endChar).toPython() == pv.end
        assert g.value(st, NG.confidence).datatype == rns.XSD.decimal


def test_several_evidences_give_several_reifications(g: Graph) -> None:
    sts = _reifications(g, _iri("organization/acme-corp"), NG.agreedTo, _iri(ACQ))
    assert len(sts) == 2
    assert {g.value(st, PROV.wasDerivedFrom) for st in sts} == {_iri(f"article/{AID}"), _iri(f"article/{AID2}")}
    assert len(set(g.triples((_iri("organization/acme-corp"), NG.agreedTo, _iri(ACQ))))) == 1


def test_evidence_extras_only_when_meaningful(g: Graph) -> None:
    met = _reifications(g, _iri("organization/acme-corp"), NG.metWith, _iri("organization/beta-ltd"))[0]
    assert g.value(met, NG.modality) == Literal("future")
    assert g.value(met, NG.date) == Literal("2024-05-03", datatype=rns.XSD.date)
    assert g.value(met, NG.resolvedMention) == Literal(True)
    assert g.value(met, NG.confidence) == Literal("0.667", datatype=rns.XSD.decimal)
    agreed = _reifications(g, _iri("organization/acme-corp"), NG.agreedTo, _iri(ACQ))[0]
    assert g.value(agreed, NG.modality) is None
    assert g.value(agreed, NG.resolvedMention) is None
    assert str(g.value(agreed, NG.confidence)) in ("0.8", "0.9")


def test_nodes_types_labels_and_roles(g: Graph) -> None:
    acme, jane = _iri("organization/acme-corp"), _iri("person/jane-roe")
    assert set(g.objects(acme, RDF.type)) == {NG.Organization}
    assert g.value(acme, RDFS.label) == Literal("Acme Corp")
    assert set(g.objects(acme, SKOS.altLabel)) == {Literal("Acme")}
    assert set(g.objects(jane, NG.holdsRole)) == {Literal("CEO"), Literal("chief executive")}
    assert g.value(_iri("country/ruritania"), NG.isoCode) == Literal("RT")
    acq = _iri(ACQ)
    assert set(g.objects(acq, RDF.type)) == {NG.Acquisition}
    assert g.value(acq, NG.place) == _iri("country/ruritania")
    assert g.value(acq, NG.date) == Literal("2024-05-01", datatype=rns.XSD.date)
    assert (g.value(acq, NG.status), g.value(acq, NG.scope), g.value(acq, NG.duration)) == (
        Literal("agreed"), Literal("all shares"), Literal("two years"))
    assert set(g.objects(_iri(TALKS), RDF.type)) == {NG.Talks}
    assert (_iri(f"article/{AID2}"), NG.mentions, acme) in g


def test_quotes_and_claims(g: Graph) -> None:
    q, c = _iri(f"statement/{AID}/q1"), _iri(f"statement/{AID}/c1")
    assert set(g.objects(q, RDF.type)) == {NG.Statement}
    assert set(g.objects(c, RDF.type)) == {NG.Statement, NG.Claim}
    assert (_iri("person/jane-roe"), NG.said, q) in g
    assert (_iri("organization/beta-ltd"), NG.claimed, c) in g
    assert g.value(q, NG.speaker) == _iri("person/jane-roe")
    assert g.value(q, NG.quote) == Literal("This is a good day")
    assert g.value(q, NG.cue) == Literal("said")
    assert g.value(q, PROV.wasDerivedFrom) == _iri(f"article/{AID}")
    assert g.value(q, NG.startChar) == Literal(100)


def test_article_metadata(g: Graph) -> None:
    a, a2 = _iri(f"article/{AID}"), _iri(f"article/{AID2}")
    assert g.value(a, RDF.type) == NG.NewsArticle
    assert g.value(a, RDFS.label) == g.value(a, SCHEMA.headline) == Literal("Acme to buy Beta")
    assert g.value(a, SCHEMA.datePublished) == Literal("2024-05-02", datatype=rns.XSD.date)
    assert g.value(a, SCHEMA.url) == URIRef("https://news.example.org/acme-beta")
    assert g.value(a, SCHEMA.publisher) == Literal("Example Wire")
    assert g.value(a, SCHEMA.author) == Literal("A. Writer")
    assert g.value(a, NG.articleId) == Literal(AID)
    assert g.value(a2, RDFS.label) == Literal("later.txt")  # no title: the path
    assert g.value(a2, SCHEMA.headline) is None
    assert g.value(a2, SCHEMA.datePublished) == Literal("2024-05", datatype=rns.XSD.gYearMonth)


def test_output_validates_and_has_no_blank_nodes(g: Graph) -> None:
    validate(g)
    assert not any(isinstance(t, BNode) for triple in g for t in triple)


def test_validate_does_not_change_the_graph(g: Graph) -> None:
    before = set(g)
    validate(g)
    assert set(g) == before


def test_validation_stays_fast_on_thousands_of_relations() -> None:
    """Guards the SPARQL-target design of the reification shapes (per-node SPARQL took minutes)."""
    n = 2000
    ents = [Entity(f"person/p{i}", "Person", f"Person {i}", roles=("envoy",), articles=(AID,)) for i in range(300)]
    agrs = [Agreement(f"agreement/{AID}/d{i}", "Deal", f"deal {i}", articles=(AID,)) for i in range(200)]
    rels = [Relation(f"person/p{i % 300}", "agreedTo", f"agreement/{AID}/d{i % 200}", _pv("s", i)) for i in range(n)]
    kg = KnowledgeGraph.from_extractions([Extraction(Article(id=AID, text="", title="t"), ents, agrs, rels, [])])
    g = to_rdf(kg)
    started = time.perf_counter()
    validate(g)
    assert time.perf_counter() - started < 30
    g.remove((_iri("person/p1"), NG.agreedTo, None))  # now 1 reification per removed triple dangles
    with pytest.raises(ShapeViolation) as info:
        validate(g)
    assert {v[0] for v in info.value.violations} == {"ReifiedTripleShape"}


def test_custom_base_only_changes_the_prefix(kg: KnowledgeGraph, g: Graph) -> None:
    base = "http://example.org/kg/"
    custom = to_rdf(kg, base=base)
    validate(custom)

    def rebased(t):
        return URIRef(DEFAULT_BASE + t[len(base):]) if isinstance(t, URIRef) and t.startswith(base) else t

    assert {tuple(rebased(t) for t in triple) for triple in custom} == set(g)
    assert not any(str(t).startswith(DEFAULT_BASE) for triple in custom for t in triple)
    assert (URIRef(base + "person/jane-roe"), RDF.type, NG.Person) in custom
    no_slash = to_rdf(kg, base="http://example.org/kg")  # a "/" is added rather than gluing keys on
    assert no_slash.value(URIRef(base + "person/jane-roe"), RDFS.label) == Literal("Jane Roe")


def test_iris_are_stable_across_builds() -> None:
    assert set(to_rdf(merger_kg())) == set(to_rdf(merger_kg()))


def test_node_iri_percent_encodes_unsafe_keys() -> None:
    assert node_iri("person/jane-roe") == URIRef(DEFAULT_BASE + "person/jane-roe")
    assert node_iri("person/a b#c?d") == URIRef(DEFAULT_BASE + "person/a%20b%23c%3Fd")
    assert node_iri("place/zoë<>") == URIRef(DEFAULT_BASE + "place/zo%C3%AB%3C%3E")
    assert node_iri("x/100%") == URIRef(DEFAULT_BASE + "x/100%25")


TRICKY = {
    "acme": 'Acme "The Best" Corp \\ Ltd',
    "jane": "Jane\nRoe\ttab \u202eRTL\u202c שלום مرحبا",
    "acq": 'deal 🤝 for """triple""" quotes and \'single\'',
    "quote": "line one\r\nline two \\n not a newline \U0001f600 \x00 nul",
}


def tricky(labels: dict[str, str], fmt: str) -> dict[str, str]:
    """XML 1.0 cannot carry NUL at all, so the XML variant leaves it out."""
    return {k: v.replace("\x00", "") for k, v in labels.items()} if fmt == "xml" else labels


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's JSON-LD parser
@pytest.mark.parametrize("fmt", ["turtle", "nt", "xml", "json-ld"])
def test_tricky_literals_survive_a_round_trip(fmt: str) -> None:
    labels = tricky(TRICKY, fmt)
    g = to_rdf(merger_kg(labels))
    back = Graph().parse(data=serialize(g, fmt), format=fmt)
    assert isomorphic(g, back)
    found = {str(o) for o in back.objects(None, RDFS.label)} | {str(o) for o in back.objects(None, NG.quote)}
    assert set(labels.values()) <= found
    if fmt == "turtle":
        validate(back)


def test_confidence_is_a_canonical_decimal_rounded_to_three_places() -> None:
    """Canonical xsd:decimal (no trailing zeros), the form the store keeps, so lines compare as text."""
    for conf, want in [(0.8, "0.8"), (1 / 3, "0.333"), (1.0, "1"), (0.0, "0"), (0.0005, "0"),
                       (0.9995, "1"), (0.12345, "0.123"), (0.25, "0.25")]:
        kg = merger_kg()
        rel = kg.relations[0]
        kg.relations = [Relation(rel.subject, rel.predicate, rel.object,
                                 Provenance(AID, "s", 0, 1, conf))]
        g = to_rdf(kg)
        lit = g.value(_reifications(g, _iri(rel.subject), NG[rel.predicate], _iri(rel.object))[0], NG.confidence)
        assert str(lit) == want and lit.datatype == rns.XSD.decimal
        assert lit.toPython() == Decimal(want)


def test_bad_dates_are_left_out_and_unknown_types_fall_back() -> None:
    kg = merger_kg()
    kg.agreements[ACQ] = Agreement(ACQ, "Handshake", "handshake deal", date="2024-02-30")
    kg.agreements[TALKS] = Agreement(TALKS, "Meeting", "merger talks", date="sometime in May")
    kg.entities["organization/beta-ltd"] = Entity("organization/beta-ltd", "Vehicle", "Beta Ltd")
    kg.articles[AID] = Article(id=AID, text="", title="t", published="2024-13", url="not a url")
    kg.articles[AID2] = Article(id=AID2, text="", title="t2", published="2024", url="https://x.example/a b")
    g = to_rdf(kg)
    assert set(g.objects(_iri(ACQ), RDF.type)) == {NG.Agreement}
    assert set(g.objects(_iri(TALKS), RDF.type)) == {NG.Meeting}
    assert set(g.objects(_iri("organization/beta-ltd"), RDF.type)) == {NG.Actor}
    assert g.value(_iri(ACQ), NG.date) is None and g.value(_iri(TALKS), NG.date) is None
    assert g.value(_iri(f"article/{AID}"), SCHEMA.datePublished) is None
    assert g.value(_iri(f"article/{AID}"), SCHEMA.url) == Literal("not a url")
    assert g.value(_iri(f"article/{AID2}"), SCHEMA.datePublished) == Literal("2024", datatype=rns.XSD.gYear)
    assert g.value(_iri(f"article/{AID2}"), SCHEMA.url) == Literal("https://x.example/a b")
    validate(g)


def test_unknown_relation_predicate_is_an_error() -> None:
    kg = merger_kg()
    kg.relations = [Relation("organization/acme-corp", "likes", ACQ, _pv("s", 0))]
    with pytest.raises(ValueError, match="likes"):
        to_rdf(kg)


def test_same_kg_from_reordered_input_serializes_identically() -> None:
    ex = merger_extractions()
    a = KnowledgeGraph.from_extractions(ex)
    b = KnowledgeGraph.from_extractions([ex[1], ex[0]])
    for fmt in ("turtle", "nt", "json-ld", "xml"):
        assert serialize(to_rdf(a), fmt) == serialize(to_rdf(b), fmt)


_CHILD = (
    "import sys; sys.path.insert(0, {tests!r}); "
    "from test_rdf import merger_kg, tricky, TRICKY; from graph.rdf import to_rdf, serialize; "
    "sys.stdout.buffer.write(serialize(to_rdf(merger_kg(tricky(TRICKY, {fmt!r}))), {fmt!r}).encode('utf-8'))"
)


@pytest.mark.parametrize("fmt", ["turtle", "nt", "json-ld", "xml"])
def test_serialize_is_byte_identical_across_processes(fmt: str) -> None:
    outs = []
    for seed in ("1", "2", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = _CHILD.format(tests=str(Path(__file__).parent), fmt=fmt)
        proc = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True, cwd=ROOT)
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2]
    assert outs[0] == serialize(to_rdf(merger_kg(tricky(TRICKY, fmt))), fmt).encode("utf-8")


def test_turtle_uses_readable_prefixes(g: Graph) -> None:
    ttl = serialize(g)
    for prefix in ("ng:", "prov:", "rdfs:", "schema:", "skos:", "xsd:", "person:", "evidence:", "article:"):
        assert f"@prefix {prefix}" in ttl
    assert "person:jane-roe a ng:Person" in ttl


def test_json_ld_is_compacted_with_the_project_context(g: Graph) -> None:
    doc = json.loads(serialize(g, "json-ld"))
    assert "@context" in doc
    text = json.dumps(doc)
    assert '"agreedTo"' in text and '"label"' in text and '"Person"' in text


def test_unknown_format_is_a_usage_error(g: Graph) -> None:
    with pytest.raises(UsageError, match="unknown RDF format"):
        serialize(g, "docx")


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_context_maps_short_names_to_ontology_terms() -> None:
    ctx = json.loads(CONTEXT_FILE.read_text(encoding="utf-8"))
    doc = {
        "@context": ctx["@context"],
        "@graph": [
            {"@id": "id:person/jane-roe", "@type": "Person", "label": "Jane Roe", "holdsRole": "CEO",
             "said": "id:statement/x/q1"},
            {"@id": "id:organization/acme-corp", "@type": "Organization", "agreedTo": "id:agreement/x/deal"},
            {"@id": "id:evidence/e1", "@type": "RdfStatement", "subject": "id:organization/acme-corp",
             "predicate": "agreedTo", "object": "id:agreement/x/deal", "confidence": "0.900", "startChar": "3",
             "date": "2024-05-01", "wasDerivedFrom": "id:article/x"},
        ],
    }
    g = Graph().parse(data=json.dumps(doc), format="json-ld")
    jane, acme, ev = _iri("person/jane-roe"), _iri("organization/acme-corp"), _iri("evidence/e1")
    assert (jane, RDF.type, NG.Person) in g
    assert (jane, RDFS.label, Literal("Jane Roe")) in g
    assert (jane, NG.holdsRole, Literal("CEO")) in g
    assert (jane, NG.said, _iri("statement/x/q1")) in g
    assert (acme, NG.agreedTo, _iri("agreement/x/deal")) in g
    assert (ev, RDF.type, RDF.Statement) in g
    assert (ev, RDF.predicate, NG.agreedTo) in g
    assert (ev, NG.confidence, Literal("0.900", datatype=rns.XSD.decimal)) in g
    assert (ev, NG.startChar, Literal("3", datatype=rns.XSD.integer)) in g
    assert (ev, NG.date, Literal("2024-05-01", datatype=rns.XSD.date)) in g
    assert (ev, PROV.wasDerivedFrom, _iri("article/x")) in g


def _ontology_ng_terms() -> set[str]:
    onto = Graph().parse(ONTOLOGY_FILE, format="turtle")
    return {str(s)[len(NG_URI):] for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(NG_URI)}


def test_every_ng_term_used_in_the_package_is_in_the_ontology() -> None:
    defined = _ontology_ng_terms()
    used = set()
    for path in (ROOT / "graph").rglob("*.py"):
        if path.name == "vocab.py":  # defines NG (its docstring shows a typo on purpose)
            continue
        text = path.read_text(encoding="utf-8")
        used |= set(re.findall(r"\bNG\.([A-Za-z_]\w*)", text))
        used |= set(re.findall(r"\bNG\[\s*[\"']([A-Za-z_]\w*)[\"']\s*\]", text))
    assert used, "expected NG terms in graph/*.py"
    assert used <= defined, sorted(used - defined)


def test_closed_namespace_matches_the_ontology() -> None:
    assert set(NG.__annotations__) == _ontology_ng_terms()
    with pytest.raises(AttributeError):
        NG.agredTo  # noqa: B018 - a typo must fail loudly
    with pytest.raises(AttributeError):
        NG["Handshake"]


def test_records_types_exist_in_the_ontology() -> None:
    from graph.records import ENTITY_TYPES, RELATION_TYPES
    from graph.vocab import AGREEMENT_TYPES, EVENT_TYPES

    defined = _ontology_ng_terms()
    assert set(ENTITY_TYPES) | set(RELATION_TYPES) | set(AGREEMENT_TYPES) | set(EVENT_TYPES) <= defined
