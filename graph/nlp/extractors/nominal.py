"""Relations said with a noun: "in a call with Vell", "her meeting with Roe", "talks between A and B",
"launched attacks on Borvia".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_NOMINAL
from ..document import DocIndex
from ..time import date_of
from .arguments import participants, subjects
from .grammar import lemma, negated, pobjs


def _contact_sides(ix: DocIndex, noun: Token) -> tuple[list[tuple[str, bool]], list[tuple[str, bool]]]:
    """(the other side: "with X", everyone: "between X and Y") of a call or meeting noun."""
    others: list[tuple[str, bool]] = []
    between: list[tuple[str, bool]] = []
    for prep in noun.children:
        if prep.dep_ != "prep":
            continue
        if prep.lower_ == "with":
            for o in pobjs(prep):
                others.extend(ix.actors(o))
        elif prep.lower_ in ("between", "among"):
            for o in pobjs(prep):
                between.extend(ix.actors(o))
    if not others and noun.dep_ == "dobj":
        # "finishing his call with Modi": the parser hangs "with" on the verb
        for prep in noun.head.children:
            if prep.dep_ == "prep" and prep.lower_ == "with" and prep.i > noun.i:
                for o in pobjs(prep):
                    others.extend(ix.actors(o))
    if not others and not between and noun.dep_ == "pobj" and noun.head.head.pos_ == "VERB":
        # "X told Y in a call", "X assured Y during a meeting": the verb's object is the other side
        verb = noun.head.head
        others = [a for c in verb.children if c.dep_ in ("dobj", "dative")
                  and (c.i in ix.tok2actor or c.pos_ == "PRON")  # not "discussed trade and Ukraine"
                  for a in ix.actors(c)]
    named = [c for c in noun.lefts if c.dep_ in ("compound", "nmod", "amod") and c.i in ix.tok2actor]
    if len(named) >= 2 or (len(named) == 1 and any(c.dep_ == "conj" for c in named[0].children)):
        # "the Modi-Xi call", "a Modi and Xi meeting"
        between = [a for c in named for a in ix.actors(c)]
    if not others and not between and noun.dep_ == "pobj" and noun.head.lower_ in ("during", "at"):
        # "the two leaders discussed trade during a state visit": the meeting's own participants
        parts = participants(ix, noun)
        if len(parts) >= 2:
            between = parts
    return others, between


def contact_nouns(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"in a call with X", "his meeting with X", "talks between X and Y": who spoke with or met whom."""
    published = ix.article.published
    for noun in ix.doc:
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        rel = lx.CONTACT_NOUNS.get(lemma(noun))
        if rel is None:
            continue
        others, between = _contact_sides(ix, noun)
        date = date_of(noun, published)
        if others:
            for s, rs in participants(ix, noun):
                for o, ro in others:
                    if s != o:
                        yield Relation(s, rel, o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro),
                                       "asserted", date)
        for i, (a, ra) in enumerate(between):
            for b, rb in between[i + 1:]:
                yield Relation(a, rel, b, ix.provenance(noun, CONF_NOMINAL, resolved=ra or rb), "asserted", date)
        # the actors of a meeting node take part in it: "talks between X and Y", "X's meeting with Y"
        agr = ix.agreement(noun)
        if agr and (others or between):
            parts = between or [*(participants(ix, noun)), *others]
            for s, rs in parts:
                yield Relation(s, "participatesIn", agr, ix.provenance(noun, CONF_NOMINAL, resolved=rs),
                               "asserted", date)


def attack_nouns(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"launched attacks on X", "carried out strikes against X": the verb's subject attacked X."""
    for noun in ix.doc:
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        lem = lemma(noun)
        if lem in lx.CONTACT_NOUNS or lem not in lx.ATTACK_NOUNS or noun.head.pos_ != "VERB" or noun.dep_ != "dobj":
            continue
        targets = [o for p in noun.children if p.dep_ == "prep" and p.lower_ in ("on", "against") for o in pobjs(p)]
        victims = [v for t in targets for v in ix.actors(t)]
        if victims and not negated(noun.head):
            for s, rs in subjects(ix, noun.head):
                for o, ro in victims:
                    if s != o:
                        yield Relation(s, "attacked", o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro))
