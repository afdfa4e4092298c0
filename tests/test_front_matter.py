"""Names the small model cuts or credits it takes for actors: datelines, bylines, particles, "X and Y Union".

Texts are invented for the tests; each case was checked by reading the sentence, not the output.
"""

from __future__ import annotations

from tests.conftest import facts, labels


def test_dateline_with_a_credit_names_the_place_not_the_agency(extract_text) -> None:
    ex = extract_text("VELDHOVEN (Wire) — Chile and Peru signed a fisheries treaty on Monday, "
                      "officials said.\n", published="2031-05-06")
    names = set(labels(ex).values())
    assert "Veldhoven" in names and "Wire" not in names
    assert ("Chile", "signed", "fisheries treaty") in facts(ex)
    assert ("Peru", "signed", "fisheries treaty") in facts(ex)


def test_two_word_dateline_place_is_title_cased(extract_text) -> None:
    ex = extract_text("PORT ARLEN, May 4 (Wire) - The Corvid Energy Group agreed to buy Tamarind Holdings.\n",
                      published="2031-05-04")
    names = set(labels(ex).values())
    assert "Port Arlen" in names and "PORT ARLEN" not in names and "Wire" not in names


def test_byline_is_not_an_actor(extract_text) -> None:
    ex = extract_text("Chile rejects grain deal\n\nBy Henrik Lindqvist\n\n"
                      "Chile rejected a grain deal proposed by Peru on Tuesday.\n")
    names = set(labels(ex).values())
    assert "Henrik Lindqvist" not in names
    assert ("Chile", "rejected", "grain deal") in facts(ex)


def test_name_with_particles_is_one_person(extract_text) -> None:
    ex = extract_text("Commission President Ingrid von der Berghe signed the pact in Arlen. "
                      "\"This is a good day,\" von der Berghe told reporters.\n")
    people = {e.label for e in ex.entities if e.type == "Person"}
    assert people == {"Ingrid von der Berghe"}
    assert not any(e.label == "Berghe" and e.type == "Place" for e in ex.entities)


def test_organisation_with_and_in_its_name(extract_text) -> None:
    ex = extract_text("The Coastal Ferry and Harbour Workers Union said on Thursday it had reached a deal "
                      "with port operators. Walmart and Target welcomed the deal.\n")
    orgs = {e.label for e in ex.entities if e.type == "Organization"}
    assert "Coastal Ferry and Harbour Workers Union" in orgs
    assert not any("Walmart" in o for o in orgs if o != "Walmart")  # never glued to "Target"


def test_the_agreement_repeats_the_agreement_not_the_latest_proposal(extract_text) -> None:
    ex = extract_text("The dockworkers union reached a tentative agreement with the Harbour Operators Association "
                      "on Thursday. The association had rejected an earlier proposal from the union in May. "
                      "The Retail Traders Federation praised the agreement.\n")
    assert ("Retail Traders Federation", "supports", "tentative agreement") in facts(ex)
