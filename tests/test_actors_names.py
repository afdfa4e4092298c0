"""Names the small model gets wrong, repaired from evidence in the same article (graph/nlp/names.py).

Each construction has its own short text with invented people and organisations.
"""

from __future__ import annotations

from tests.conftest import facts


def _entities(ex) -> dict[str, str]:
    return {e.label: e.type for e in ex.entities}


def test_a_name_split_at_a_particle_is_one_person(extract_text):
    ex = extract_text("Rui Souza do Vale said he would attend the summit. Souza do Vale later signed the accord.")
    assert _entities(ex).get("Rui Souza do Vale") == "Person"


def test_two_person_spans_side_by_side_are_one_name(extract_text):
    ex = extract_text("Borvian Vice President Ali Musa Hamid Keta signed the accord on Monday.")
    ents = _entities(ex)
    assert ents.get("Ali Musa Hamid Keta") == "Person"
    assert "Ali Musa" not in ents


def test_a_person_only_title_inside_an_organisation_span_makes_a_person(extract_text):
    ex = extract_text("Arland's chief of defence staff, General Ivo Sark, spoke to reporters.")
    people = {e.label: e for e in ex.entities if e.type == "Person"}
    assert "Ivo Sark" in people
    assert "chief of defence staff" in people["Ivo Sark"].roles


def test_party_members_name_is_the_party(extract_text):
    ex = extract_text("The Liberal Democrats and the Maoists met on Monday. Tom Ferr, Liberal Democrat leader, "
                      "spoke afterwards.")
    ents = _entities(ex)
    assert ents.get("Liberal Democrats") == "Organization"
    assert ents.get("Maoists") == "Organization"
    assert "Liberal Democrat" not in ents  # the singular is the same party
    assert ("Tom Ferr", "memberOf", "Liberal Democrats") in facts(ex)


def test_a_country_that_is_also_a_surname_stays_the_country(extract_text):
    ex = extract_text("Omar Kumar Malta met the finance minister. Officials in Malta welcomed the talks.")
    ents = _entities(ex)
    assert ents.get("Malta") == "Country"


def test_a_bracketed_qualifier_is_part_of_a_party_name(extract_text):
    ex = extract_text("The Communist Party of Chile (Maoist) chairman Ivo Sark met Tom Ferr on Monday.")
    assert ("Ivo Sark", "memberOf", "Communist Party of Chile (Maoist)") in facts(ex)


def test_a_name_typed_as_a_nationality_is_a_person(extract_text):
    ex = extract_text("Dana Roe met the leader of the United Leftist Front, Prabin Narayan Chaudel, on Monday.")
    assert ("Prabin Narayan Chaudel", "memberOf", "United Leftist Front") in facts(ex)


def test_the_parse_shows_a_place(extract_text):
    ex = extract_text("The Chilean border town of Marrak was quiet on Monday.")
    assert ("Marrak", "locatedIn", "Chile") in facts(ex)


def test_a_title_and_regnal_number_typed_as_a_work_is_a_person(extract_text):
    ex = extract_text("He served in the reign of Queen Mara III for twenty years.")
    people = {e.label: e for e in ex.entities if e.type == "Person"}
    assert "Mara III" in people and "Queen" in people["Mara III"].roles


def test_an_untyped_name_with_a_definite_role_apposition_is_a_person(extract_text):
    ex = extract_text("A role was played by the Tolo Varu, the traditional king of the Vessi.")
    assert _entities(ex).get("Tolo Varu") == "Person"


def test_a_name_ending_in_a_place_noun_takes_no_second_one(extract_text):
    ex = extract_text("The Marrak Valley region of Chile was calm on Monday.")
    assert ("Marrak Valley", "locatedIn", "Chile") in facts(ex)


def test_a_hyphenated_pair_opens_an_organisations_name(extract_text):
    ex = extract_text("The Chile-Peru Mixed Commission met on Monday.")
    assert _entities(ex).get("Chile-Peru Mixed Commission") == "Organization"
