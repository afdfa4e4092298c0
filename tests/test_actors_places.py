"""locatedIn from the ordinary ways news writes places (graph/nlp/extractors/places.py)."""

from __future__ import annotations

from tests.conftest import facts


def test_place_comma_country(extract_text):
    ex = extract_text("Talks opened at the Nyssa Stadium in Marrak, Chile on Monday.")
    assert ("Marrak", "locatedIn", "Chile") in facts(ex)


def test_a_list_of_places_is_no_location(extract_text):
    ex = extract_text("Protests spread to Marrak, Tolbin, Quessa and Vorn on Monday.")
    assert not {f for f in facts(ex) if f[1] == "locatedIn"}


def test_opening_phrase_comma_subject_is_no_location(extract_text):
    ex = extract_text("In Marrak, Chile signed the accord with Peru.")
    assert ("Marrak", "locatedIn", "Chile") not in facts(ex)


def test_dateline_place_and_country(extract_text):
    ex = extract_text("MARRAK, Chile (Wire) — Officials signed a water accord on Monday.")
    assert ("Marrak", "locatedIn", "Chile") in facts(ex)


def test_country_possessive_capital(extract_text):
    ex = extract_text("Chile's capital of Santiago hosted the talks on Monday.")
    assert ("Santiago", "locatedIn", "Chile") in facts(ex)


def test_an_enclave_in_a_country(extract_text):
    ex = extract_text("Nesk is an enclave in Peru.")
    assert ("Nesk", "locatedIn", "Peru") in facts(ex)


def test_the_town_of_names_the_town_not_its_country(extract_text):
    ex = extract_text("The ceremony was held in the capital of northern Varsa, the fishing town of Tolbin.")
    assert ("Varsa", "locatedIn", "Tolbin") not in facts(ex)


def test_its_headquarters_in(extract_text):
    ex = extract_text("Orbis Freight said its headquarters in Lisbon would close next year.")
    assert ("Orbis Freight", "locatedIn", "Lisbon") in facts(ex)


def test_an_untyped_name_at_a_place_in_a_country(extract_text):
    ex = extract_text("The meeting was held at Tolvar in Chile.")
    assert ("Tolvar", "locatedIn", "Chile") in facts(ex)
