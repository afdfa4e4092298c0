"""Stances cast as a description: "cast the deal as essential" (supports), "described the coup as "null and
void"" (opposes), "called the pact a betrayal" (opposes).

The describer's words may be quoted; the describing is the narrator's, so it is a fact. A description
with words of both kinds, or turned round ("not a victory"), says nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_NOMINAL
from ..document import DocIndex
from ..time import date_of
from ..tokens import token_table
from .arguments import according_to, subjects
from .grammar import negated, reporting_verb

_BE = frozenset({"be"})

def _descriptor(verb: Token) -> list[Token]:
    """The words put on the object: "as essential", "as "null and void"", "a betrayal" (object predicate)."""
    out: list[Token] = []
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "as":
            out.extend(t for t in c.subtree if t.i != c.i)
        elif c.dep_ in ("oprd", "xcomp", "acomp") and c.pos_ in ("NOUN", "ADJ", "PROPN"):
            out.extend(c.subtree)
    return out


def _polarity(words: list[Token]) -> str | None:
    lemmas = {t.lemma_.lower() for t in words} | {t.lower_ for t in words}
    if lemmas & lx.DESCRIPTION_NEGATORS:
        return None
    good, bad = bool(lemmas & lx.POSITIVE_WORDS), bool(lemmas & lx.NEGATIVE_WORDS)
    if good == bad:
        return None
    return "supports" if good else "opposes"


def descriptions(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """A describing verb with an agreement object and a description of one polarity."""
    for verb in token_table(ix.doc).with_lemma(lx.DESCRIBING_VERBS, "VERB"):
        if negated(verb) or ix.in_quote(verb):
            continue
        objs = [k for c in verb.children if c.dep_ == "dobj" for k in [ix.agreement(c) or ix.agreement_pronoun(c)]
                if k]
        if not objs:
            continue
        rel = _polarity(_descriptor(verb))
        if rel is None:
            continue
        date = date_of(verb, ix.article.published)
        for s, r in subjects(ix, verb):
            for k in objs:
                yield Relation(s, rel, k, ix.provenance(verb, CONF_NOMINAL, resolved=r), "asserted", date)


def evaluations(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"The deal, according to X, is a "fair bargain"", "X said the pact was a betrayal": the one
    whose judgement of the agreement the narrator reports holds that stance."""
    for verb in token_table(ix.doc).with_lemma(_BE):
        if negated(verb) or ix.in_quote(verb):
            continue
        objs = [k for c in verb.children if c.dep_ in ("nsubj", "nsubjpass") for k in [ix.agreement(c)] if k]
        if not objs:
            continue
        words = [t for c in verb.children if c.dep_ in ("attr", "acomp") for t in c.subtree]
        rel = _polarity(words)
        if rel is None:
            continue
        judges = according_to(ix, verb)
        speech = reporting_verb(verb)
        if not judges and speech is not None and not negated(speech):
            judges = subjects(ix, speech)
        date = date_of(verb, ix.article.published)
        for s, r in judges:
            for k in objs:
                yield Relation(s, rel, k, ix.provenance(verb, CONF_NOMINAL, resolved=r), "asserted", date)
