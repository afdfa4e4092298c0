"""Issue 18: agreements and events found once each, named by the agreement, dated from the text."""

from __future__ import annotations

from .conftest import facts


def _by_label(ex):
    return {a.label: a for a in ex.agreements}


def test_numbered_resolution_is_an_agreement(extract_text):
    ex = extract_text("The Security Council approved Resolution 2231 on Monday.", published="2025-03-12")
    res = _by_label(ex)["Resolution 2231"]
    assert res.type == "Agreement"
    assert res.date == "2025-03-10"
    assert ("Security Council", "agreedTo", "Resolution 2231") in facts(ex)


def test_cease_fire_spelled_apart(extract_text):
    ex = extract_text("Latvia and Estonia agreed to a cease fire along the river.")
    assert any(a.type == "Ceasefire" for a in ex.agreements)


def test_coup_and_handover_are_events_dated_by_their_verb(extract_text):
    ex = extract_text("The coup in Mali ended on Friday. Latvia agreed to the handover of the district.",
                      published="2025-03-12")
    got = _by_label(ex)
    assert got["coup"].type == "Event" and got["coup"].date == "2025-03-07"
    assert any(label.startswith("handover") for label in got)


def test_label_is_not_a_date(extract_text):
    ex = extract_text("Latvia and Estonia announced a fisheries pact on Monday.", published="2025-03-12")
    pact = next(a for a in ex.agreements if "pact" in a.label)
    assert pact.label == "fisheries pact"
