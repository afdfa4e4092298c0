"""Agreements whose actor is written into the noun phrase: "a Borvia-brokered truce", "Arland's peace plan".

Also an acquisition's buyer ("Halcyon's acquisition of Beta Labs") and the sides of a deal named
"between A and B".
"""

from __future__ import annotations

from collections.abc import Iterator

from ...records import Relation
from .. import lexicon as lx
from ..confidence import CONF_NOMINAL
from ..countries import demonym_country
from ..document import DocIndex
from .arguments import demonym_actors, norp
from .grammar import lemma, pobjs


def brokered(ix: DocIndex, consumed: set[int]) -> Iterator[Relation]:
    """"a U.S.-brokered ceasefire", "the Qatar-mediated deal", "Modi's peace plan" (a proposal's owner)."""
    doc = ix.doc
    for a in ix.agreements:
        head = doc[a.head]
        key = ix.agreement_keys[a.cluster]
        # "the UN brokered Greentree Agreement": the participle may sit outside a named agreement's tokens
        around = [c.i for c in head.lefts if c.i not in a.tokens and c.dep_ in ("amod", "compound")]
        for t in (*a.tokens, *around):
            tok = doc[t]
            rel = lx.AGREEMENT_VERBS.get(lemma(tok)) if tok.tag_ in ("VBN", "VBD") and tok.dep_ in (
                "amod", "compound") else None
            if rel:
                for c in tok.children:
                    if c.i in ix.tok2actor:
                        yield Relation(ix.tok2actor[c.i].key, rel, key, ix.provenance(head, CONF_NOMINAL))
        if a.type == "Acquisition":
            # "Google's acquisition of Wiz": the possessor is the buyer
            for c in head.children:
                if c.dep_ == "poss":
                    for s, r in ix.actors(c):
                        yield Relation(s, "agreedTo", key, ix.provenance(head, CONF_NOMINAL, resolved=r))
        if a.type == "Proposal":
            # "Modi's peace plan", "a US proposal", "an offer from Halcyon Partners"
            owners = [c for c in head.children if (c.dep_ in ("poss", "compound", "nmod") and c.i in ix.tok2actor)
                      or c.dep_ == "poss"]
            owners += [o for p in head.rights if p.dep_ == "prep" and p.lower_ in ("from", "by") for o in pobjs(p)]
            found = [a for c in owners for a in ix.actors(c)]
            # "a Latvian proposal": the demonym names the proposer
            found += [(ix.country(name), False) for c in head.children
                      if c.dep_ == "amod" and c.ent_type_ == "NORP" and (name := demonym_country(norp(c)))]
            for s, r in found:
                yield Relation(s, "proposed", key, ix.provenance(head, CONF_NOMINAL, resolved=r))
        if a.type not in lx.EVENT_TYPES:
            # "a merger between FreshWay and Harvest Market": the two sides take part in it
            for p in head.rights:
                if p.dep_ == "prep" and p.lower_ in ("between", "among"):
                    for o in pobjs(p):
                        for s, r in ix.actors(o) + demonym_actors(ix, o):
                            yield Relation(s, "participatesIn", key, ix.provenance(head, CONF_NOMINAL, resolved=r))

