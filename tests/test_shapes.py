"""The ontology and the SHACL shapes: each shape accepts a small good graph and names itself on a bad one."""

from __future__ import annotations

import hashlib

import pytest
from rdflib import OWL, RDF, RDFS, BNode, Graph, URIRef
from rdflib.namespace import SH, SKOS

from graph.errors import ShapeViolation
from graph.rdf import validate
from graph.records import ENTITY_TYPES, RELATION_TYPES
from graph.vocab import AGREEMENT_TYPES, EVENT_TYPES, NG, NG_URI, NGSH, ONTOLOGY_FILE, SHAPES_FILE

# --- small Turtle documents (invented actors only) ---------------------------------------------------

PREFIXES = """\
@prefix ng: <https://w3id.org/newsgraph/ontology#> .
@prefix id: <https://w3id.org/newsgraph/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
"""

BASE = """\
id:a1 a ng:NewsArticle ; rdfs:label "An invented story" .
id:acme a ng:Organization ; rdfs:label "Acme Corp" .
id:beta a ng:Organization ; rdfs:label "Beta Ltd" .
id:jane a ng:Person ; rdfs:label "Jane Roe" .
id:rt a ng:Country ; rdfs:label "Ruritania" .
id:deal a ng:Acquisition ; rdfs:label "acquisition of Beta Ltd" .
id:talks a ng:Talks ; rdfs:label "merger talks" .
"""

Over = dict[str, str | None]


def _block(node: str, types: str, props: dict[str, str | None], over: Over | None) -> str:
    props = {"a": types, **props, **(over or {})}
    body = " ;\n    ".join(f"{k} {v}" for k, v in props.items() if v is not None)
    return f"{node} {body} .\n"


def evidence(s: str, p: str, o: str, over: Over | None = None) -> str:
    """A complete rdf:Statement for (s, p, o); ``over`` replaces or (with None) drops properties ("a" too)."""
    name = "id:ev-" + hashlib.sha256(f"{s} {p} {o}".encode()).hexdigest()[:8]
    props = {"rdf:subject": s, "rdf:predicate": p, "rdf:object": o, "prov:wasDerivedFrom": "id:a1",
             "ng:sentence": '"Acme Corp agreed to buy Beta Ltd."', "ng:startChar": "0", "ng:endChar": "33",
             "ng:confidence": "0.900"}
    return _block(name, "rdf:Statement", props, over)


def relation(s: str, p: str, o: str, over: Over | None = None) -> str:
    """The direct triple plus its reification, as to_rdf writes them."""
    return f"{s} {p} {o} .\n" + evidence(s, p, o, over)


def quote(over: Over | None = None, types: str = "ng:Statement") -> str:
    props = {"ng:quote": '"A good day for both companies"', "ng:cue": '"said"', "ng:speaker": "id:jane",
             "prov:wasDerivedFrom": "id:a1", "ng:sentence": '"\\"A good day for both companies,\\" she said."',
             "ng:startChar": "40", "ng:endChar": "83", "ng:confidence": "0.800"}
    return "id:jane ng:said id:q1 .\n" + _block("id:q1", types, props, over)


def doc(*parts: str) -> Graph:
    return Graph().parse(data=PREFIXES + BASE + "".join(parts), format="turtle")


AGREED = relation("id:acme", "ng:agreedTo", "id:deal")

