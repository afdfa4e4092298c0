"""Actors that are not names: demonyms with a proxy noun, "the leaders of A and B" (graph/nlp/document.py)."""

from __future__ import annotations

from graph.nlp.countries import demonym_country
from tests.conftest import facts


def test_demonym_officials_stand_for_their_country(extract_text):
    ex = extract_text("Chile and Peru held talks. Chilean officials met Peruvian delegations in Lima on Monday.")
    assert ("Chile", "metWith", "Peru") in facts(ex) or ("Peru", "metWith", "Chile") in facts(ex)


def test_demonym_forces_attack(extract_text):
    ex = extract_text("Chile and Peru exchanged warnings. Peruvian forces attacked Chile on Monday.")
    assert ("Peru", "attacked", "Chile") in facts(ex)


def test_a_demonym_in_no_fact_is_no_node(extract_text):
    ex = extract_text("Ecuadorian officials were not available for comment on Monday.")
    assert "Ecuador" not in {e.label for e in ex.entities}


def test_the_leaders_of_two_countries(extract_text):
    ex = extract_text("The leaders of Chile and Peru signed the water accord on Monday.")
    assert {("Chile", "signed", "water accord"), ("Peru", "signed", "water accord")} <= facts(ex)


def test_multiword_demonyms():
    assert demonym_country("North Korean") == "North Korea"
    assert demonym_country("South African") == "South Africa"
