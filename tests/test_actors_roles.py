"""Roles and memberships from every title a text gives a person (graph/nlp/titles.py, extractors/memberships.py)."""

from __future__ import annotations

from tests.conftest import facts


def _roles(ex, label: str) -> set[str]:
    return {r for e in ex.entities if e.label == label for r in e.roles}


def test_an_honorific_between_title_and_name(extract_text):
    ex = extract_text("Rebel leader Dr. Omar Falu signed the accord on Monday.")
    assert "leader" in _roles(ex, "Omar Falu")


def test_as_phrase_gives_the_object_its_role(extract_text):
    ex = extract_text("The guards installed their former commander, Lina Voss, as head of state.")
    assert "head of state" in _roles(ex, "Lina Voss")


def test_resigned_as_leader_of_a_party(extract_text):
    ex = extract_text("Ben Orr recently resigned as leader of the Labour Party.")
    assert "leader" in _roles(ex, "Ben Orr")
    assert ("Ben Orr", "memberOf", "Labour Party") in facts(ex)


def test_copula_leader_of(extract_text):
    ex = extract_text("Ana Kell is the leader of the Green League and has led it since 2003.")
    assert ("Ana Kell", "memberOf", "Green League") in facts(ex)


def test_title_as_a_second_subject(extract_text):
    ex = extract_text("The President of Chile, Omar Teller said he agreed.")
    assert "President" in _roles(ex, "Omar Teller")


def test_becoming_a_title(extract_text):
    ex = extract_text("The deal sees Tom Ferr, Unity leader, becoming Deputy Prime Minister.")
    assert "Deputy Prime Minister" in _roles(ex, "Tom Ferr")


def test_capitalised_title_then_comma_then_name(extract_text):
    ex = extract_text("Sark held a meeting with the Unity Party General Secretary, Mara Lind Tove, on Monday.")
    assert "General Secretary" in _roles(ex, "Mara Lind Tove")


def test_relative_clause_member_of(extract_text):
    ex = extract_text("Dana Roe, who is a member of the Green League, spoke on Monday.")
    assert ("Dana Roe", "memberOf", "Green League") in facts(ex)


def test_party_in_brackets_after_a_name(extract_text):
    ex = extract_text("Prime Minister Ivo Sark (Unity Party) agreed to the plan.")
    assert ("Ivo Sark", "memberOf", "Unity Party") in facts(ex)


def test_parent_company_apposition(extract_text):
    ex = extract_text("Zentra Holdings, Orbis Freight's parent company, approved the sale.")
    assert ("Orbis Freight", "memberOf", "Zentra Holdings") in facts(ex)


def test_runs_a_unit_at_a_company(extract_text):
    ex = extract_text("Mara Tove, who runs the cloud unit at Orbis Freight, resigned.")
    assert ("Mara Tove", "memberOf", "Orbis Freight") in facts(ex)


def test_coordinated_titles_are_two_roles(extract_text):
    ex = extract_text("Unity Party leader and Keral governor Lev Pask attended the talks.")
    assert {"leader", "governor"} <= _roles(ex, "Lev Pask")
    assert ("Lev Pask", "memberOf", "Unity Party") in facts(ex)


def test_a_title_after_the_other_persons_determiner_is_not_coordinated(extract_text):
    ex = extract_text("Ana Roe met the president and Foreign Minister Luis Vela.")
    assert _roles(ex, "Luis Vela") == {"Foreign Minister"}


def test_plural_title_before_coordinated_names(extract_text):
    ex = extract_text("Chilean and Peruvian foreign ministers Ana Mora and Luis Vela met on Monday.")
    assert "foreign minister" in _roles(ex, "Ana Mora")
    assert "foreign minister" in _roles(ex, "Luis Vela")


def test_the_partys_leader_is_the_person_named_with_that_role(extract_text):
    ex = extract_text("Unity Party leader Ana Roe met Tom Ferr on Monday. The party's leader later signed the "
                      "water accord.")
    assert ("Ana Roe", "signed", "water accord") in facts(ex)


def test_a_role_given_in_a_later_description(extract_text):
    ex = extract_text("Omar Teller welcomed the deal on Monday, praising the Chilean president's efforts.")
    assert "president" in _roles(ex, "Omar Teller")


def test_a_description_is_not_the_role_of_someone_with_another_title(extract_text):
    ex = extract_text("Prime Minister Ana Roe spoke on Monday. The president agreed.")
    assert _roles(ex, "Ana Roe") == {"Prime Minister"}


def test_parent_company_possessive_first(extract_text):
    ex = extract_text("Orbis Freight's parent company, Zentra Holdings, approved the sale on Monday.")
    assert ("Orbis Freight", "memberOf", "Zentra Holdings") in facts(ex)


def test_a_possessive_title_before_a_title(extract_text):
    ex = extract_text("Talks began in the presence of UN Secretary General's representative Ian Mora on Sunday.")
    assert ("Ian Mora", "memberOf", "UN") in facts(ex)


def test_works_for_a_company(extract_text):
    ex = extract_text("Pedro Alves, a former chief of staff, works for Iberia Water.")
    assert ("Pedro Alves", "memberOf", "Iberia Water") in facts(ex)


def test_becoming_after_the_main_verb(extract_text):
    ex = extract_text("Mara Lindqvist won the vote on Monday, becoming premier.")
    assert "premier" in _roles(ex, "Mara Lindqvist")


def test_an_apposition_after_the_second_conjunct_is_its_own(extract_text):
    ex = extract_text("The accord was signed by Prime Minister Omar Falu and Tanaba, leader of the rebel faction.")
    assert _roles(ex, "Omar Falu") == {"Prime Minister"}
    assert "leader" in _roles(ex, "Tanaba")
