"""The shapes are self-contained: any SHACL engine given ontology/shapes.ttl alone agrees with the build.

SHACL follows rdfs:subClassOf only in the data graph, so ``sh:class ng:Actor`` rejects an ng:Person
unless the ontology is mixed in; ``pyshacl -s ontology/shapes.ttl out/graph.ttl`` said 34 violations
where the build said none. The shapes now list the concrete classes; these tests keep the lists whole.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate as pyshacl_validate
from rdflib import RDF, RDFS, SH, Graph, Namespace, URIRef
from rdflib.collection import Collection

from graph.vocab import DEFAULT_BASE, ONTOLOGY_FILE, SHAPES_FILE

NG = Namespace("https://w3id.org/newsgraph/ontology#")
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")  # rdflib inside pySHACL


def _descendants(onto: Graph, cls: URIRef) -> set[URIRef]:
    out: set[URIRef] = set()
    for sub in onto.subjects(RDFS.subClassOf, cls):
        out |= {sub} | _descendants(onto, sub)  # type: ignore[arg-type]
    return out


def test_every_class_list_in_the_shapes_holds_the_subclasses_of_its_members() -> None:
    shapes, onto = Graph().parse(SHAPES_FILE), Graph().parse(ONTOLOGY_FILE)
    groups: list[set[URIRef]] = []
    for shape in set(shapes.subjects(SH.targetClass, None)):
        groups.append(set(shapes.objects(shape, SH.targetClass)))  # type: ignore[arg-type]
    for _shape, alternatives in shapes.subject_objects(SH["or"]):
        members = [next(shapes.objects(m, SH["class"]), None) for m in Collection(shapes, alternatives)]
        if all(members):
            groups.append(set(members))  # type: ignore[arg-type]
    for shape, cls in shapes.subject_objects(SH["class"]):
        if not any(shape in Collection(shapes, alts) for _, alts in shapes.subject_objects(SH["or"])):
            groups.append({cls})  # type: ignore[arg-type]
    assert len(groups) > 10
    for group in groups:
        for cls in [c for c in group if str(c).startswith(str(NG))]:
            missing = _descendants(onto, cls) - group
            assert not missing, f"{cls} is listed without its subclasses {sorted(missing)}"


def _small_graph(broken: bool) -> Graph:
    """A Person who agreed to a Ceasefire and said something, mapped as the build maps it (each node typed
    with its concrete class only); ``broken`` adds a quote "said" by the ceasefire, which no shape allows."""
    from graph.keys import agreement_key, entity_key, statement_key
    from graph.model import KnowledgeGraph
    from graph.rdf import node_iri, to_rdf
    from graph.records import Agreement, Article, Entity, Provenance, Relation, Statement

    text = "Amina Odhiambo agreed to the ceasefire. \u201cWe agreed,\u201d Odhiambo said."
    aid = "a" * 16
    pv = Provenance(article=aid, sentence=text[:39], start=0, end=39, confidence=1.0, resolved=False)
    person = entity_key("Person", "Amina Odhiambo")
    truce = agreement_key(aid, "the ceasefire")
    quote = statement_key(aid, 41, "We agreed,")
    kg = KnowledgeGraph(
        articles={aid: Article(id=aid, text=text, path="in/a.txt", title="Ceasefire")},
        entities={person: Entity(key=person, type="Person", label="Amina Odhiambo", articles=(aid,))},
        agreements={truce: Agreement(key=truce, type="Ceasefire", label="the ceasefire", articles=(aid,),
                                     provenance=pv)},
        relations=[Relation(subject=person, predicate="agreedTo", object=truce, provenance=pv)],
        statements={quote: Statement(key=quote, speakers=(person,), text="We agreed,", cue="said", kind="quote",
                                     provenance=Provenance(article=aid, sentence=text[40:], start=40,
                                                           end=len(text), confidence=1.0, resolved=True))})
    kg._sort()
    g = to_rdf(kg)
    if broken:
        g.add((node_iri(truce, DEFAULT_BASE), NG.said, node_iri(quote, DEFAULT_BASE)))
    return g


@pytest.mark.parametrize("broken", [False, True])
def test_pyshacl_alone_agrees_with_the_build(broken: bool) -> None:
    from graph.errors import ShapeViolation
    from graph.rdf import validate

    g = _small_graph(broken)
    assert (None, RDF.type, NG.Agreement) not in g and (None, RDF.type, NG.Actor) not in g
    alone, _, text = pyshacl_validate(g, shacl_graph=str(SHAPES_FILE), inference="none")
    try:
        validate(g)
        build_says = True
    except ShapeViolation:
        build_says = False
    assert (alone, build_says) == (not broken, not broken), text


@pytest.mark.slow
def test_pyshacl_alone_accepts_a_built_graph(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from graph.cli import app

    eval_dir = Path(__file__).parent / "data" / "eval"
    result = CliRunner().invoke(app, ["build", str(eval_dir), "-o", str(tmp_path / "out"), "-q", "-f", "turtle"])
    assert result.exit_code == 0, result.output
    data = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert any(data.subjects(RDF.type, NG.Person)) and any(data.subjects(RDF.type, NG.Ceasefire))
    conforms, _, text = pyshacl_validate(data, shacl_graph=str(SHAPES_FILE), inference="none")
    assert conforms, text
