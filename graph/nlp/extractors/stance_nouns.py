"""Stances said with a noun: "the signing of the accord between A and B", "Arland's approval of the plan",
"voiced support for the truce", "is in support of the deal", "a strong critic of the deal".

The noun names the relation (lexicon STANCE_NOUNS, AGENT_NOUNS); the doer is its possessor, its "by"
phrase, the subject of a light verb or copula it hangs on, the name it is in apposition to, or the
sides "between A and B" of a signing. With no doer in the sentence, nothing is said.
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
from .arguments import subjects
from .grammar import lemma, negated, pobjs

#: Stance nouns that may take an actor as their object: "support for Vell", "opposition to the junta".
_ACTOR_STANCES = frozenset({"supports", "opposes"})


def _objects(ix: DocIndex, noun: Token, rel: str) -> tuple[list[str], list[tuple[str, bool]]]:
    """(agreements, actors) a stance noun is about, through its prepositions."""
    agreements: list[str] = []
    actors: list[tuple[str, bool]] = []
    for p in noun.children:
        if p.dep_ != "prep" or p.lower_ not in lx.STANCE_NOUN_PREPS:
            continue
        for o in pobjs(p):
            for t in (o, *o.conjuncts):
                key = ix.agreement(t)
                if key and key not in agreements:
                    agreements.append(key)
                elif key is None and rel in _ACTOR_STANCES and p.lower_ != "of":
                    actors.extend(ix.actors(t, conj=False))
    return agreements, actors


def _between(ix: DocIndex, *nouns: Token) -> list[tuple[str, bool]]:
    """"the signing of the accord between A and B": the sides named on the noun or on its agreement."""
    return [a for n in nouns for p in n.children if p.dep_ == "prep" and p.lower_ in ("between", "among")
            for o in pobjs(p) for a in ix.actors(o)]


def _doers(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Who holds the stance: possessor, "by X", the subject of "voiced support" / "is in support of"."""
    found = [a for c in noun.children if c.dep_ == "poss" for a in ix.actors(c)]
    found += [a for p in noun.children if p.dep_ in ("prep", "agent") and p.lower_ == "by"
              for o in pobjs(p) for a in ix.actors(o)]
    if found:
        return found
    head = noun.head
    if noun.dep_ == "dobj" and lemma(head) in lx.LIGHT_STANCE_VERBS and not negated(head):
        return subjects(ix, head)
    if noun.dep_ == "pobj" and head.lower_ == "in" and head.head.pos_ in ("AUX", "VERB") and \
            lemma(head.head) in ("be", "remain", "stand", "come", "speak", "vote", "rally"):
        return [] if negated(head.head) else subjects(ix, head.head)
    return []


def _agent_holders(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """"X has been a critic of ...", "X, a backer of ...": who an agent noun describes."""
    head = noun.head
    if noun.dep_ == "attr" and lemma(head) in ("be", "become", "remain") and not negated(head):
        return subjects(ix, head)
    if noun.dep_ == "appos":
        return ix.actors(head, conj=False)
    return []


def _latest_agreement(ix: DocIndex, tok: Token, window: int = 2) -> list[str]:
    """The latest agreement (not an event) named before ``tok`` in its sentence or the ``window`` before it."""
    sent = ix.sent_of[tok.i]
    before = [a for a in ix.agreements if a.head < tok.i and sent - a.sent <= window and a.type not in lx.EVENT_TYPES]
    return [ix.agreement_keys[before[-1].cluster]] if before else []


def stance_nouns(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """Every stance or agent noun with a doer and an object."""
    published = ix.article.published
    for noun in token_table(ix.doc).with_pos("NOUN", "PROPN"):
        if ix.in_quote(noun):
            continue
        lem = lemma(noun)
        if lem in lx.STANCE_NOUNS:
            rel = lx.STANCE_NOUNS[lem]
            agreements, actors = _objects(ix, noun, rel)
            doers = _doers(ix, noun)
            if not doers and rel == "signed" and agreements:
                objs = [o for p in noun.children if p.dep_ == "prep" and p.lower_ == "of" for o in pobjs(p)]
                doers = _between(ix, noun, *objs)
        elif lem in lx.AGENT_NOUNS:
            rel = lx.AGENT_NOUNS[lem]
            agreements, actors = _objects(ix, noun, rel)
            doers = _agent_holders(ix, noun)
        else:
            continue
        if not agreements and rel == "signed" and doers and noun.dep_ == "dobj":
            # "Roe added her signature later": the agreement the text is about
            agreements = _latest_agreement(ix, noun)
        date = date_of(noun, published)
        for s, rs in doers:
            for obj in agreements:
                yield Relation(s, rel, obj, ix.provenance(noun, CONF_NOMINAL, resolved=rs), "asserted", date)
            for o, ro in actors:
                if o != s:
                    yield Relation(s, rel, o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro), "asserted", date)
