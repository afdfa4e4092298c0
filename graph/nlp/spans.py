"""Spans of an article: actor mentions as token spans, their clean text, and where quotation marks are."""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field

from spacy.tokens import Doc

from .tokens import token_table

#: Text between a pair of quotation marks, straight or curly, at least two characters long.
QUOTED = re.compile(r"[“\"]([^“”\"]{2,}?)[”\"]", re.S)


def quote_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the text inside quotation marks."""
    return [(m.start(1), m.end(1)) for m in QUOTED.finditer(text)]


_QUOTES = {'"', "“", "”", "'", "‘", "’", "«", "»"}


@dataclass(slots=True)
class ActorMention:
    """One occurrence of an actor: its name tokens, its type, and roles/organisations seen beside it."""

    start: int  # token index of the first name token
    end: int  # token index after the last name token
    text: str
    type: str
    sent: int
    role_tokens: list[int] = field(default_factory=list)  # tokens of a title before/around the name
    roles: list[str] = field(default_factory=list)
    orgs: list[tuple[int, int]] = field(default_factory=list)  # (start, end) of organisations the role is at
    key: str = ""  # filled by resolution
    alias: str = ""  # the text's own name here when it stands for a named actor ("known as Hemedti")

    @property
    def tokens(self) -> range:
        return range(self.start, self.end)


def clean_span(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Drop determiners, quotes, possessive endings and punctuation at the edges of a name."""
    toks = token_table(doc).tokens
    while start < end and (toks[start].lower_ in ("the", "a", "an") or toks[start].text in _QUOTES
                           or toks[start].is_punct or toks[start].is_space):
        start += 1
    while end > start and (toks[end - 1].tag_ == "POS" or toks[end - 1].text in _QUOTES
                           or (toks[end - 1].is_punct and toks[end - 1].text != ".") or toks[end - 1].is_space):
        end -= 1
    return start, end


def span_text(doc: Doc, start: int, end: int) -> str:
    """The text of tokens [start, end) with their own spacing, newlines folded to spaces."""
    if start >= end:
        return ""
    return " ".join(raw_text(doc, start, end).split())


def raw_text(doc: Doc, start: int, end: int) -> str:
    """``doc[start:end].text``, cut from the article's text (a span builds it token by token)."""
    if start >= end:
        return ""
    toks = token_table(doc).tokens
    last = toks[end - 1]
    return doc_text(doc)[toks[start].idx:last.idx + len(last.text)]


#: Each live Doc's text: ``Doc.text`` joins every token again at each call.
_TEXTS: weakref.WeakKeyDictionary[Doc, str] = weakref.WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per Doc."""
    text = _TEXTS.get(doc)
    if text is None:
        text = _TEXTS[doc] = doc.text
    return text
