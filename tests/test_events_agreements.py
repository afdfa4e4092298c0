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


def test_a_year_is_a_year_not_a_day():
    from graph.nlp.time import resolve_date

    assert resolve_date("2019", "2025-06-18") == "2019"
    assert resolve_date("in 2019", "2025-06-18") == "2019"
    assert resolve_date("June 2021", "2025-06-18") == "2021-06"
    assert resolve_date("Friday", "2025-06-18") == "2025-06-13"


def test_document_speaker_named_earlier(extract_text):
    ex = extract_text('The European Union endorsed the truce in a statement on Saturday. '
                      '"This is a good day for the region," the statement said.')
    names = {e.key: e.label for e in ex.entities}
    quote = next(s for s in ex.statements if s.text.startswith("This is a good day"))
    assert [names[k] for k in quote.speakers] == ["European Union"]


def test_demonym_proposal_owner(extract_text):
    ex = extract_text("Estonia rejected a Latvian proposal for a permanent ceasefire.")
    assert any(s == "Latvia" and p == "proposed" for s, p, _ in facts(ex))


def test_future_signing_is_dated_ahead(extract_text):
    ex = extract_text("Latvia and Estonia reached a fisheries deal. The deal is expected to be signed by Latvia "
                      "and Estonia on Friday.", published="2025-06-18")  # a Wednesday
    signed = [r for r in ex.relations if r.predicate == "signed"]
    assert signed and all(r.modality == "future" and r.date == "2025-06-20" for r in signed)


def test_obligation_is_not_a_signing(extract_text):
    ex = extract_text("Latvia and Estonia reached a fisheries deal. The deal has to be ratified by both "
                      "parliaments.")
    assert not any(p == "signed" for _, p, _ in facts(ex))


def test_restatement_in_apposition_is_one_agreement(extract_text):
    ex = extract_text("Latvia and Estonia signed a fisheries accord, a deal promoted by Jonas Vell, on Monday.")
    assert len(ex.agreements) == 1
    assert ("Jonas Vell", "supports", "fisheries accord") in facts(ex)


def test_resolution_by_number_and_its_restatements(extract_text):
    ex = extract_text("The Security Council has unanimously approved Resolution 1800 calling for an end to the "
                      "fighting. Latvia will bring the UN resolution to its cabinet on Sunday. Estonia welcomed "
                      "the resolution which had been delayed for a week.")
    resolutions = [a for a in ex.agreements if "resolution" in a.label.lower()]
    assert [a.label for a in resolutions] == ["Resolution 1800"]
    assert ("Estonia", "supports", "Resolution 1800") in facts(ex)
