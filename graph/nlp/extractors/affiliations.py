"""memberOf from the other ways news says who belongs to what.

- "Prime Minister Ivo Sark (Unity Party)": a party in brackets after a person's name;
- "Orbis's parent company, Zentra", "Zentra, Orbis's parent company", "Orbis, owned by Zentra": a company
  in its owner;
- "Mara Tove, who runs the cloud unit at Orbis", "X heads the Orbis cloud division": a person in the
  organisation whose part they run or work in.
Each is its own generator so an ablation can switch it off by name.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_ROLE
from ..document import DocIndex
from ..tokens import token_table
from .arguments import subjects
from .grammar import negated, pobjs
from .memberships import LEADING_VERBS

_WORK_VERBS = LEADING_VERBS | {"work", "join", "oversee", "serve"}


def _orgs(ix: DocIndex, tok: Token) -> list[tuple[str, bool]]:
    return [(k, r) for k, r in ix.actors(tok, conj=False) if ix.types.get(k) == "Organization"]


def bracketed_parties(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Prime Minister Ivo Sark (Unity Party)", "Ana Roe (Greens)": the organisation in brackets after a person."""
    doc = ix.doc
    by_start = {m.start: m for m in ix.mentions}
    for m in ix.mentions:
        if m.type != "Person" or m.end + 2 >= len(doc) or doc[m.end].text != "(":
            continue
        org = by_start.get(m.end + 1)
        if org is not None and org.type == "Organization" and org.end < len(doc) and doc[org.end].text == ")":
            yield Relation(m.key, "memberOf", org.key, ix.provenance(doc[m.end - 1], CONF_ROLE))


def _parent_noun(tok: Token) -> bool:
    """"parent company", "parent", "owner" (a company's, not a person's: "the club's owner, Ana Roe")."""
    low = tok.lower_
    return low in lx.PARENT_NOUNS or (low in ("company", "group", "firm") and any(
        c.dep_ in ("compound", "amod") and c.lower_ in ("parent", "holding") for c in tok.children))


def parent_companies(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"Orbis's parent company, Zentra", "Zentra, Orbis's parent company", "Orbis, owned by Zentra"."""
    doc = ix.doc
    for noun in token_table(doc).tokens:
        if not _parent_noun(noun):
            continue
        children = [c for c in noun.children if c.dep_ == "poss"]
        owned = [k for c in children for k, _r in _orgs(ix, c)]
        if not owned:
            continue
        owners: list[str] = []
        for c in noun.children:
            if c.dep_ == "appos":
                owners += [k for k, _r in _orgs(ix, c)]
        if noun.dep_ == "appos":
            owners += [k for k, _r in _orgs(ix, noun.head)]
        if noun.dep_ == "attr" and noun.head.lemma_ == "be":
            owners += [k for s in noun.head.children if s.dep_ == "nsubj" for k, _r in _orgs(ix, s)]
        for a in owned:
            for b in owners:
                if a != b and ix.types.get(b) == "Organization":
                    yield Relation(a, "memberOf", b, ix.provenance(noun, CONF_ROLE))
    for m in ix.mentions:
        if m.type != "Organization":
            continue
        for acl in doc[m.end - 1].children:  # "Orbis, owned by Zentra"
            if acl.dep_ == "acl" and acl.lemma_.lower() == "own":
                for agent in acl.children:
                    if agent.dep_ == "agent":
                        for o in pobjs(agent):
                            for k, _r in _orgs(ix, o):
                                yield Relation(m.key, "memberOf", k, ix.provenance(acl, CONF_ROLE))


def units(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"X runs the cloud unit at Orbis", "X, who heads Orbis's cloud division", "X works in the legal team of Orbis",
    "X works for Orbis"."""
    doc = ix.doc
    for verb in token_table(doc).with_lemma(_WORK_VERBS, "VERB"):
        if negated(verb):
            continue
        nouns = [c for c in verb.children if c.dep_ == "dobj" and c.lemma_.lower() in lx.UNIT_NOUNS]
        for prep in verb.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "at", "for"):
                nouns += [o for o in pobjs(prep) if o.lemma_.lower() in lx.UNIT_NOUNS]
        orgs: list[str] = []
        for noun in nouns:
            for c in noun.children:
                if c.dep_ in ("poss", "compound"):
                    orgs += [k for k, _r in _orgs(ix, c)]
                elif c.dep_ == "prep" and c.lower_ in ("at", "of"):
                    orgs += [k for o in pobjs(c) for k, _r in _orgs(ix, o)]
        if verb.lemma_.lower() == "work":  # "X works for Orbis", "X worked at Orbis"
            orgs += [k for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in ("for", "at")
                     for o in pobjs(prep) for k, _r in _orgs(ix, o)]
        if nouns:  # "runs the cloud unit at Orbis" with "at Orbis" hung on the verb
            orgs += [k for prep in verb.children if prep.dep_ == "prep" and prep.lower_ in ("at", "for")
                     for o in pobjs(prep) for k, _r in _orgs(ix, o)]
        if not orgs:
            continue
        for s, r in subjects(ix, verb):
            if ix.types.get(s) == "Person":
                for k in dict.fromkeys(orgs):
                    yield Relation(s, "memberOf", k, ix.provenance(verb, CONF_ROLE, resolved=r))
