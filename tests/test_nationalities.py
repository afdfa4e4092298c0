"""A demonym on a state title says which country the person acts for (graph/nlp/extractors/nationalities.py)."""

from __future__ import annotations

import pytest

from tests.conftest import facts

pytestmark = pytest.mark.slow


def test_a_demonym_on_a_state_title_is_a_membership(extract_text) -> None:
    # demonyms are those of real countries (the table is pycountry's), the people are invented
    ex = extract_text("Chile and Peru signed a border deal. Chilean Foreign Minister Ana Ruiz and her "
                      "Peruvian counterpart Tomas Vell met on Tuesday. French President Paul Ledru welcomed it.")
    found = facts(ex)
    assert ("Ana Ruiz", "memberOf", "Chile") in found
    assert ("Tomas Vell", "memberOf", "Peru") in found
    assert ("Paul Ledru", "memberOf", "France") in found  # the country need not be named elsewhere


def test_an_apposition_title_with_a_demonym_counts_too(extract_text) -> None:
    ex = extract_text("The Israeli ambassador, Dan Avrahami, said the talks would go on.")
    assert ("Dan Avrahami", "memberOf", "Israel") in facts(ex)


def test_a_demonym_on_a_title_that_is_no_state_role_is_only_an_origin(extract_text) -> None:
    ex = extract_text("A French journalist, Anne Vidal, wrote about the talks. German professor Karl Ober agreed.")
    found = facts(ex)
    assert not any(p == "memberOf" and o in ("France", "Germany") for _, p, o in found)


def test_a_country_possessing_a_state_title_is_a_membership(extract_text) -> None:
    ex = extract_text("Peru's labour minister Rosa Vela urged both sides to talk. Chile's government spokeswoman "
                      "Marta Ibarra said Santiago remained committed.")
    found = facts(ex)
    assert ("Rosa Vela", "memberOf", "Peru") in found
    assert ("Marta Ibarra", "memberOf", "Chile") in found


def test_announcing_plans_proposes_them_and_announcing_a_pact_agrees_to_it(extract_text) -> None:
    found = facts(extract_text("Toyota announced plans to cut 1,100 jobs."))
    assert ("Toyota", "proposed", "plans to cut 1,100 jobs") in found
    assert not any(p == "agreedTo" for _, p, _ in found)
    found = facts(extract_text("Chile and Peru announced a trade pact on Monday."))
    assert ("Chile", "agreedTo", "trade pact") in found and ("Peru", "agreedTo", "trade pact") in found
