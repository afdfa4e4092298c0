"""Long articles in windows, so that one article's cost is linear in its length and its memory bounded.

spaCy's cost per character grows with the length of one text (400,000 characters took 8 times as long
as 100,000, and three times the memory), and several extraction rules compare each mention with every
earlier one. A text longer than WINDOW_CHARS is therefore cut into windows at paragraph breaks (else
after a sentence, else at a space); each window is parsed and extracted on its own, with the article's
id and metadata, and the window extractions are joined into the article's one Extraction with every
character offset moved back into the whole text, so provenance points at the right sentence.

What a window costs: coreference and agreement chains do not reach across a cut (an actor or agreement
named in both windows is still one node: keys come from names), which no article short enough to be news
(under WINDOW_CHARS, about 3,500 words) ever meets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from ..errors import ExtractionError
from ..keys import statement_key
from ..records import Agreement, Article, Entity, Extraction, Provenance, Relation, Statement

#: Texts longer than this are parsed and extracted in windows of at most this many characters.
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
    """``nlp(text)``, a long text parsed window by window and the windows joined into one Doc whose text
    is ``text`` exactly (each window starts a sentence; tokens, entities and dependencies as parsed)."""
    if len(text) <= size:
        return nlp(text)
    docs = list(nlp.pipe((text[a:b] for a, b in windows(text, size)), batch_size=1))  # one window in memory
    doc = Doc.from_docs(docs, ensure_whitespace=False)
    if doc.text != text:  # pragma: no cover - from_docs keeps each window's text; this guards the offsets
        raise ValueError("parse windows did not join back to the text")
    return doc


# --- extraction in windows --------------------------------------------------------------------------------


def extract_article(nlp: Language, article: Article, size: int = WINDOW_CHARS) -> Extraction:
    """The article's Extraction: :func:`graph.nlp.extract.extract_doc` on the whole text, or on each window
    of a long one, joined (see :func:`join`). Raises ExtractionError as extract_doc does."""
    from .extract import extract_doc

    if len(article.text) <= size:
        return extract_doc(article, nlp(article.text))
    spans = windows(article.text, size)
    parts = []
    for (start, _end), doc in zip(spans, nlp.pipe((article.text[a:b] for a, b in spans), batch_size=1),
                                  strict=True):
        parts.append((start, extract_doc(replace(article, text=doc.text), doc)))
    return join(article, parts)


def extract_articles(nlp: Language, articles: Iterable[Article], *, batch_size: int = 16,
                     size: int = WINDOW_CHARS) -> Iterator[tuple[Article, Extraction | ExtractionError]]:
    """Each article with its Extraction (or the ExtractionError it raised), in order: short articles go
    through ``nlp.pipe`` in batches, long ones window by window. What the build's executors call."""
    from .extract import extract_doc

    def short(batch: list[Article]) -> Iterator[tuple[Article, Extraction | ExtractionError]]:
        for art, doc in zip(batch, nlp.pipe((a.text for a in batch), batch_size=batch_size), strict=True):
            yield art, _attempt(lambda art=art, doc=doc: extract_doc(art, doc))

    batch: list[Article] = []
    for art in articles:
        if len(art.text) <= size:
            batch.append(art)
            if len(batch) >= batch_size:
                yield from short(batch)
                batch = []
            continue
        yield from short(batch)
        batch = []
        yield art, _attempt(lambda art=art: extract_article(nlp, art, size))
    yield from short(batch)


def _attempt(run: Callable[[], Extraction]) -> Extraction | ExtractionError:
    try:
        return run()
    except ExtractionError as err:
        return err


def _moved(pv: Provenance, offset: int) -> Provenance:
    return replace(pv, start=pv.start + offset, end=pv.end + offset)


def _union(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(x for g in groups for x in g))


def _statement_start(text: str, s: Statement) -> int | None:
    """Where the quote of ``s`` starts in its window: the offset its key was made from."""
    i = text.find(s.text)
    while i >= 0:
        if statement_key(s.provenance.article, i, s.text) == s.key:
            return i
        i = text.find(s.text, i + 1)
    return None


def join(article: Article, parts: list[tuple[int, Extraction]]) -> Extraction:
    """One Extraction from window extractions ``(offset of the window, extraction)``, in text order.

    Offsets move by the window's start; statement keys, which hold an offset, are made again (and the
    relations pointing at them follow). A node two windows both name (same key) is one node: the first
    window's label and fields, the aliases and roles of all, the first mention's provenance.
    """
    entities: dict[str, Entity] = {}
    agreements: dict[str, Agreement] = {}
    statements: list[Statement] = []
    relations: list[Relation] = []
    for offset, ex in parts:
        for e in ex.entities:
            old = entities.get(e.key)
            entities[e.key] = e if old is None else replace(
                old, aliases=_union(old.aliases, e.aliases), roles=_union(old.roles, e.roles),
                code=old.code or e.code)
        for a in ex.agreements:
            a = replace(a, provenance=_moved(a.provenance, offset) if a.provenance else None)
            old_a = agreements.get(a.key)
            agreements[a.key] = a if old_a is None else replace(
                old_a, aliases=_union(old_a.aliases, a.aliases), status=old_a.status or a.status,
                scope=old_a.scope or a.scope, duration=old_a.duration or a.duration,
                place=old_a.place or a.place, date=old_a.date or a.date)
        renamed: dict[str, str] = {}
        for s in ex.statements:
            start = _statement_start(ex.article.text, s)
            key = statement_key(article.id, (s.provenance.start if start is None else start) + offset, s.text)
            renamed[s.key] = key
            statements.append(replace(s, key=key, provenance=_moved(s.provenance, offset)))
        for r in ex.relations:
            relations.append(replace(r, subject=renamed.get(r.subject, r.subject),
                                     object=renamed.get(r.object, r.object), provenance=_moved(r.provenance, offset)))
    return Extraction(article=article, entities=sorted(entities.values(), key=lambda e: e.key),
                      agreements=list(agreements.values()), relations=relations, statements=statements)
