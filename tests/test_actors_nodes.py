"""One node per actor, and no node for what is not one (graph/nlp/entities.py, graph/nlp/names.py)."""

from __future__ import annotations

from tests.conftest import facts


def _entities(ex) -> dict[str, str]:
    return {e.label: e.type for e in ex.entities}


def test_a_first_word_is_the_two_word_company(extract_text):
    ex = extract_text("Orbis Rail agreed to buy Kestrel Rail on Monday. Kestrel said the deal was fair.")
    ents = _entities(ex)
    assert "Kestrel Rail" in ents and "Kestrel" not in ents


def test_formal_and_short_country_names_are_one_node(extract_text):
    ex = extract_text("The Republic of Chile and the Borvian Federation welcomed the plan. Borvia said so. "
                      "Chile agreed.")
    ents = _entities(ex)
    assert ents.get("Chile") == "Country" and ents.get("Borvia") == "Country"
    assert "Republic of Chile" not in ents and "Borvian Federation" not in ents


def test_a_room_is_a_place(extract_text):
    ex = extract_text("Ana Roe met Tom Ferr in the Oval Office on Monday.")
    assert _entities(ex).get("Oval Office") == "Place"


def test_an_office_that_acts_stays_an_organisation(extract_text):
    ex = extract_text("The Home Office said on Monday that it would review the rules.")
    assert _entities(ex).get("Home Office") == "Organization"


def test_credit_lines_are_not_actors(extract_text):
    ex = extract_text("Chile and Peru signed a water accord on Monday.\n\nReporting by Ana Orr; Editing by Tom Ferr")
    ents = _entities(ex)
    assert not {"Ana Orr", "Tom Ferr"} & set(ents)
    assert {"Chile", "Peru"} <= set(ents)


def test_a_span_cut_short_takes_the_country_and_leaves_the_person(extract_text):
    ex = extract_text("Head of the Office of the President of Chile Ana Roe said the talks would resume.")
    ents = _entities(ex)
    assert ents.get("Ana Roe") == "Person"
    assert "Office of the President of" not in ents
    assert ("Ana Roe", "memberOf", "Office of the President of Chile") in facts(ex)


def test_a_union_of_states_is_not_a_country(extract_text):
    ex = extract_text("The European Union and Europe's leaders welcomed the plan on Monday.")
    assert _entities(ex).get("European Union") == "Organization"


def test_a_coordinated_name_cut_by_the_ner_is_the_longer_name(extract_text):
    ex = extract_text("The Labour and Justice Party won. The Labour and Justice leader, Mart Kask, will serve as "
                      "finance minister.")
    assert ("Mart Kask", "memberOf", "Labour and Justice Party") in facts(ex)
    assert "Labour" not in _entities(ex)
