"""Issue 18: a stance the narrator reports from someone is an exported edge, marked reported, with its reporter."""

from __future__ import annotations

from rdflib import RDF

from graph.builder.cache import from_dict, to_dict
from graph.rdf import to_rdf, validate
from graph.resolution.merge import merge_extractions
from graph.vocab import NG

from .conftest import facts, labels

TEXT = ("The foreign ministry of Latvia said on Friday that Armenia and Georgia had agreed to a truce. "
        "Otto Brandt said: \"Armenia will sign the fisheries pact.\"")


def test_reported_stance_is_kept_with_its_reporter(extract_text):
    ex = extract_text(TEXT)
    names = labels(ex)
    got = [r for r in ex.relations if r.predicate == "agreedTo" and names[r.subject] == "Armenia"]
    assert got and got[0].modality == "reported"
    assert got[0].provenance.confidence >= 0.5
    assert [names[k] for k in got[0].reported_by] == ["Latvia"]
    assert ("Georgia", "agreedTo", "truce") in facts(ex)


def test_quoted_stance_stays_a_quote(extract_text):
    ex = extract_text(TEXT)
    assert not any(p == "signed" for _, p, _ in facts(ex))
    assert any(s.kind == "quote" and "sign" in s.text for s in ex.statements)


def test_reporter_in_rdf_and_cache(extract_text):
    ex = extract_text(TEXT)
    assert from_dict(to_dict(ex)).relations == ex.relations
    g = to_rdf(merge_extractions([ex]))
    validate(g)
    evidence = [ev for ev in g.subjects(RDF.type, RDF.Statement) if g.value(ev, NG.reportedBy) is not None]
    assert evidence
    assert all(str(g.value(ev, NG.modality)) == "reported" for ev in evidence)


def test_reported_hypothetical_stays_below_the_threshold(extract_text):
    ex = extract_text("The ministry said Latvia and Estonia could agree to a truce. "
                      "Officials said Karl Odum might meet Ilse Kahn.")
    assert not facts(ex)
    assert all(r.modality == "hypothetical" for r in ex.relations)
