"""The Doc's tokens made once per article, with the attributes the rules filter on as plain lists.

Why: spaCy makes a new Token object at every ``doc[i]`` and every step of ``for t in doc``, and reads
``t.pos_`` or ``t.lemma_`` through the StringStore at each use. The rules walk the whole Doc some twenty
times an article, most of them to find the few verbs or nouns they look at: that walking was a fifth of
the extraction's time. Here each token is made once, each attribute read once, and a rule asks for the
tokens of one part of speech (or a few words) in document order, so it visits only those.
"""

from __future__ import annotations

import threading
from collections.abc import Collection

from spacy.tokens import Doc, Token

__all__ = ["TokenTable", "token_table"]


class TokenTable:
    """One Doc's tokens, and their part of speech, lower-cased lemma and lower-cased form, by index."""

    __slots__ = ("_by_pos", "doc", "lemma", "lower", "pos", "tokens")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.tokens: list[Token] = list(doc)
        self.pos: list[str] = [t.pos_ for t in self.tokens]
        self.lemma: list[str] = [t.lemma_.lower() for t in self.tokens]
        self.lower: list[str] = [t.lower_ for t in self.tokens]
        self._by_pos: dict[tuple[str, ...], list[Token]] = {}

    def with_pos(self, *pos: str) -> list[Token]:
        """The tokens whose part of speech is one of ``pos``, in document order."""
        found = self._by_pos.get(pos)
        if found is None:
            wanted = set(pos)
            found = self._by_pos[pos] = [t for t, p in zip(self.tokens, self.pos, strict=True) if p in wanted]
        return found

    def with_lemma(self, lemmas: Collection[str], *pos: str) -> list[Token]:
        """The tokens whose lower-cased lemma is in ``lemmas`` (and part of speech in ``pos``, if given)."""
        return [t for i, t in enumerate(self.tokens) if self.lemma[i] in lemmas and (not pos or self.pos[i] in pos)]

    def with_lower(self, words: Collection[str]) -> list[Token]:
        """The tokens whose lower-cased form is in ``words``."""
        return [t for t, w in zip(self.tokens, self.lower, strict=True) if w in words]


#: The last table made, per thread (a Dask worker may run several threads, each on its own article).
_LAST = threading.local()


def token_table(doc: Doc) -> TokenTable:
    """The table of ``doc``, made on first use; the last one is kept (the rules read one article at a time)."""
    table = getattr(_LAST, "table", None)
    if table is None or table.doc is not doc or len(table.tokens) != len(doc):
        table = _LAST.table = TokenTable(doc)
    return table
