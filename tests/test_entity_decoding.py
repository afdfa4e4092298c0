"""The entity recognizer decoded with a beam of one finds spaCy's own entities, token for token."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
import spacy
from spacy.pipeline import EntityRecognizer

from graph.nlp.entity_decoding import StepwiseEntityRecognizer, speed_up_entities
from graph.nlp.pipeline import load_installed_model, load_model

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow  # needs the spaCy model

#: Entities of many kinds, at the start and end of texts, next to punctuation, spaces and line breaks.
TEXTS = [
    "Apple",
    "The European Union and Mexico signed a $4.5 billion trade deal in Brussels on Tuesday, March 3, 2026.",
    "  Dr. Amara Okafor-Lindqvist, 54, told Reuters:\n\n\"The Senate will vote by 9 p.m.\" The UN agreed.",
    "Shares of Northwind Holdings rose 12% after the Federal Reserve's first cut since the 2008 crisis.",
    "They met in São Paulo and Lagos, then flew to the U.K. for the Premier League final at Wembley",
    "no entities here at all, only lower-case words and a comma",
    "KYIV — Ukraine's parliament, the Verkhovna Rada, approved the second reading on the 15th of July.",
]


def _entities(nlp: spacy.language.Language, texts: list[str], **pipe_args: int) -> list[list[tuple[str, str]]]:
    return [[(t.ent_iob_, t.ent_type_) for t in doc] for doc in nlp.pipe(texts, **pipe_args)]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    articles = sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "data" / "eval").rglob("*.txt"))
    return TEXTS + [p.read_text(encoding="utf-8") for p in articles]


@pytest.fixture(scope="module")
def stock() -> spacy.language.Language:
    return load_installed_model()


@pytest.fixture(scope="module")
def fast() -> spacy.language.Language:
    nlp = load_installed_model()
    assert speed_up_entities(nlp) == ["ner"]
    return nlp


@pytest.mark.parametrize("batch_size", [16, 3])
def test_the_same_entities_as_the_stock_recognizer(stock, fast, texts, batch_size):
    want = _entities(stock, texts, batch_size=batch_size)
    got = _entities(fast, texts, batch_size=batch_size)
    assert sum(tag == "B" for doc in want for tag, _ in doc) > 300  # the texts do have entities
    assert got == want


def test_one_text_at_a_time_and_empty_texts(stock, fast):
    for text in ["", " ", "\n\n", *TEXTS[:3]]:
        assert [(e.start, e.end, e.label_) for e in fast(text).ents] == \
            [(e.start, e.end, e.label_) for e in stock(text).ents], text
    assert _entities(fast, ["", TEXTS[1], " "]) == _entities(stock, ["", TEXTS[1], " "])


def test_entities_set_before_the_recognizer_are_kept_as_spacy_keeps_them(texts):
    """A rule-based entity before the recognizer constrains its moves (valid-move checks, not scores)."""
    patterns = [{"label": "ORG", "pattern": "Northwind Holdings"}, {"label": "GPE", "pattern": "Mexico"},
                {"label": "EVENT", "pattern": [{"LOWER": "trade"}, {"LOWER": "deal"}]}]
    pipelines = []
    for speed in (False, True):
        nlp = load_installed_model()
        nlp.add_pipe("entity_ruler", before="ner").add_patterns(patterns)
        if speed:
            speed_up_entities(nlp)
        pipelines.append(nlp)
    want, got = (_entities(nlp, texts[:8]) for nlp in pipelines)
    assert ("B", "EVENT") in want[1] and got == want


def test_only_greedy_recognizers_are_replaced():
    nlp = load_installed_model()
    nlp.get_pipe("ner").cfg["beam_width"] = 4  # a recognizer that runs its own beam search
    assert speed_up_entities(nlp) == []
    assert type(nlp.get_pipe("ner")) is EntityRecognizer


def test_the_build_pipeline_uses_it_under_the_same_name():
    nlp = load_model()
    ner = nlp.get_pipe("ner")
    assert isinstance(ner, StepwiseEntityRecognizer)
    assert "ner" in nlp.pipe_names and ner.labels == load_installed_model().get_pipe("ner").labels


def test_it_pickles_for_spawned_workers():
    """spaCy pickles the pipeline for worker processes that are spawned rather than forked."""
    nlp = pickle.loads(pickle.dumps(load_model()))
    assert isinstance(nlp.get_pipe("ner"), StepwiseEntityRecognizer)
    assert _entities(nlp, TEXTS) == _entities(load_model(), TEXTS)
