"""The attribute ruler's rules matched by lookup give spaCy's own annotations, token for token."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy

from graph.nlp.attribute_rules import RuleMatches, speed_up
from graph.nlp.pipeline import load_installed_model, load_model

ROOT = Path(__file__).resolve().parents[1]

#: Written to hit the ruler's exceptions: pronouns, contractions, "there is", modal verbs, slang, spaces.
TEXTS = [
    "I'd say y'all gonna be fine, ain't it? Let's go, c'mon. They gotta do somethin' 'bout 'em.",
    "There is a deal. There's nothing here, and there were talks. It was her plan, not his; hers failed.",
    "She told him that they had been negotiating since May, although nobody believed it.\n\n  \n"
    "Separately,  the\tminister resigned.",
    "We can't, we won't and we shouldn't. You'll see. Did they? They did. Has anyone got anything?",
    "The ministry said that it would not accept the terms unless both sides withdrew.",
]


def _annotations(nlp: spacy.language.Language, texts: list[str]) -> list[list[tuple[str, ...]]]:
    return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_) for t in doc] for doc in nlp.pipe(texts)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "eval").rglob("*.txt"))
    return TEXTS + [p.read_text(encoding="utf-8") for p in articles]


@pytest.mark.slow
def test_the_lookup_gives_the_installed_models_annotations(texts):
    stock = load_installed_model()
    fast = load_installed_model()
    [ruler] = [c for _, c in fast.pipeline if isinstance(c, spacy.pipeline.AttributeRuler)]
    assert speed_up(ruler)
    assert isinstance(ruler.match, RuleMatches)
    want, got = _annotations(stock, texts), _annotations(fast, texts)
    assert sum(len(d) for d in want) > 3000
    assert got == want


@pytest.mark.slow
def test_the_lookup_finds_the_matchers_matches(texts):
    stock = load_installed_model()
    [ruler] = [c for _, c in stock.pipeline if isinstance(c, spacy.pipeline.AttributeRuler)]
    with stock.select_pipes(disable=[n for n, c in stock.pipeline if c is ruler or n in ("lemmatizer", "ner")]):
        docs = list(stock.pipe(texts))
    lookup = RuleMatches(ruler)
    found = [lookup(doc) for doc in docs]
    assert found == [sorted(set(ruler.match(doc))) for doc in docs]
    assert sum(map(len, found)) > 4000


def _ruler(patterns: list[dict]) -> tuple[spacy.language.Language, spacy.pipeline.AttributeRuler]:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add_patterns(patterns)
    return nlp, ruler


def test_every_kind_of_test_a_rule_can_make():
    """Equality, IN, NOT_IN, REGEX, IS_ flags, two-token rules with a negative index; later rules win."""
    patterns = [
        {"patterns": [[{"LOWER": "deal"}]], "attrs": {"LEMMA": "DEAL"}},
        {"patterns": [[{"LOWER": {"IN": ["truce", "ceasefire"]}}]], "attrs": {"LEMMA": "TRUCE"}},
        {"patterns": [[{"ORTH": {"REGEX": "^[A-Z]{3,}$"}}]], "attrs": {"LEMMA": "ACRONYM"}},
        {"patterns": [[{"LOWER": "peace"}, {"LOWER": "talks"}]], "attrs": {"LEMMA": "TALKS"}, "index": -1},
        {"patterns": [[{"IS_PUNCT": True, "ORTH": {"NOT_IN": [","]}}]], "attrs": {"LEMMA": "STOP"}},
        {"patterns": [[{"LOWER": "deal", "IS_TITLE": True}]], "attrs": {"LEMMA": "TITLE-DEAL"}},
    ]
    text = "Deal or no deal: NATO backs the truce, and peace talks resume. The ceasefire holds."
    nlp, ruler = _ruler(patterns)
    want = [t.lemma_ for t in nlp(text)]
    assert speed_up(ruler)
    assert [t.lemma_ for t in nlp(text)] == want
    assert want[:4] == ["TITLE-DEAL", "", "", "DEAL"] and "ACRONYM" in want and "TALKS" in want and want[-1] == "STOP"


def test_a_rule_it_cannot_read_leaves_the_ruler_as_it_was():
    nlp, ruler = _ruler([{"patterns": [[{"LOWER": "very", "OP": "+"}, {"LOWER": "good"}]], "attrs": {"LEMMA": "X"}}])
    matcher_match = ruler.match
    assert not speed_up(ruler)
    assert ruler.match == matcher_match
    assert [t.lemma_ for t in nlp("very very good")] == ["X", "X", ""]


@pytest.mark.slow
def test_the_pipeline_pickles_for_spawned_workers():
    """spaCy pickles the pipeline for worker processes that are spawned rather than forked."""
    nlp = pickle.loads(pickle.dumps(load_model()))
    [ruler] = [c for _, c in nlp.pipeline if isinstance(c, spacy.pipeline.AttributeRuler)]
    assert isinstance(ruler.match, RuleMatches)
    assert [(t.pos_, t.lemma_) for t in nlp(TEXTS[0])] == [(t.pos_, t.lemma_) for t in load_model()(TEXTS[0])]
