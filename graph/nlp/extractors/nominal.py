"""Relations said with a noun: "in a call with Vell", "her meeting with Roe", "talks between A and B",
"launched attacks on Borvia".
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_NOMINAL
from ..countries import demonym_country
from ..document import DocIndex
from ..time import date_of
from ..tokens import token_table
from .arguments import norp, owned_by, participants, subjects
from .grammar import lemma, modality, negated, pobjs


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
    for noun in token_table(ix.doc).with_pos("NOUN", "PROPN"):
        rel = lx.CONTACT_NOUNS.get(lemma(noun))
        if rel is None:
            continue
        mod = "asserted"
        verb = noun.head if noun.dep_ == "dobj" else noun.head.head if noun.dep_ == "pobj" else None
        if verb is not None and verb.pos_ == "VERB":
            if (noun.dep_ == "dobj" and lemma(verb) in lx.UNHELD_EVENT_VERBS) or negated(verb):
                continue  # "announced talks with X", "did not hold a meeting": nobody met yet
            mod = modality(verb)[0]
            if mod == "hypothetical":
                continue  # "could hold talks with X"
        others, between = _contact_sides(ix, noun)
        date = date_of(noun, published)
        if others:
            for s, rs in participants(ix, noun):
                for o, ro in others:
                    if s != o:
                        yield Relation(s, rel, o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro),
                                       mod, date)
        for i, (a, ra) in enumerate(between):
            for b, rb in between[i + 1:]:
                yield Relation(a, rel, b, ix.provenance(noun, CONF_NOMINAL, resolved=ra or rb), mod, date)
        # the actors of a meeting node take part in it: "talks between X and Y", "X's meeting with Y"
        agr = ix.agreement(noun)
        if agr and (others or between):
            parts = between or [*(participants(ix, noun)), *others]
            for s, rs in parts:
                yield Relation(s, "participatesIn", agr, ix.provenance(noun, CONF_NOMINAL, resolved=rs),
                               mod, date)


def _victims(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Who an attack noun is on: "strikes on Borvia", "a strike on a base of Borvia", "an invasion of Borvia"."""
    preps = ("on", "against", "of") if lemma(noun) in lx.OF_ATTACK_NOUNS else ("on", "against")
    targets = [o for p in noun.children if p.dep_ == "prep" and p.lower_ in preps for o in pobjs(p)]
    if not targets and noun.dep_ == "dobj":
        # "carried out a strike on a base": the parser hangs "on" on the verb
        targets = [o for p in noun.head.children if p.dep_ == "prep" and p.lower_ in ("on", "against")
                   and p.i > noun.i for o in pobjs(p)]
    if not targets and _demonym_attackers(ix, noun):
        # "Borvian strikes across the Nesk valley": with its attacker named, where an attack falls is its target
        hosts = [noun, noun.head] if noun.dep_ in ("nsubj", "nsubjpass") else [noun]  # "strikes were reported in X"
        targets = [o for h in hosts for p in h.children if p.dep_ == "prep" and p.lower_ in ("across", "in")
                   for o in pobjs(p) if o.i in ix.tok2actor and ix.tok2actor[o.i].type in ("Place", "Country")]
    out: list[tuple[str, bool]] = []
    for t in targets:
        found = ix.actors(t)
        if not found and t.pos_ == "NOUN":
            # "strikes on Borvia's power grid", "a strike on a base of Borvia", "strikes against Hezbollah positions"
            found = owned_by(ix, t)
            found += [a for p in t.children if p.dep_ == "prep" and p.lower_ == "in"
                      for x in pobjs(p) for a in ix.actors(x, conj=False)]
        out.extend(found)
    return out


def _attackers(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """Who attacks: the verb's subject ("launched strikes"), the possessor ("Arland's invasion"), or "by X"."""
    if noun.dep_ == "dobj" and noun.head.pos_ == "VERB":
        return [] if negated(noun.head) else subjects(ix, noun.head)
    found = [a for c in noun.children if c.dep_ == "poss" for a in ix.actors(c)]
    found += [a for p in noun.children if p.dep_ in ("prep", "agent") and p.lower_ == "by"
              for o in pobjs(p) for a in ix.actors(o)]
    return found or _demonym_attackers(ix, noun)


def _demonym_attackers(ix: DocIndex, noun: Token) -> list[tuple[str, bool]]:
    """"Israeli strikes", "a Russian invasion": the demonym on the attack noun names the attacker."""
    return [(ix.country(name), False) for c in noun.children
            if c.dep_ == "amod" and c.ent_type_ == "NORP" and (name := demonym_country(norp(c)))]


def attack_nouns(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"launched attacks on X", "carried out a strike on a base of X", "Y's invasion of X": Y attacked X."""
    for noun in token_table(ix.doc).with_pos("NOUN", "PROPN"):
        lem = lemma(noun)
        if lem in lx.CONTACT_NOUNS or lem not in lx.ATTACK_NOUNS | lx.OF_ATTACK_NOUNS:
            continue
        victims = _victims(ix, noun)
        if not victims:
            continue
        for s, rs in _attackers(ix, noun):
            for o, ro in victims:
                if s != o:
                    yield Relation(s, "attacked", o, ix.provenance(noun, CONF_NOMINAL, resolved=rs or ro))
