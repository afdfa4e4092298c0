"""One test per coreference rule (graph/nlp/coref.py), each on a text written for it."""

from __future__ import annotations

import pytest

from graph.nlp.coref import Coref
from graph.nlp.entities import resolve_mentions
from graph.nlp.mentions import find_mentions, sentence_index


def _resolve(nlp, text: str, word: str, nth: int = 0) -> list[str]:
    doc = nlp(text)
    mentions = find_mentions(doc)
    resolve_mentions(mentions, "t")
    coref = Coref(doc, mentions, sentence_index(doc))
    toks = [t for t in doc if t.lower_ == word.lower()]
    return coref.resolve(toks[nth])


def test_possessive_pronoun_takes_nearest_person(nlp):
    text = "Officials said Chancellor Greta Wolff ended the strike after her call with Mayor Ivo Sand."
    assert _resolve(nlp, text, "her") == ["person/greta-wolff"]


def test_subject_pronoun_prefers_the_last_subject(nlp):
    text = "President Lena Ostrova told Prime Minister Karl Hahn about the plan. He rejected it on Monday."
    # "He" opens a clause: it continues the topic, the last subject, not the last name
    assert _resolve(nlp, text, "He") == ["person/lena-ostrova"]


def test_they_takes_the_nearest_coordination(nlp):
    text = "The plan came from Minister Eva Lund and Minister Karl Berg. They said it was fair."
    assert set(_resolve(nlp, text, "They")) == {"person/eva-lund", "person/karl-berg"}


def test_it_takes_an_organisation_or_country_not_a_person(nlp):
    text = "Director Maya Stone said Borealis Mining would cut jobs. Its shares fell."
    assert _resolve(nlp, text, "Its") == ["organization/borealis-mining"]


def test_the_two_leaders_are_the_last_two_people(nlp):
    text = ("Prime Minister Aino Virta spoke with President Jonas Lehto on Friday. "
            "The two leaders agreed to meet again.")
    assert set(_resolve(nlp, text, "leaders")) == {"person/aino-virta", "person/jonas-lehto"}


def test_the_country_is_the_nearest_country(nlp):
    text = "Kenya hosted the talks in Nairobi. The country has mediated before."
    assert _resolve(nlp, text, "country") == ["country/kenya"]


def test_the_president_is_the_person_with_that_role(nlp):
    text = ("President Sara Kim met Finance Minister Tom Reyes. "
            "Reyes briefed reporters, and the president left for Seoul.")
    assert _resolve(nlp, text, "president", nth=1) == ["person/sara-kim"]


def test_antecedents_are_looked_for_only_a_few_sentences_back(nlp):
    text = ("Senator Ada Quist spoke first. The hall was full. The lights were low. The crowd was quiet. "
            "The rain had stopped. Then his phone rang.")
    assert _resolve(nlp, text, "his") == []


@pytest.mark.parametrize("word", ["rain", "Then"])
def test_ordinary_words_are_not_anaphors(nlp, word):
    text = "Senator Ada Quist spoke first. Then the rain stopped."
    assert _resolve(nlp, text, word) == []


def test_they_is_not_a_list_of_places(nlp):
    text = "Officials said the talks in Lima, Chile and Quito were useful. Dana Roe criticised them."
    assert _resolve(nlp, text, "them") == []