# (shape, conforming extra Turtle, violating extra Turtle). Every shape in shapes.ttl appears at least once.
CASES: list[tuple[str, str, str]] = [
    ("LabelShape", "", "id:x a ng:Person .\n"),
    ("LabelShape", 'id:y a ng:Ceasefire ; rdfs:label "truce" .\n', 'id:y a ng:Ceasefire ; rdfs:label "a", "b" .\n'),
    ("LabelShape", 'id:z a ng:Place ; rdfs:label "Springfield" .\n', 'id:z a ng:Place ; rdfs:label "" .\n'),
    ("LabelShape", 'id:w a ng:Meeting ; rdfs:label "talks" .\n', 'id:w a ng:Meeting ; rdfs:label "talks"@en .\n'),
    ("ArticleLabelShape", 'id:a2 a ng:NewsArticle ; schema:headline "Only a headline" .\n',
     'id:a2 a ng:NewsArticle ; ng:articleId "a2" .\n'),
    ("DateShape", 'id:talks ng:date "2024-05-01"^^xsd:date .\n', 'id:talks ng:date "1 May" .\n'),
    ("DateShape", 'id:talks ng:date "2024"^^xsd:gYear .\n', 'id:talks ng:date "2024-02-30"^^xsd:date .\n'),
    ("PublishedShape", 'id:a1 schema:datePublished "2024-05"^^xsd:gYearMonth .\n',
     'id:a1 schema:datePublished "yesterday" .\n'),
    ("EvidenceSubjectShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"rdf:subject": None})),
    ("EvidencePredicateShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"rdf:predicate": '"agreedTo"'})),
    ("EvidenceObjectShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"rdf:object": None})),
    ("SourceShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"prov:wasDerivedFrom": "id:nowhere"})),
    ("SourceShape", quote(), quote({"prov:wasDerivedFrom": None})),
    ("SentenceShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"ng:sentence": '""'})),
    ("SentenceShape", quote(), quote({"ng:sentence": None})),
    ("StartCharShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"ng:startChar": "-1"})),
    ("StartCharShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"ng:startChar": "40"})),
    ("EndCharShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"ng:endChar": '"33"'})),
    ("ConfidenceShape", AGREED, relation("id:acme", "ng:agreedTo", "id:deal", {"ng:confidence": "1.5"})),
    ("ConfidenceShape", quote(), quote({"ng:confidence": '"high"'})),
    ("ReifiedTripleShape", AGREED, evidence("id:acme", "ng:agreedTo", "id:deal")),
    ("ReificationShape", AGREED, "id:acme ng:agreedTo id:deal .\n"),
    ("ReificationShape", relation("id:jane", "ng:memberOf", "id:acme"),
     relation("id:jane", "ng:memberOf", "id:acme") + "id:jane ng:memberOf id:beta .\n"),
    ("ReificationShape", AGREED,  # a reification that is not typed rdf:Statement does not count
     relation("id:acme", "ng:agreedTo", "id:deal", {"a": None})),
    ("QuoteShape", quote(), quote({"ng:quote": None})),
    ("QuoteShape", quote(types="ng:Statement, ng:Claim"), quote({"ng:quote": '""'}, types="ng:Claim")),
    ("SpeakerShape", quote(), quote({"ng:speaker": None})),
    ("SpeakerShape", quote(), quote({"ng:speaker": "id:deal"})),
    ("SaidShape", quote(), "id:jane ng:claimed id:deal .\n"),
    ("RoleShape", 'id:jane ng:holdsRole "CEO", "chief executive" .\n', "id:jane ng:holdsRole id:ceo .\n"),
    ("RoleShape", 'id:jane ng:holdsRole "CEO" .\n', 'id:jane ng:holdsRole "" .\n'),
    ("ActorSubjectShape", AGREED, relation("id:talks", "ng:agreedTo", "id:deal")),
    ("ActorSubjectShape", 'id:jane ng:holdsRole "CEO" .\n', 'id:deal ng:holdsRole "CEO" .\n'),
    ("HappeningObjectShape", AGREED + relation("id:beta", "ng:participatesIn", "id:talks"),
     relation("id:acme", "ng:agreedTo", "id:beta")),
    ("HappeningObjectShape", relation("id:acme", "ng:signed", "id:deal"), relation("id:acme", "ng:signed", "id:q9")),
    ("ActorObjectShape", relation("id:acme", "ng:metWith", "id:beta"), relation("id:acme", "ng:metWith", "id:deal")),
    ("ActorObjectShape", relation("id:rt", "ng:attacked", "id:acme"), relation("id:rt", "ng:attacked", "id:talks")),
    ("LocationShape", "id:deal ng:place id:rt .\n" + relation("id:talks", "ng:locatedIn", "id:rt"),
     "id:deal ng:place id:jane .\n"),
    ("MentionsShape", "id:a1 ng:mentions id:acme, id:deal .\n", "id:jane ng:mentions id:acme .\n"),
    ("ReportedByShape", relation("id:acme", "ng:agreedTo", "id:deal", {"ng:reportedBy": "id:jane"}),
     relation("id:acme", "ng:agreedTo", "id:deal", {"ng:reportedBy": "id:talks"})),
]


def _shape_names() -> set[str]:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    return {str(s)[len(str(NGSH)):] for cls in (SH.NodeShape, SH.PropertyShape)
            for s in shapes.subjects(RDF.type, cls) if str(s).startswith(str(NGSH))}


def test_every_shape_has_a_case() -> None:
    assert {name for name, _, _ in CASES} == _shape_names()


def test_every_shape_is_named_and_has_a_message() -> None:
    shapes = Graph().parse(SHAPES_FILE, format="turtle")
    for name in _shape_names():
        s = NGSH[name]
        assert str(shapes.value(s, SH.name)) == name
        assert shapes.value(s, SH.message) is not None, name


def test_base_document_conforms() -> None:
    validate(doc())


@pytest.mark.parametrize(("shape", "good", "bad"), CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_shape_accepts_good_and_names_itself_on_bad(shape: str, good: str, bad: str) -> None:
    validate(doc(good))
    with pytest.raises(ShapeViolation) as info:
        validate(doc(bad))
    assert shape in {v[0] for v in info.value.violations}, info.value.violations
    assert shape in str(info.value)


def test_violation_message_names_shape_node_and_value() -> None:
    with pytest.raises(ShapeViolation) as info:
        validate(doc('id:z a ng:Place ; rdfs:label "" .\n'))
    text = str(info.value)
    assert text.startswith("graph violates the SHACL shapes (1 violation)")
    assert "LabelShape on id:z" in text and 'rdfs:label' in text and '[value ""]' in text
    (shape, focus, message), = info.value.violations
    assert (shape, focus) == ("LabelShape", "https://w3id.org/newsgraph/id/z")
    assert "exactly one non-empty" in message


def test_many_violations_are_summarised() -> None:
    bad = "".join(f"id:p{i} a ng:Person .\n" for i in range(13))
    with pytest.raises(ShapeViolation) as info:
        validate(doc(bad))
    assert len(info.value.violations) == 13
    text = str(info.value)
    assert "(13 violations)" in text and "... and 3 more" in text
    assert len(text.splitlines()) == 1 + 10 + 1
    assert "sh:resultSeverity" not in text  # not the raw pySHACL report


def test_reification_message_names_the_unsupported_relation() -> None:
    with pytest.raises(ShapeViolation) as info:
        validate(doc("id:acme ng:agreedTo id:deal .\n"))
    (shape, focus, message), = info.value.violations
    assert shape == "ReificationShape" and focus.endswith("/acme")
    assert "ng:agreedTo" in message and "id/deal" in message


# --- the ontology -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def _supers(g: Graph, cls: URIRef) -> set[URIRef]:
    seen, todo = set(), [cls]
    while todo:
        c = todo.pop()
        if c not in seen:
            seen.add(c)
            todo.extend(g.objects(c, RDFS.subClassOf))
    return seen


def _local(term: object) -> str:
    return str(term).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def test_terms_the_scorer_reads_exist(onto: Graph) -> None:
    for cls in ("Person", "Organization", "Country", "Place", "Agreement", "Event", "Statement"):
        assert (NG[cls], RDF.type, OWL.Class) in onto, cls
    for prop in (*RELATION_TYPES, "said", "claimed"):
        assert (NG[prop], RDF.type, OWL.ObjectProperty) in onto, prop
    for prop in ("holdsRole", "quote"):
        assert (NG[prop], RDF.type, OWL.DatatypeProperty) in onto, prop
    assert len(RELATION_TYPES) == 13


def test_class_hierarchy(onto: Graph) -> None:
    assert NG.Agreement in _supers(onto, NG.Ceasefire)
    assert NG.Event in _supers(onto, NG.Meeting)
    for t in AGREEMENT_TYPES:
        assert NG.Agreement in _supers(onto, NG[t]) and NG.Event not in _supers(onto, NG[t]), t
    for t in EVENT_TYPES:
        assert NG.Event in _supers(onto, NG[t]) and NG.Agreement not in _supers(onto, NG[t]), t
    for t in ENTITY_TYPES:
        assert NG.Actor in _supers(onto, NG[t])
    assert NG.Place not in _supers(onto, NG.Country)
    for t in ("Statement", "Claim", "NewsArticle"):
        assert not {NG.Agreement, NG.Event, NG.Actor} & _supers(onto, NG[t]), t


def test_each_class_reads_as_one_kind_by_local_name(onto: Graph) -> None:
    """Read classes the way a consumer matching local names would: one actor type, or an event, never both."""
    actor_names, event_names = set(ENTITY_TYPES), {"Agreement", "Event"}
    for cls in onto.subjects(RDF.type, OWL.Class):
        if isinstance(cls, BNode):
            continue
        names = {_local(c) for c in _supers(onto, cls)}
        if {"Statement", "Claim"} & names:
            assert not (actor_names | event_names) & names, cls
        assert len(actor_names & names) <= 1, cls
        assert not (actor_names & names and event_names & names), cls


def test_every_term_has_label_and_comment(onto: Graph) -> None:
    terms = {s for s in onto.subjects() if isinstance(s, URIRef) and str(s).startswith(NG_URI)}
    assert len(terms) > 50
    for t in terms:
        assert onto.value(t, RDFS.label) is not None, t
        assert onto.value(t, RDFS.comment) is not None, t


def test_symmetric_relations(onto: Graph) -> None:
    symmetric = set(onto.subjects(RDF.type, OWL.SymmetricProperty))
    assert symmetric == {NG.spokeWith, NG.metWith}


def test_domains_and_ranges_are_broad(onto: Graph) -> None:
    """A wrong edge must not let a reasoner conclude a specific type such as Person or Ceasefire."""
    narrow = {NG[t] for t in (*ENTITY_TYPES, *AGREEMENT_TYPES, *EVENT_TYPES) if t not in ("Agreement", "Country")}
    for prop in RELATION_TYPES:
        for axis in (RDFS.domain, RDFS.range):
            assert not set(onto.objects(NG[prop], axis)) & narrow, (prop, axis)


def test_plover_mapping(onto: Graph) -> None:
    concepts = set(onto.subjects(SKOS.inScheme, NG.plover))
    assert {_local(c) for c in concepts} == {
        "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE", "REJECT",
        "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"}
    mapped = {s for p in (SKOS.closeMatch, SKOS.broadMatch, SKOS.relatedMatch) for s, o in onto.subject_objects(p)
              if o in concepts}
    assert {_local(s) for s in mapped} == set(RELATION_TYPES) - {"locatedIn", "memberOf"}
    assert (NG.agreedTo, SKOS.closeMatch, NG.AGREE) in onto
    assert (NG.attacked, SKOS.closeMatch, NG.ASSAULT) in onto
    assert (NG.rejected, SKOS.closeMatch, NG.REJECT) in onto


@pytest.mark.parametrize(("shape", "good", "bad"), [c for c in CASES if c[0].startswith("Reifi")])
def test_sparql_shapes_agree_with_plain_pyshacl(shape: str, good: str, bad: str) -> None:
    """validate() runs the SPARQL-targeted shapes in Oxigraph; pySHACL's advanced mode must say the same."""
    import pyshacl

    from graph.rdf import _class_hierarchy, _shapes

    def check(text: str) -> tuple[bool, str]:
        conforms, _, report = pyshacl.validate(doc(text), shacl_graph=_shapes(), ont_graph=_class_hierarchy(),
                                               inference="none", advanced=True)
        return conforms, report

    assert check(good)[0]
    conforms, report = check(bad)
    assert not conforms and shape in report
    with pytest.raises(ShapeViolation) as info:
        validate(doc(bad))
    assert shape in {v[0] for v in info.value.violations}


# --- parity with pySHACL ----------------------------------------------------------------------------
# validate() runs pyrudof's SHACL engine; pySHACL, which it replaced, stays the reference here.

#: Bad documents beyond CASES: ill-formed dates (pyrudof itself takes any string as a date), several values,
#: sh:or alternatives, a language-tagged string, a literal where a node belongs.
MORE_BAD = [
    'id:talks ng:date "2024-13-01"^^xsd:date .\n',
    'id:talks ng:date "2023-02-29"^^xsd:date .\n',
    'id:a1 schema:datePublished "hello"^^xsd:date .\n',
    'id:talks ng:date "2024-05-01"^^xsd:date, "2024"^^xsd:gYear .\n',
    relation("id:acme", "ng:agreedTo", "id:deal", {"ng:confidence": '"0.5", "0.7"'}),
    relation("id:acme", "ng:agreedTo", "id:deal", {"ng:startChar": "0, 1"}),
    relation("id:acme", "ng:agreedTo", "id:deal", {"ng:endChar": None}),
    relation("id:acme", "ng:agreedTo", "id:deal", {"ng:sentence": '"a sentence"@en'}),
    relation("id:acme", "ng:agreedTo", "id:deal", {"rdf:subject": '"acme"'}),
    relation("id:acme", "ng:agreedTo", "id:deal", {"prov:wasDerivedFrom": "id:a1, id:a2"}),
    quote({"ng:speaker": "id:jane, id:talks"}),
    quote({"ng:quote": '"x", "y"'}),
    "id:q3 a ng:Statement .\n",
    'id:deal ng:place "Ruritania" .\n',
    "id:jane ng:claimed id:q2 . id:q2 a ng:Claim .\n",
    'id:x a ng:Person ; rdfs:label "a \\"quoted\\" label that runs on well beyond sixty characters in all"@en .\n',
]
ALL_BAD = "".join(bad for _, _, bad in CASES)


def _pyshacl_pairs(g: Graph) -> set[tuple[str, str]]:
    """(shape, focus) of pySHACL's report, called as validate() called it before, in advanced mode so the
    SPARQL-targeted shapes are in the reference too."""
    import pyshacl

    from graph.rdf import _class_hierarchy, _shape_name, _shapes

    conforms, results, _ = pyshacl.validate(g, shacl_graph=_shapes(), ont_graph=_class_hierarchy(),
                                            inference="none", advanced=True, abort_on_first=False,
                                            allow_warnings=False)
    return set() if conforms else {(_shape_name(results.value(r, SH.sourceShape)), str(results.value(r, SH.focusNode)))
                                   for r in results.objects(None, SH.result)}


def _pairs(g: Graph) -> set[tuple[str, str]]:
    try:
        validate(g)
    except ShapeViolation as exc:
        return {(shape, focus) for shape, focus, _ in exc.violations}
    return set()


@pytest.mark.parametrize("bad", [c[2] for c in CASES] + MORE_BAD + [ALL_BAD],
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)] + [f"more-{i}" for i in range(len(MORE_BAD))]
                         + ["all"])
def test_bad_documents_break_the_shapes_pyshacl_names(bad: str) -> None:
    reference = _pyshacl_pairs(doc(bad))
    assert reference
    assert _pairs(doc(bad)) == reference


@pytest.mark.parametrize("good", ["", *dict.fromkeys(c[1] for c in CASES)])
def test_good_documents_pass_both_engines(good: str) -> None:
    assert _pyshacl_pairs(doc(good)) == set()
    validate(doc(good))


@pytest.mark.parametrize(("shape", "over"), [("ConfidenceShape", {"ng:confidence": '"nan"^^xsd:decimal'}),
                                             ("ConfidenceShape", {"ng:confidence": '"INF"^^xsd:decimal'}),
                                             ("StartCharShape", {"ng:startChar": '"abc"^^xsd:integer'})])
def test_values_pyshacl_could_not_compare_are_violations(shape: str, over: Over) -> None:
    """pySHACL raised InvalidOperation / TypeError on these instead of reporting them."""
    with pytest.raises(ShapeViolation) as info:
        validate(doc(relation("id:acme", "ng:agreedTo", "id:deal", over)))
    assert shape in {v[0] for v in info.value.violations}


@pytest.mark.parametrize("bad", [c[2] for c in CASES], ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_validate_ntriples_says_what_validate_says(bad: str) -> None:
    from graph.rdf import serialize, validate_ntriples

    g = doc(bad)
    with pytest.raises(ShapeViolation) as expected:
        validate(g)
    with pytest.raises(ShapeViolation) as info:
        validate_ntriples(serialize(g, "nt"))
    assert info.value.violations == expected.value.violations
    assert str(info.value) == str(expected.value)  # the default prefixes are the ones these documents use


def test_date_check_reads_escapes_and_skips_lookalikes_in_text() -> None:
    from graph.rdf import _mark_ill_formed, serialize, validate_ntriples

    base = serialize(doc(), "nt")
    talks, date = "<https://w3id.org/newsgraph/id/talks>", "<https://w3id.org/newsgraph/ontology#date>"
    dt = "<http://www.w3.org/2001/XMLSchema#date>"
    lookalike = f'{talks} {RDFS.comment.n3()} "x\\"^^{dt} y" .\n'
    assert _mark_ill_formed(lookalike) == lookalike
    validate_ntriples(base + lookalike)
    validate_ntriples(base + f"{talks} {date} " + r'"\u0032024-05-01"' + f"^^{dt} .\n")
    for lexical in (r'"2024-05-0\u0033x"', r'"2024-02-30\\"', r'"2024-05-01\""', r'"\"2024-05-01"'):
        with pytest.raises(ShapeViolation) as info:
            validate_ntriples(base + f"{talks} {date} {lexical}^^{dt} .\n")
        assert {v[0] for v in info.value.violations} == {"DateShape"}, lexical
        assert "^^xsd:date]" in str(info.value), lexical  # shown with its own datatype


def test_validate_ntriples_rejects_text_that_is_not_ntriples() -> None:
    from graph.rdf import validate_ntriples

    with pytest.raises(SyntaxError):
        validate_ntriples('<https://w3id.org/newsgraph/id/x> <http://www.w3.org/2000/01/rdf-schema#label> "x .\n')


def test_validation_sessions_keep_checks_apart_across_threads() -> None:
    """Each thread has its own pyrudof session, and each check's data is rolled back after it."""
    from concurrent.futures import ThreadPoolExecutor

    bad = "id:x a ng:Person .\n"
    jobs = [bad if i % 3 == 0 else "" for i in range(24)]
    with ThreadPoolExecutor(4) as pool:
        found = list(pool.map(lambda text: _pairs(doc(text)), jobs))
    assert found == [{("LabelShape", "https://w3id.org/newsgraph/id/x")} if text else set() for text in jobs]


def _violations_of(texts: list[str]) -> list[list[tuple[str, str, str]]]:
    found = []
    for text in texts:
        try:
            validate(doc(text))
            found.append([])
        except ShapeViolation as exc:
            found.append(exc.violations)
    return found


def test_a_process_forked_after_validating_says_the_same() -> None:
    """pyrudof's thread pool does not survive a fork: such a child checks with pySHACL instead of hanging."""
    import multiprocessing

    texts = ["", *(c[2] for c in CASES), *MORE_BAD]
    here = _violations_of(texts)  # starts the pool in this process
    with multiprocessing.get_context("fork").Pool(1) as pool:
        there = pool.apply_async(_violations_of, (texts,)).get(timeout=300)
    assert there == here
